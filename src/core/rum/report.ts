// What real users experience, from merged rollups, the way CrUX and web.dev assess it: p50, p75
// and p95 per metric from the sketches; good / needs-improvement / poor shares and every verdict
// from the exact counts, so a page sitting on a threshold is judged right (its p75 is at or
// below T exactly when at least 75% of its samples are); the Core Web Vitals verdict per page
// and form factor on LCP, INP and CLS (on LCP and CLS alone where there is no INP), "not enough
// data" below a minimum sample count. Pure: rollups in, a report out.
import { DIMENSIONS, type Dimension } from './events.js';
import { CORE_WEB_VITALS, isLegacy, METRICS, THRESHOLDS, type MetricName, type Rating } from './metrics.js';
import type { Digest, Rollup } from './rollup.js';
import { quantile } from './sketch.js';

/** fewer samples than this and a rating is a guess: "not enough data" (CrUX needs a real sample too) */
export const DEFAULT_MIN_SAMPLES = 20;

export type Assessment = Rating | 'not-enough-data';

export interface MetricSummary {
  name: MetricName;
  count: number;
  p50: number | null;
  p75: number | null;
  p95: number | null;
  /** shares of samples, 0..1, from exact counts */
  good: number;
  needsImprovement: number;
  poor: number;
  /** the rating of the p75, from the counts */
  rating: Assessment;
  thresholds: readonly [number, number];
  /** FID: shown, never part of a verdict */
  legacy: boolean;
}

export interface PageVerdict {
  page: string;
  device: string;
  /** passes when every assessed metric's p75 is good */
  verdict: 'pass' | 'fail' | 'not-enough-data';
  metrics: Partial<Record<MetricName, { p75: number | null; count: number; rating: Assessment }>>;
  /** for a failing page: the worst-rated metric and its worst attribution target */
  worst?: { metric: MetricName; target: string | null; value: number | null };
}

export interface SegmentRow {
  value: string;
  metrics: Partial<Record<MetricName, { p75: number | null; count: number; rating: Assessment }>>;
}

export interface TrendPoint {
  start: number;
  p75: number | null;
  count: number;
}

export interface RumReport {
  from: number;
  until: number;
  events: number;
  metrics: MetricSummary[];
  verdicts: PageVerdict[];
  failing: PageVerdict[];
  segments: { by: Dimension; rows: SegmentRow[] } | null;
  trend: { metric: MetricName; bucketMs: number; points: TrendPoint[] };
  engagement: { sessions: number; pageviews: number; pageviewsPerSession: number | null; interactions: number; visibleMs: number };
  conversions: {
    count: number;
    value: number;
    rate: number | null;
    byVersion: { value: string; sessions: number; converted: number; rate: number | null }[];
    byPage: { value: string; sessions: number; converted: number; rate: number | null }[];
  };
}

/** the rating of a sample's p75, exactly, from the counts at each threshold */
export function assess(d: Pick<Digest, 'count' | 'good' | 'notPoor'>, minSamples: number): Assessment {
  if (d.count < Math.max(1, minSamples)) return 'not-enough-data';
  // p75 ≤ T ⇔ at least 75% of samples ≤ T (nearest rank)
  if (d.good * 4 >= d.count * 3) return 'good';
  if (d.notPoor * 4 >= d.count * 3) return 'needs-improvement';
  return 'poor';
}

function summarize(name: MetricName, d: Digest, minSamples: number): MetricSummary {
  const n = d.count;
  return {
    name,
    count: n,
    p50: quantile(d.sketch, 0.5),
    p75: quantile(d.sketch, 0.75),
    p95: quantile(d.sketch, 0.95),
    good: n ? d.good / n : 0,
    needsImprovement: n ? (d.notPoor - d.good) / n : 0,
    poor: n ? (n - d.notPoor) / n : 0,
    rating: assess(d, minSamples),
    thresholds: THRESHOLDS[name],
    legacy: isLegacy(name),
  };
}

const short = (d: Digest, minSamples: number) => ({ p75: quantile(d.sketch, 0.75), count: d.count, rating: assess(d, minSamples) });
const RANK: Record<Assessment, number> = { good: 0, 'needs-improvement': 1, poor: 2, 'not-enough-data': -1 };

function verdictsOf(total: Rollup, minSamples: number): PageVerdict[] {
  const keys = new Set<string>();
  for (const m of CORE_WEB_VITALS) for (const k of total.metrics.get(m)?.pageDevice.keys() ?? []) keys.add(k);
  const out: PageVerdict[] = [];
  for (const key of [...keys].sort()) {
    const [page, device] = key.split('\u0000') as [string, string];
    const metrics: PageVerdict['metrics'] = {};
    for (const m of CORE_WEB_VITALS) {
      const d = total.metrics.get(m)?.pageDevice.get(key);
      if (d) metrics[m] = short(d, minSamples);
    }
    // LCP and CLS are always assessed; INP only where the page has interactions
    const needed: MetricName[] = metrics.INP ? ['LCP', 'INP', 'CLS'] : ['LCP', 'CLS'];
    const ratings = needed.map((m) => metrics[m]?.rating ?? 'not-enough-data');
    const verdict = ratings.includes('not-enough-data') ? 'not-enough-data' : ratings.every((r) => r === 'good') ? 'pass' : 'fail';
    const v: PageVerdict = { page, device, verdict, metrics };
    if (verdict === 'fail') {
      const metric = needed.reduce((a, b) => (RANK[metrics[b]!.rating] > RANK[metrics[a]!.rating] ? b : a));
      const w = total.worst.get(page)?.[metric];
      v.worst = { metric, target: w?.target ?? null, value: w?.value ?? null };
    }
    out.push(v);
  }
  return out;
}

function segmentsOf(total: Rollup, by: Dimension, minSamples: number): SegmentRow[] {
  const values = new Set<string>();
  for (const r of total.metrics.values()) for (const v of r.by[by].keys()) values.add(v);
  return [...values].sort().map((value) => {
    const metrics: SegmentRow['metrics'] = {};
    for (const [m, r] of total.metrics) {
      const d = r.by[by].get(value);
      if (d) metrics[m] = short(d, minSamples);
    }
    return { value, metrics };
  });
}

const rate = (converted: number, sessions: number) => (sessions ? converted / sessions : null);

export interface TrendBucket {
  start: number;
  all: Map<MetricName, Digest>;
}

export interface ReportInput {
  /** every hour in the window, merged */
  total: Rollup;
  /** per trend bucket, oldest first: each metric's overall digest over that bucket's hours */
  buckets: TrendBucket[];
  bucketMs: number;
  from: number;
  until: number;
  by?: Dimension;
  trendMetric?: MetricName;
  minSamples?: number;
}

export function buildReport(i: ReportInput): RumReport {
  const minSamples = i.minSamples ?? DEFAULT_MIN_SAMPLES;
  const { total } = i;
  const metrics = METRICS.filter((m) => total.metrics.has(m)).map((m) => summarize(m, total.metrics.get(m)!.all, minSamples));
  const verdicts = verdictsOf(total, minSamples);
  const trendMetric = i.trendMetric ?? 'LCP';
  const sessions = total.sessions.all.size;
  const pageviews = [...total.pageviews.values()].reduce((a, b) => a + b, 0);
  const perValue = (k: 'version' | 'page') =>
    [...total.sessions[k]]
      .map(([value, ids]) => {
        const converted = total.converted[k].get(value)?.size ?? 0;
        return { value, sessions: ids.size, converted, rate: rate(converted, ids.size) };
      })
      .sort((a, b) => b.sessions - a.sessions);
  return {
    from: i.from,
    until: i.until,
    events: total.events,
    metrics,
    verdicts,
    failing: verdicts.filter((v) => v.verdict === 'fail'),
    segments: i.by && DIMENSIONS.includes(i.by) ? { by: i.by, rows: segmentsOf(total, i.by, minSamples) } : null,
    trend: {
      metric: trendMetric,
      bucketMs: i.bucketMs,
      points: i.buckets.map((b) => {
        const d = b.all.get(trendMetric);
        return { start: b.start, p75: d ? quantile(d.sketch, 0.75) : null, count: d?.count ?? 0 };
      }),
    },
    engagement: {
      sessions,
      pageviews,
      pageviewsPerSession: sessions ? pageviews / sessions : null,
      interactions: total.engagement.interactions,
      visibleMs: total.engagement.visibleMs,
    },
    conversions: {
      count: total.conversions.count,
      value: total.conversions.value,
      rate: rate(total.converted.all.size, sessions),
      byVersion: perValue('version'),
      byPage: perValue('page'),
    },
  };
}
