// What the builtin router counts per upstream: Prometheus metrics in the router's own registry
// (scraped from the admin /metrics by the canary analysis) and the same counts as JSON for
// /stats, with p50/p95/p99 read from the latency histogram.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Weights } from '../../../core/deploy/router.js';

export interface UpstreamStats {
  url: string;
  weight: number;
  /** attempts sent to this upstream; a retried request counts on both upstreams */
  requests: number;
  /** 5xx responses plus proxy failures */
  errors: number;
  /** proxy failures alone: refused, reset or timed out before a response */
  failures: number;
  /** responses this upstream sent, by status class: { "2xx": 98, "5xx": 2 } */
  byStatus: Record<string, number>;
  /** from the latency histogram, interpolated within its buckets; null before any response */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface BuiltinRouterStats {
  uptimeSeconds: number;
  weights: Weights;
  upstreams: Record<string, UpstreamStats>;
}

// Web latency: fine steps up to a second, and a bound at 2s, the default canary maxP95Ms.
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

type Bucket = { le: number; count: number };

/**
 * Prometheus histogram_quantile's linear interpolation within cumulative buckets, in ms.
 * Hand-written: prom-client computes quantiles only for Summaries, whose values cannot be
 * aggregated by a scraper the way histogram buckets can.
 */
export function bucketQuantileMs(buckets: Bucket[], q: number): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  const i = buckets.findIndex((b) => b.count >= rank);
  const lower = i > 0 ? buckets[i - 1]! : { le: 0, count: 0 };
  const b = buckets[i]!;
  if (b.le === Infinity) return lower.le * 1000; // above the top bucket: its bound is all we know
  const seconds = lower.le + ((b.le - lower.le) * (rank - lower.count)) / (b.count - lower.count || 1);
  return Math.round(seconds * 1e6) / 1e3;
}

/** The Prometheus series, in an own registry so several routers in one process (tests) keep separate counts. */
function routerMetrics(colours: readonly string[], weightsNow: () => Weights) {
  const registry = new Registry();
  const registers = [registry];
  const labelNames = ['upstream'] as const;
  const requests = new Counter({ name: 'prodx_router_requests_total', help: 'Requests sent to each upstream', labelNames, registers });
  const responses = new Counter({
    name: 'prodx_router_responses_total',
    help: 'Upstream responses by status class',
    labelNames: ['upstream', 'status_class'] as const,
    registers,
  });
  const errors = new Counter({
    name: 'prodx_router_errors_total',
    help: 'Upstream 5xx responses (reason="5xx") and proxy failures (reason="proxy")',
    labelNames: ['upstream', 'reason'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'prodx_router_request_duration_seconds',
    help: 'Time from the request to the end of the upstream response',
    labelNames,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  new Gauge({
    name: 'prodx_router_weight',
    help: 'Share of traffic in percent',
    labelNames,
    registers,
    collect() {
      const weights = weightsNow();
      for (const c of colours) this.set({ upstream: c }, weights[c] ?? 0);
    },
  });
  // Every series from the start: a canary judge reading "no errors yet" needs a 0, not absence.
  for (const c of colours) {
    requests.inc({ upstream: c }, 0);
    errors.inc({ upstream: c, reason: '5xx' }, 0);
    errors.inc({ upstream: c, reason: 'proxy' }, 0);
  }
  return { registry, requests, responses, errors, latency };
}

export function createRouterStats(upstreams: Record<string, string>, weightsNow: () => Weights, now: () => number) {
  const colours = Object.keys(upstreams);
  const startedAt = now();
  const { registry, requests, responses, errors, latency } = routerMetrics(colours, weightsNow);
  const counts = Object.fromEntries(
    colours.map((c) => [c, { requests: 0, errors: 0, failures: 0, byStatus: {} as Record<string, number> }]),
  );

  return {
    registry,
    sent(colour: string): void {
      counts[colour]!.requests += 1;
      requests.inc({ upstream: colour });
    },
    responded(colour: string, status: number): void {
      const c = counts[colour]!;
      const cls = `${Math.floor(status / 100)}xx`;
      c.byStatus[cls] = (c.byStatus[cls] ?? 0) + 1;
      responses.inc({ upstream: colour, status_class: cls });
      if (status >= 500) {
        c.errors += 1;
        errors.inc({ upstream: colour, reason: '5xx' });
      }
    },
    failed(colour: string): void {
      counts[colour]!.errors += 1;
      counts[colour]!.failures += 1;
      errors.inc({ upstream: colour, reason: 'proxy' });
    },
    observe(colour: string, seconds: number): void {
      latency.observe({ upstream: colour }, seconds);
    },
    async stats(): Promise<BuiltinRouterStats> {
      const buckets = new Map<string, Bucket[]>(colours.map((c) => [c, []]));
      for (const v of (await latency.get()).values) {
        const labels = v.labels as Record<string, string | number>;
        if (v.metricName?.endsWith('_bucket')) buckets.get(String(labels['upstream']))?.push({ le: Number(labels['le']), count: v.value });
      }
      const weights = weightsNow();
      const entries = colours.map((c): [string, UpstreamStats] => {
        const { requests, errors, failures, byStatus } = counts[c]!;
        const q = (p: number) => bucketQuantileMs(buckets.get(c)!, p);
        const latency = { p50Ms: q(0.5), p95Ms: q(0.95), p99Ms: q(0.99) };
        return [c, { url: upstreams[c]!, weight: weights[c] ?? 0, requests, errors, failures, byStatus: { ...byStatus }, ...latency }];
      });
      return { uptimeSeconds: Math.round(now() - startedAt) / 1000, weights, upstreams: Object.fromEntries(entries) };
    },
  };
}

export type RouterStats = ReturnType<typeof createRouterStats>;
