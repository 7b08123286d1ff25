// The `scrape` metric provider (the default): GETs each target's Prometheus /metrics and reads
// the request counter (5xx share by the status label) and the latency histogram's buckets, as
// cumulative counts that diff() turns into one interval.
import got, { RequestError } from 'got';
import { describeProbeError } from '../http/probe.js';
import { countRequests } from './scrape.js';
import { histogramBuckets, isPrometheusText } from './exposition.js';
import type { MetricProvider, MetricTarget, Snapshot } from '../../core/canary/metrics.js';

export interface ScrapeProviderOptions {
  /** the metrics path on every target, `metrics.path` in the config */
  path?: string;
  counter?: string;
  histogram?: string;
  timeoutMs?: number;
  /** names the config path in messages, e.g. "production" */
  env?: string;
  now?: () => number;
}

export function createScrapeProvider(opts: ScrapeProviderOptions = {}): MetricProvider {
  const path = opts.path ?? '/metrics';
  const counter = opts.counter ?? 'http_requests_total';
  const histogram = opts.histogram ?? 'http_request_duration_seconds';
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const now = opts.now ?? Date.now;
  const pathConfig = opts.env ? `environments.${opts.env}.metrics.path` : 'metrics.path in the config';

  return {
    kind: 'scrape',
    async sample(target: MetricTarget, signal?: AbortSignal): Promise<Snapshot> {
      const url = new URL(path, target.url).href;
      const unavailable = (reason: string, permanent = false): Snapshot => ({
        kind: 'unavailable',
        colour: target.colour,
        at: now(),
        reason,
        ...(permanent ? { permanent } : {}),
      });
      let res;
      try {
        res = await got(url, {
          timeout: { request: timeoutMs },
          retry: { limit: 0 },
          throwHttpErrors: false,
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        if (signal?.aborted || !(err instanceof RequestError)) throw err;
        return unavailable(`${url} is unreachable (${describeProbeError(err, timeoutMs)})`);
      }
      if (res.statusCode === 404)
        return unavailable(`${url} answered HTTP 404: serve Prometheus metrics there or correct ${pathConfig}`, true);
      if (res.statusCode !== 200) return unavailable(`${url} answered HTTP ${res.statusCode}`);
      const type = String(res.headers['content-type'] ?? '');
      if (/html|json/i.test(type) || !isPrometheusText(res.body)) {
        return unavailable(
          `${url} is not Prometheus text (${type || 'no content-type'}): point ${pathConfig} at the metrics endpoint`,
          true,
        );
      }
      let counts;
      try {
        counts = countRequests(res.body, counter, target.excludeRoutes);
      } catch {
        counts = null;
      }
      if (!counts) return unavailable(`${url} has no ${counter} counter: export it, labelled with the status code`, true);
      return {
        kind: 'cumulative',
        colour: target.colour,
        at: now(),
        requests: counts.requests,
        errors: counts.errors,
        buckets: histogramBuckets(res.body, histogram, {}, target.excludeRoutes),
      };
    },
  };
}
