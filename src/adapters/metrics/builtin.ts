// The `builtin` metric provider: the builtin router's own per-upstream counters (`/stats` on its
// admin address) and its latency histogram (the admin `/metrics`, one series per upstream), as
// cumulative counts. A router restart resets them; diff() handles that like a target restart.
import got from 'got';
import { readBuiltinStats } from '../routers/builtin/client.js';
import { histogramBuckets } from './exposition.js';
import type { MetricProvider, MetricTarget, Snapshot } from '../../core/canary/metrics.js';

export const ROUTER_HISTOGRAM = 'prodx_router_request_duration_seconds';

export interface BuiltinProviderOptions {
  /** the router's admin address, `router.admin` in the config */
  admin: string;
  env?: string;
  timeoutMs?: number;
  now?: () => number;
}

export function createBuiltinProvider(opts: BuiltinProviderOptions): MetricProvider {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const now = opts.now ?? Date.now;
  const client = { admin: opts.admin, timeoutMs, ...(opts.env ? { env: opts.env } : {}) };
  return {
    kind: 'builtin',
    async sample(target: MetricTarget, signal?: AbortSignal): Promise<Snapshot> {
      const unavailable = (reason: string): Snapshot => ({ kind: 'unavailable', colour: target.colour, at: now(), reason });
      let stats;
      let text: string;
      try {
        const ropts = signal ? { signal } : {};
        [stats, text] = await Promise.all([
          readBuiltinStats(client, ropts),
          got(`http://${opts.admin}/metrics`, { timeout: { request: timeoutMs }, retry: { limit: 0 }, ...ropts }).text(),
        ]);
      } catch (err) {
        if (signal?.aborted) throw err;
        return unavailable(err instanceof Error ? err.message.split('\n')[0]! : String(err));
      }
      const upstream = stats.upstreams[target.colour];
      if (!upstream) {
        return unavailable(
          `the builtin router at ${opts.admin} has no upstream "${target.colour}" (it routes to ${Object.keys(stats.upstreams).join(', ')})`,
        );
      }
      return {
        kind: 'cumulative',
        colour: target.colour,
        at: now(),
        requests: upstream.requests,
        errors: upstream.errors,
        buckets: histogramBuckets(text, ROUTER_HISTOGRAM, { upstream: target.colour }),
      };
    },
  };
}
