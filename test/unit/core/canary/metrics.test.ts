import { describe, expect, it } from 'vitest';
import { Counter, Histogram, Registry } from 'prom-client';
import { diff, type Snapshot } from '../../../../src/core/canary/metrics.js';
import { histogramBuckets, isPrometheusText, parseLabels } from '../../../../src/adapters/metrics/exposition.js';
import { histogramQuantileMs } from '../../../../src/core/canary/quantile.js';

const buckets = (counts: number[]) => [0.1, 0.5, 1, Infinity].map((le, i) => ({ le, count: counts[i]! }));
const cum = (requests: number, errors: number, b: number[] | null): Snapshot => ({
  kind: 'cumulative',
  colour: 'green',
  at: 0,
  requests,
  errors,
  buckets: b ? buckets(b) : null,
});

describe('diff', () => {
  it('is what the target served between the samples', () => {
    const o = diff(cum(100, 2, [50, 90, 100, 100]), cum(300, 12, [150, 250, 290, 300]));
    // delta buckets 100, 160, 190, 200: p95 rank 190 is the top of the (0.5, 1] bucket
    expect(o).toEqual({ requests: 200, errors: 10, p95Ms: histogramQuantileMs(0.95, buckets([100, 160, 190, 200])), p99Ms: 1000 });
    expect((o as { p95Ms: number }).p95Ms).toBeCloseTo(1000, 9);
  });

  it.each([
    ['the request counter', cum(1000, 10, [900, 990, 1000, 1000]), cum(40, 1, [30, 38, 40, 40])],
    ['the error counter only', cum(50, 10, [40, 48, 50, 50]), cum(60, 1, [50, 58, 60, 60])],
    ['a bucket only', cum(50, 1, [40, 48, 50, 50]), cum(60, 1, [30, 58, 60, 60])],
  ])('a reset of %s (restarted target) takes the new counts as the interval', (_what, before, after) => {
    const o = diff(before, after);
    const a = after as Extract<Snapshot, { kind: 'cumulative' }>;
    expect(o).toMatchObject({ requests: a.requests, errors: a.errors, p95Ms: histogramQuantileMs(0.95, a.buckets!) });
  });

  it('without an earlier usable sample there is no interval yet', () => {
    expect(diff(null, cum(10, 0, null))).toEqual({ missing: 'first sample: the interval starts now' });
    const down: Snapshot = { kind: 'unavailable', colour: 'green', at: 0, reason: 'connection refused' };
    expect(diff(down, cum(10, 0, null))).toEqual({ missing: 'the previous sample failed (connection refused)' });
    expect(diff(cum(10, 0, null), down)).toEqual({ missing: 'connection refused' });
  });

  it('explains a missing latency', () => {
    expect(diff(cum(10, 0, null), cum(20, 0, null))).toEqual({
      requests: 10,
      errors: 0,
      p95Ms: null,
      p99Ms: null,
      latencyMissing: 'the target exports no latency histogram',
    });
    const same = cum(20, 0, [10, 20, 20, 20]);
    expect(diff(same, same)).toMatchObject({ requests: 0, p95Ms: null, latencyMissing: 'no request finished this interval' });
  });

  it('passes an interval snapshot through', () => {
    const s: Snapshot = { kind: 'interval', colour: 'blue', at: 0, requests: 7, errors: 1, p95Ms: 12, p99Ms: null };
    expect(diff(null, s)).toEqual({ requests: 7, errors: 1, p95Ms: 12, p99Ms: null });
  });
});

describe('exposition', () => {
  it('reads one histogram per label set from prom-client output (le first) and adds the series', async () => {
    const registry = new Registry();
    const h = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'h',
      labelNames: ['route', 'status_code'],
      buckets: [0.1, 1],
      registers: [registry],
    });
    const c = new Counter({ name: 'http_requests_total', help: 'c', labelNames: ['route', 'status_code'], registers: [registry] });
    h.observe({ route: '/', status_code: '200' }, 0.05);
    h.observe({ route: '/', status_code: '200' }, 0.5);
    h.observe({ route: '/', status_code: '500' }, 2);
    c.inc({ route: '/', status_code: '200' });
    const text = await registry.metrics();
    expect(histogramBuckets(text, 'http_request_duration_seconds')).toEqual([
      { le: 0.1, count: 1 },
      { le: 1, count: 2 },
      { le: Infinity, count: 3 },
    ]);
    expect(histogramBuckets(text, 'http_request_duration_seconds', { status_code: '500' })).toEqual([
      { le: 0.1, count: 0 },
      { le: 1, count: 0 },
      { le: Infinity, count: 1 },
    ]);
    expect(histogramBuckets(text, 'other_seconds')).toBeNull();
    expect(isPrometheusText(text)).toBe(true);
  });

  it('tells Prometheus text from other bodies', () => {
    expect(isPrometheusText('<!doctype html><html><body>Not found</body></html>')).toBe(false);
    expect(isPrometheusText('{"ok":true}')).toBe(false);
    expect(isPrometheusText('')).toBe(false);
  });

  it('unescapes label values', () => {
    expect(parseLabels('a="x\\"y",b="1\\\\2",le="+Inf"')).toEqual({ a: 'x"y', b: '1\\2', le: '+Inf' });
  });
});
