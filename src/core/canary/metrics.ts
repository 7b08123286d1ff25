// What every canary metric provider answers, and the pure diff that turns two samples of one
// target into what it served in between. Providers never throw for a target's own trouble (404,
// unreachable, not Prometheus text, no data): they answer `unavailable` with the reason, which
// the judge reports as inconclusive. Only a cancelled signal rejects.
import { bucketDeltas, histogramQuantileMs, type Bucket } from './quantile.js';
import type { Observation } from './judge.js';

export interface MetricTarget {
  /** the colour, e.g. "green" */
  colour: string;
  /** the target's base URL from the config, e.g. "http://127.0.0.1:8082" */
  url: string;
  /** routes that are prodx's own probes (health, version), left out of the app's traffic */
  excludeRoutes?: readonly string[];
}

export type Snapshot =
  /** counters since the target started (scrape, builtin): the interval is a diff of two */
  | { kind: 'cumulative'; colour: string; at: number; requests: number; errors: number; buckets: Bucket[] | null }
  /** already one interval's values (PromQL over `{{interval}}`) */
  | {
      kind: 'interval';
      colour: string;
      at: number;
      requests: number;
      errors: number;
      p95Ms: number | null;
      p99Ms: number | null;
      latencyMissing?: string;
    }
  /**
   * `permanent`: a misconfiguration that waiting will not fix (no such path, not Prometheus
   * text, a query Prometheus rejects), so a canary refuses to start on it
   */
  | { kind: 'unavailable'; colour: string; at: number; reason: string; permanent?: boolean };

export interface MetricProvider {
  readonly kind: 'scrape' | 'prometheus' | 'builtin';
  /**
   * `windowMs`: how far back an `interval` provider looks (PromQL `{{interval}}`); the canary
   * widens it while too few requests came for a verdict. Cumulative providers ignore it.
   */
  sample(target: MetricTarget, signal?: AbortSignal, windowMs?: number): Promise<Snapshot>;
}

/**
 * What a target served between two samples. A counter that went down means the target restarted:
 * the interval is then what it counted since the restart (as PromQL's increase() treats resets).
 * Without a usable earlier sample there is no interval yet: missing, never a pass.
 */
export function diff(before: Snapshot | null, after: Snapshot): Observation {
  const o = rawDiff(before, after);
  if ('missing' in o) return o;
  // a provider's NaN or Infinity is no measurement: never judged, never stored as a number
  if (!Number.isFinite(o.requests) || !Number.isFinite(o.errors))
    return { missing: `the counts are not numbers (${o.requests}, ${o.errors})` };
  const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);
  const p95Ms = finite(o.p95Ms);
  const p99Ms = finite(o.p99Ms);
  const lost = (p95Ms === null && o.p95Ms !== null) || (p99Ms === null && o.p99Ms !== null);
  return { ...o, p95Ms, p99Ms, ...(lost && !o.latencyMissing ? { latencyMissing: 'the latency is not a number' } : {}) };
}

function rawDiff(before: Snapshot | null, after: Snapshot): Observation {
  if (after.kind === 'unavailable') return { missing: after.reason };
  if (after.kind === 'interval') {
    const { requests, errors, p95Ms, p99Ms, latencyMissing } = after;
    return { requests, errors, p95Ms, p99Ms, ...(latencyMissing ? { latencyMissing } : {}) };
  }
  if (before?.kind !== 'cumulative') {
    return {
      missing: before?.kind === 'unavailable' ? `the previous sample failed (${before.reason})` : 'first sample: the interval starts now',
    };
  }
  const prevBuckets = before.buckets ?? [];
  const reset =
    after.requests < before.requests ||
    after.errors < before.errors ||
    (after.buckets ?? []).some((b) => b.count < (prevBuckets.find((p) => p.le === b.le)?.count ?? 0));
  const requests = reset ? after.requests : after.requests - before.requests;
  const errors = reset ? after.errors : after.errors - before.errors;
  const buckets = after.buckets ? bucketDeltas(reset ? null : before.buckets, after.buckets) : null;
  const p95Ms = buckets ? histogramQuantileMs(0.95, buckets) : null;
  const p99Ms = buckets ? histogramQuantileMs(0.99, buckets) : null;
  const latencyMissing = !buckets
    ? 'the target exports no latency histogram'
    : p95Ms === null
      ? 'no request finished this interval'
      : undefined;
  return { requests, errors, p95Ms, p99Ms, ...(latencyMissing ? { latencyMissing } : {}) };
}
