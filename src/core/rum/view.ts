// What the app's store holds about RUM: the last report for the RUM screen's choices (window,
// segment, trend metric), and the choices themselves, which the screen's keys cycle through.
import { DIMENSIONS, type Dimension } from './events.js';
import { CURRENT_METRICS, type MetricName } from './metrics.js';
import type { RumReport } from './report.js';
import { WINDOWS, type WindowName } from './window.js';

export interface RumSlice {
  report: RumReport | null;
  window: WindowName;
  by: Dimension;
  metric: MetricName;
  loadedAt: number | null;
  /** why the events could not be read, if they could not */
  error: string | null;
}

export const emptyRumSlice = (): RumSlice => ({ report: null, window: '24h', by: 'device', metric: 'LCP', loadedAt: null, error: null });

const after = <T>(list: readonly T[], x: T): T => list[(list.indexOf(x) + 1) % list.length]!;
export const nextWindow = (w: WindowName) => after(Object.keys(WINDOWS) as WindowName[], w);
export const nextDimension = (d: Dimension) => after(DIMENSIONS, d);
export const nextMetric = (m: MetricName) => after(CURRENT_METRICS, m);
