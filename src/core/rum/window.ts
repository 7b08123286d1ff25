// Report windows: the last hour, day, week or 28 days (CrUX's window), or explicit bounds, in
// whole hours (the rollups' grain), with the trend's bucket size: hourly up to a day, daily beyond.
import { HOUR_MS, hourOf } from './rollup.js';

export const WINDOWS = { '1h': HOUR_MS, '24h': 24 * HOUR_MS, '7d': 7 * 24 * HOUR_MS, '28d': 28 * 24 * HOUR_MS } as const;
export type WindowName = keyof typeof WINDOWS;
export const isWindowName = (s: string): s is WindowName => Object.hasOwn(WINDOWS, s);

export interface ReportWindow {
  /** first hour start (inclusive) */
  from: number;
  /** end (exclusive): the end of the hour holding `until` */
  until: number;
  bucketMs: number;
}

/** The hours covering [since, until]: an event's hour is in the window when any of it is. */
export function windowOf(since: number, until: number): ReportWindow {
  const from = hourOf(since);
  const end = hourOf(until) + HOUR_MS;
  // "24h" spans 25 clock hours (the current one and the 24 before it, partly): still hourly
  return { from, until: end, bucketMs: end - from <= 25 * HOUR_MS ? HOUR_MS : 24 * HOUR_MS };
}

export function namedWindow(name: WindowName, now: number): ReportWindow {
  // "the last hour" is the current hour and the one before it, partly: [now-1h, now]
  return windowOf(now - WINDOWS[name] + 1, now);
}

/** Bucket starts from `from` to `until`, each bucketMs long. */
export function bucketStarts(w: ReportWindow): number[] {
  const out: number[] = [];
  for (let t = w.from; t < w.until; t += w.bucketMs) out.push(t);
  return out;
}
