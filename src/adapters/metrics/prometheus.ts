// The `prometheus` metric provider: PromQL instant queries against a Prometheus-compatible HTTP
// API (/api/v1/query) for fleets with many instances behind each colour. The query templates
// come from `metrics.queries`; `{{target}}` is the target's host:port (Prometheus's `instance`
// label), `{{colour}}` its colour, `{{interval}}` the analysis window ("30s") and
// `{{probeRoutes}}` prodx's own probe paths as a regex, so the defaults leave them out.
import got, { RequestError } from 'got';
import { describeProbeError } from '../http/probe.js';
import type { MetricProvider, MetricTarget, Snapshot } from '../../core/canary/metrics.js';

export type QueryName = 'requests' | 'errors' | 'p95' | 'p99';

/** Defaults over the sample app's metrics, one `instance` per target. */
export const DEFAULT_QUERIES: Record<QueryName, string> = {
  requests: 'sum(increase(http_requests_total{instance="{{target}}",route!~"{{probeRoutes}}"}[{{interval}}]))',
  // no 5xx series at all is zero errors, not missing data
  errors:
    'sum(increase(http_requests_total{instance="{{target}}",route!~"{{probeRoutes}}",status_code=~"5.."}[{{interval}}])) or vector(0)',
  p95: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{instance="{{target}}",route!~"{{probeRoutes}}"}[{{interval}}])))',
  p99: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{instance="{{target}}",route!~"{{probeRoutes}}"}[{{interval}}])))',
};

export interface PrometheusProviderOptions {
  /** the server's base URL, e.g. "http://127.0.0.1:9090" */
  url: string;
  /** templates by name, overriding DEFAULT_QUERIES */
  queries?: Partial<Record<string, string>>;
  intervalMs: number;
  timeoutMs?: number;
  env?: string;
  now?: () => number;
}

/** A PromQL duration for an interval in ms: whole seconds, at least 1s. */
export const promDuration = (ms: number): string => `${Math.max(1, Math.round(ms / 1000))}s`;

export function renderQuery(template: string, target: MetricTarget, intervalMs: number): string {
  const vars: Record<string, string> = {
    target: new URL(target.url).host,
    colour: target.colour,
    interval: promDuration(intervalMs),
    // prodx's own health and version probes, as a regex alternation for `route!~"…"` (a series
    // without a route label has route="" and is kept)
    probeRoutes: (target.excludeRoutes ?? []).map((r) => r.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&')).join('|') || '_prodx_no_probe_route_',
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole);
}

/**
 * The one number an instant query answered: a scalar, or a vector of one series. NaN (e.g. a
 * quantile over no traffic) is `null`; anything else is an explained error.
 */
export function parseQueryResult(body: unknown): { value: number | null } | { error: string } {
  const b = body as { status?: unknown; error?: unknown; data?: { resultType?: unknown; result?: unknown } } | null;
  if (typeof b !== 'object' || b === null) return { error: 'the answer is not a JSON object' };
  if (b.status !== 'success')
    return { error: `the query failed: ${typeof b.error === 'string' ? b.error : JSON.stringify(b).slice(0, 120)}` };
  const { resultType, result } = b.data ?? {};
  let raw: unknown;
  if (resultType === 'scalar') raw = Array.isArray(result) ? result[1] : undefined;
  else if (resultType === 'vector' && Array.isArray(result)) {
    if (result.length === 0) return { error: 'the query returned no data (an empty vector): check the labels it selects' };
    if (result.length > 1) return { error: `the query returned ${result.length} series, not one: aggregate it, e.g. with sum()` };
    raw = (result[0] as { value?: unknown[] }).value?.[1];
  } else return { error: `the query returned a ${String(resultType)}, not a scalar or a vector` };
  if (typeof raw !== 'string') return { error: `the query result has no value: ${JSON.stringify(result).slice(0, 120)}` };
  const value = Number(raw);
  if (raw === 'NaN') return { value: null };
  // Number('+Inf') is NaN, which no limit catches and state.json cannot hold: +Inf (e.g. x/0) is no measurement
  if (!Number.isFinite(value)) return { error: `the query answered "${raw}", not a number` };
  return { value };
}

export function createPrometheusProvider(opts: PrometheusProviderOptions): MetricProvider {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const now = opts.now ?? Date.now;
  const queries = { ...DEFAULT_QUERIES, ...opts.queries } as Record<QueryName, string>;
  const where = opts.env ? `environments.${opts.env}.metrics` : 'metrics in the config';
  const endpoint = new URL('api/v1/query', opts.url.endsWith('/') ? opts.url : `${opts.url}/`).href;

  async function query(
    name: QueryName,
    target: MetricTarget,
    windowMs: number,
    signal?: AbortSignal,
  ): Promise<{ value: number | null } | { error: string; permanent?: boolean }> {
    const promql = renderQuery(queries[name], target, windowMs);
    let res;
    try {
      res = await got(endpoint, {
        searchParams: { query: promql },
        timeout: { request: timeoutMs },
        retry: { limit: 0 },
        throwHttpErrors: false,
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted || !(err instanceof RequestError)) throw err;
      return {
        error: `Prometheus at ${opts.url} is unreachable (${describeProbeError(err, timeoutMs)}): start it or correct ${where}.url`,
      };
    }
    // Prometheus serves /api/v1/query at its base URL: a 404 means the URL is wrong, and no wait fixes that
    if (res.statusCode === 404) {
      return {
        error: `${endpoint} answered HTTP 404: no Prometheus query API there; set ${where}.url to the server's base URL, e.g. http://127.0.0.1:9090`,
        permanent: true,
      };
    }
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      return { error: `${endpoint} answered HTTP ${res.statusCode} without JSON: is ${where}.url a Prometheus server?` };
    }
    const parsed = parseQueryResult(body);
    // Prometheus answers 400 bad_data to a query it cannot parse: no retry will fix that
    const permanent = res.statusCode === 400 || res.statusCode === 422;
    return 'error' in parsed
      ? { error: `${name} query \`${promql}\`: ${parsed.error} (${where}.queries.${name})`, ...(permanent ? { permanent } : {}) }
      : parsed;
  }

  return {
    kind: 'prometheus',
    async sample(target: MetricTarget, signal?: AbortSignal, windowMs = opts.intervalMs): Promise<Snapshot> {
      const [requests, errors, p95, p99] = await Promise.all(
        (['requests', 'errors', 'p95', 'p99'] as const).map((n) => query(n, target, windowMs, signal)),
      );
      const failed =
        [requests!, errors!, p95!, p99!].find((r) => 'error' in r && r.permanent) ?? [requests!, errors!].find((r) => 'error' in r);
      if (failed && 'error' in failed) {
        return {
          kind: 'unavailable',
          colour: target.colour,
          at: now(),
          reason: failed.error,
          ...(failed.permanent ? { permanent: true } : {}),
        };
      }
      const count = (r: { value: number | null } | { error: string }) => ('value' in r && r.value !== null ? Math.round(r.value) : 0);
      const latency = (r: { value: number | null } | { error: string }) => ('value' in r && r.value !== null ? r.value * 1000 : null);
      return {
        kind: 'interval',
        colour: target.colour,
        at: now(),
        requests: count(requests!),
        errors: count(errors!),
        p95Ms: latency(p95!),
        p99Ms: latency(p99!),
        // an unparseable latency query leaves that rule inconclusive with the reason, not the others
        ...('error' in p95! ? { latencyMissing: p95.error } : 'error' in p99! ? { latencyMissing: p99.error } : {}),
      };
    },
  };
}
