// Latency quantiles from Prometheus histogram buckets, as PromQL's histogram_quantile computes
// them: find the bucket holding the rank, interpolate linearly inside it. Hand-written because no
// maintained npm package implements histogram_quantile over bucket counts (prom-client computes
// quantiles only for Summaries), and the canary judge needs the exact PromQL semantics so the
// scrape, builtin and prometheus providers agree.

/** One cumulative histogram bucket: `count` observations were ≤ `le` seconds. */
export interface Bucket {
  le: number;
  count: number;
}

/** Adds buckets of several series (routes, status codes) bound by bound; sorted by `le`. */
export function mergeBuckets(...series: readonly (readonly Bucket[])[]): Bucket[] {
  const byLe = new Map<number, number>();
  for (const s of series) for (const b of s) byLe.set(b.le, (byLe.get(b.le) ?? 0) + b.count);
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/**
 * The buckets observed between two snapshots. A bound missing before counts from 0; a count that
 * went down means the target restarted, so `after` alone is the interval (as PromQL's rate()).
 */
export function bucketDeltas(before: readonly Bucket[] | null, after: readonly Bucket[]): Bucket[] {
  const prev = new Map((before ?? []).map((b) => [b.le, b.count]));
  const reset = after.some((b) => b.count < (prev.get(b.le) ?? 0));
  return after.map((b) => ({ le: b.le, count: reset ? b.count : b.count - (prev.get(b.le) ?? 0) }));
}

/**
 * The q-quantile (0..1) in milliseconds, or null when there is nothing to measure (no buckets, no
 * +Inf bucket, or zero observations). Like histogram_quantile: the first bucket starts at 0, a
 * rank in the +Inf bucket answers the highest finite bound, counts are made monotonic first.
 */
export function histogramQuantileMs(q: number, buckets: readonly Bucket[]): number | null {
  if (!(q >= 0 && q <= 1)) return null;
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted.length < 2 || sorted.at(-1)!.le !== Infinity) return null;
  // float noise or a scrape racing an increment can make counts dip; PromQL evens them out too
  let max = 0;
  const cum = sorted.map((b) => ({ le: b.le, count: (max = Math.max(max, b.count)) }));
  const total = cum.at(-1)!.count;
  if (total <= 0) return null;
  const rank = q * total;
  const i = cum.findIndex((b) => b.count >= rank);
  if (i === cum.length - 1) return cum.at(-2)!.le * 1000;
  const b = cum[i]!;
  if (i === 0 && b.le <= 0) return b.le * 1000;
  const lower = i === 0 ? { le: 0, count: 0 } : cum[i - 1]!;
  const inBucket = b.count - lower.count;
  const seconds = inBucket === 0 ? b.le : lower.le + (b.le - lower.le) * ((rank - lower.count) / inBucket);
  return seconds * 1000;
}
