// RUM test data: a checked web-vital event with defaults, and a project whose collector listens
// on a free loopback port.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebVitalEvent } from '../../src/core/rum/events.js';
import { rate, type MetricName } from '../../src/core/rum/metrics.js';
import { tempDir } from './cli.js';

let n = 0;
/** a web-vital event as the collector stores it (unique id, rating from the thresholds) */
export const storedVital = (name: MetricName, value: number, o: Partial<WebVitalEvent> = {}): WebVitalEvent => ({
  type: 'web-vital',
  name,
  value,
  rating: rate(name, value),
  delta: value,
  id: `v${n++}`,
  navigationType: 'navigate',
  page: '/',
  device: 'desktop',
  connection: '4g',
  version: '1.0.0',
  country: 'DE',
  sessionId: `s${n % 50}`,
  ts: Date.UTC(2026, 11, 1, 10),
  ...o,
});

/** a config in a fresh folder whose collector takes a free port and `collector` on top (and `rest` beside it) */
export function rumProject(collector: Record<string, unknown>, rest: Record<string, unknown> = {}): { dir: string; config: string } {
  const dir = tempDir();
  const config = join(dir, 'prodx.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      app: 'weather',
      environments: { production: { targets: { blue: { url: 'http://127.0.0.1:1' } } } },
      collector: { port: 0, ...collector },
      ...rest,
    }),
  );
  return { dir, config };
}
