// Reads a target's request counters from its Prometheus /metrics, for the post-promotion error
// rate: the total of `http_requests_total` and the part with a 5xx status label.
import got from 'got';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface RequestCounts {
  requests: number;
  errors: number;
}

const STATUS_LABELS = ['status_code', 'code', 'status'];
const ROUTE_LABELS = ['route', 'path', 'handler'];

/**
 * `excludeRoutes` leaves out series whose route label is one of them — prodx's own health and
 * version probes, which would otherwise dilute the error rate of the app's real traffic.
 */
export function countRequests(text: string, metric = 'http_requests_total', excludeRoutes: readonly string[] = []): RequestCounts | null {
  const families = parsePrometheusTextFormat(text) as { name: string; metrics: { value?: string; labels?: Record<string, string> }[] }[];
  const family = families.find((f) => f.name === metric);
  if (!family) return null;
  let requests = 0;
  let errors = 0;
  for (const m of family.metrics) {
    const v = Number(m.value);
    if (!Number.isFinite(v)) continue;
    const route = ROUTE_LABELS.map((l) => m.labels?.[l]).find((x) => x !== undefined);
    if (route !== undefined && excludeRoutes.includes(route)) continue;
    requests += v;
    const status = STATUS_LABELS.map((l) => m.labels?.[l]).find((x) => x !== undefined);
    if (status?.startsWith('5')) errors += v;
  }
  return { requests, errors };
}

/** The counts served between two scrapes; a counter that went down means the target restarted. */
export function delta(before: RequestCounts, after: RequestCounts): RequestCounts {
  if (after.requests < before.requests || after.errors < before.errors) return after;
  return { requests: after.requests - before.requests, errors: after.errors - before.errors };
}

export async function scrapeRequestCounts(
  baseUrl: string,
  path: string,
  timeoutMs: number,
  signal?: AbortSignal,
  excludeRoutes: readonly string[] = [],
): Promise<RequestCounts> {
  const res = await got(new URL(path, baseUrl).href, {
    timeout: { request: timeoutMs },
    retry: { limit: 0 },
    throwHttpErrors: false,
    ...(signal ? { signal } : {}),
  });
  if (res.statusCode !== 200) throw new Error(`${path} answered HTTP ${res.statusCode}`);
  let counts: RequestCounts | null;
  try {
    counts = countRequests(res.body, 'http_requests_total', excludeRoutes);
  } catch {
    throw new Error(`${path} is not Prometheus text`);
  }
  if (!counts) throw new Error(`${path} has no http_requests_total counter`);
  return counts;
}
