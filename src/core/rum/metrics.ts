// The metrics and their thresholds. The current five come from the constants the `web-vitals`
// package exports (the same numbers its `rating` uses, and CrUX and web.dev assess with); FID,
// gone from web-vitals since v5, keeps its last published thresholds and is legacy: shown, never
// part of the Core Web Vitals verdict.
import { CLSThresholds, FCPThresholds, INPThresholds, LCPThresholds, TTFBThresholds } from 'web-vitals';

export const CURRENT_METRICS = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;
export const METRICS = [...CURRENT_METRICS, 'FID'] as const;
export type MetricName = (typeof METRICS)[number];
/** the three that decide the Core Web Vitals verdict */
export const CORE_WEB_VITALS = ['LCP', 'INP', 'CLS'] as const;

export type Rating = 'good' | 'needs-improvement' | 'poor';

/** [good up to, needs improvement up to]: above the second is poor */
export const THRESHOLDS: Record<MetricName, readonly [number, number]> = {
  LCP: [LCPThresholds[0]!, LCPThresholds[1]!],
  INP: [INPThresholds[0]!, INPThresholds[1]!],
  CLS: [CLSThresholds[0]!, CLSThresholds[1]!],
  FCP: [FCPThresholds[0]!, FCPThresholds[1]!],
  TTFB: [TTFBThresholds[0]!, TTFBThresholds[1]!],
  FID: [100, 300],
};

/** CLS is a unitless score; the rest are milliseconds */
export const UNIT: Record<MetricName, 'ms' | ''> = { LCP: 'ms', INP: 'ms', CLS: '', FCP: 'ms', TTFB: 'ms', FID: 'ms' };

/**
 * [least, most] a real page can report: a value outside is a broken client, not a slow user.
 * Ten minutes bounds every timing (web-vitals stops at page hide); a CLS of 100 is a page that
 * shifted its whole viewport a hundred times.
 */
export const METRIC_LIMITS: Record<MetricName, readonly [number, number]> = {
  LCP: [0, 600_000],
  INP: [0, 600_000],
  CLS: [0, 100],
  FCP: [0, 600_000],
  TTFB: [0, 600_000],
  FID: [0, 600_000],
};

export const isMetricName = (s: string): s is MetricName => (METRICS as readonly string[]).includes(s);
export const isLegacy = (m: MetricName) => m === 'FID';

/** web-vitals' own rule: above the second threshold poor, above the first needs improvement */
export function rate(name: MetricName, value: number): Rating {
  const [good, poor] = THRESHOLDS[name];
  return value > poor ? 'poor' : value > good ? 'needs-improvement' : 'good';
}

/** a metric's value in words: `2480 ms`, `0.081` (CLS has no unit) */
export const metricText = (m: MetricName, v: number | null) => (v === null ? '–' : UNIT[m] === 'ms' ? `${Math.round(v)} ms` : v.toFixed(3));
