// The screen registry. The switch ends in assertNever, so adding a ScreenId to SCREENS without
// a screen here fails to compile.
import { SCREENS, type ScreenId } from '../../store/types.js';
import type { ListId } from '../verbs/lists.js';
import type { VerbState } from '../verbs/types.js';
import { canaryScreen } from './Canary.js';
import { dashboardScreen } from './Dashboard.js';
import { deployScreen } from './Deploy.js';
import { errorsScreen } from './Errors.js';
import { flagsScreen } from './Flags.js';
import { rumScreen } from './Rum.js';
import type { ScreenDefinition } from './types.js';

export type { ScreenDefinition, ScreenProps } from './types.js';

function assertNever(value: never): never {
  throw new Error(`no screen is registered for "${String(value)}"`);
}

export function screenDefinition(id: ScreenId): ScreenDefinition {
  switch (id) {
    case 'dashboard':
      return dashboardScreen;
    case 'deploy':
      return deployScreen;
    case 'canary':
      return canaryScreen;
    case 'rum':
      return rumScreen;
    case 'errors':
      return errorsScreen;
    case 'flags':
      return flagsScreen;
    default:
      return assertNever(id);
  }
}

/** Every screen, in tab order (the order of SCREENS). */
export const screenDefinitions: readonly ScreenDefinition[] = SCREENS.map(screenDefinition);

/** The list the screen's j/k, `/` and Enter move through, if it shows one. */
export const listOfScreen = (id: ScreenId, v: VerbState): ListId | null => screenDefinition(id).list?.(v) ?? null;
