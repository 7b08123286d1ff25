// Reads histogram buckets out of Prometheus text exposition. Hand-written for the buckets:
// parse-prometheus-text-format (used for counters, see scrape.ts) drops the labels of histogram
// series whose `le` label comes first, as prom-client writes it, and merges them into one, so it
// cannot select one upstream's or one route's buckets.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { mergeBuckets, type Bucket } from '../../core/canary/quantile.js';

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/g;

export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of text.matchAll(LABEL)) labels[m[1]!] = m[2]!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
  return labels;
}

export function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

const ROUTE_LABELS = ['route', 'path', 'handler'];

/**
 * The `<histogram>_bucket` series whose labels match `where`, added up per bound; null when the
 * text has no such series. Series whose route label is in `excludeRoutes` (prodx's own probes)
 * are left out.
 */
export function histogramBuckets(
  text: string,
  histogram: string,
  where: Record<string, string> = {},
  excludeRoutes: readonly string[] = [],
): Bucket[] | null {
  const series = new Map<string, Bucket[]>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${histogram}_bucket`)) continue;
    const m = SAMPLE.exec(line.trim());
    if (!m || m[1] !== `${histogram}_bucket`) continue;
    const { le, ...labels } = parseLabels(m[2] ?? '');
    const count = parseValue(m[3]!);
    if (le === undefined || !Number.isFinite(count)) continue;
    if (Object.entries(where).some(([k, v]) => labels[k] !== v)) continue;
    const route = ROUTE_LABELS.map((l) => labels[l]).find((x) => x !== undefined);
    if (route !== undefined && excludeRoutes.includes(route)) continue;
    const key = JSON.stringify(Object.entries(labels).sort());
    series.set(key, [...(series.get(key) ?? []), { le: parseValue(le), count }]);
  }
  return series.size === 0 ? null : mergeBuckets(...series.values());
}

/** Whether a body looks like Prometheus text at all: at least one metric family parses. */
export function isPrometheusText(text: string): boolean {
  try {
    return (parsePrometheusTextFormat(text) as unknown[]).length > 0;
  } catch {
    return false;
  }
}
