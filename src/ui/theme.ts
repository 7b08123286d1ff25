// Presentation only: which colour each status and flash kind is drawn in. What a status
// means is decided in src/core/health; this file only paints it.
import type { HealthStatus } from '../core/health/types.js';
import type { Flash } from '../store/types.js';

export const statusColour: Record<HealthStatus, string> = {
  healthy: 'green',
  degraded: 'yellow',
  down: 'red',
  unknown: 'gray',
};

export const flashColour: Record<Flash['kind'], string> = {
  info: 'cyan',
  success: 'green',
  error: 'red',
};

/** How long a flash message stays on screen. */
export const FLASH_MS = 5000;

const TERMINAL_COLOURS = new Set(['red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white']);

/** Deploy colours are free-form names; paint only the ones that are terminal colours too. */
export function deployColour(colour: string): string | undefined {
  const c = colour.toLowerCase();
  return TERMINAL_COLOURS.has(c) ? c : undefined;
}
