import { describe, expect, it } from 'vitest';
import type { WebVitalEvent } from '../../../../src/core/rum/events.js';
import { THRESHOLDS, type MetricName } from '../../../../src/core/rum/metrics.js';
import { storedVital } from '../../../support/rum.js';
import { assess, buildReport } from '../../../../src/core/rum/report.js';
import { Rollup } from '../../../../src/core/rum/rollup.js';

const T0 = Date.UTC(2026, 11, 1, 10);
const vital = (name: MetricName, value: number, o: Partial<WebVitalEvent> = {}) => storedVital(name, value, { ts: T0, ...o });
const report = (r: Rollup, minSamples = 20) =>
  buildReport({
    total: r,
    buckets: [{ start: T0, all: new Map([...r.metrics].map(([m, x]) => [m, x.all])) }],
    bucketMs: 3_600_000,
    from: T0,
    until: T0 + 3_600_000,
    minSamples,
  });
const nearestRank = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1]!;

describe('p75 from the sketch', () => {
  it.each([
    ['uniform LCP', () => 200 + Math.random() * 6000],
    ['log-normal LCP', () => Math.exp(7.6 + 0.6 * gaussian())],
    ['heavy-tailed INP', () => 16 + 40 / Math.pow(Math.random(), 0.8)],
  ])('%s: within 1%% of the exact nearest-rank p75 (and p50, p95) on 5,000 samples', (_, draw) => {
    const r = new Rollup(T0);
    const xs = Array.from({ length: 5000 }, draw);
    for (const x of xs) r.add(vital('LCP', Math.min(x, 600_000)));
    const m = report(r).metrics[0]!;
    for (const [q, got] of [
      [0.5, m.p50],
      [0.75, m.p75],
      [0.95, m.p95],
    ] as const) {
      const exact = nearestRank(xs, q);
      expect(Math.abs(got! - exact) / exact).toBeLessThan(0.01);
    }
  });

  it('merged rollups (two collectors, two hours) give the same quantiles as one', () => {
    const xs = Array.from({ length: 2000 }, () => 100 + Math.random() * 5000);
    const one = new Rollup(T0);
    const [a, b] = [new Rollup(T0), new Rollup(T0 + 3_600_000)];
    xs.forEach((x, i) => {
      const e = vital('LCP', x);
      one.add(e);
      (i % 2 ? a : b).add(e);
    });
    const merged = new Rollup(T0);
    merged.merge(JSON.parse(JSON.stringify(a.toJson())));
    merged.merge(JSON.parse(JSON.stringify(b.toJson())));
    expect(report(merged).metrics).toEqual(report(one).metrics);
    expect(report(merged).events).toBe(2000);
  });
});

describe('ratings and verdicts from exact counts', () => {
  it.each(['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as MetricName[])(
    '%s: a p75 exactly on the good threshold is good; one sample more above it is not',
    (m) => {
      const [good, poor] = THRESHOLDS[m];
      const on = new Rollup(T0);
      // 75 of 100 at the threshold, 25 just above: nearest-rank p75 = the threshold
      for (let i = 0; i < 75; i++) on.add(vital(m, good));
      for (let i = 0; i < 25; i++) on.add(vital(m, good * 1.001 + 0.001));
      const s = report(on).metrics[0]!;
      expect(s).toMatchObject({ rating: 'good', good: 0.75, needsImprovement: 0.25, poor: 0 });
      const off = new Rollup(T0);
      for (let i = 0; i < 74; i++) off.add(vital(m, good));
      for (let i = 0; i < 26; i++) off.add(vital(m, poor));
      expect(report(off).metrics[0]).toMatchObject({ rating: 'needs-improvement', good: 0.74, needsImprovement: 0.26, poor: 0 });
      const bad = new Rollup(T0);
      for (let i = 0; i < 74; i++) bad.add(vital(m, poor));
      for (let i = 0; i < 26; i++) bad.add(vital(m, poor * 2));
      expect(report(bad).metrics[0]).toMatchObject({ rating: 'poor', needsImprovement: 0.74, poor: 0.26 });
    },
  );

  it('assess is the p75 rule: at least three quarters at or below T', () => {
    expect(assess({ count: 4, good: 3, notPoor: 3 }, 1)).toBe('good');
    expect(assess({ count: 4, good: 2, notPoor: 3 }, 1)).toBe('needs-improvement');
    expect(assess({ count: 4, good: 2, notPoor: 2 }, 1)).toBe('poor');
    expect(assess({ count: 19, good: 19, notPoor: 19 }, 20)).toBe('not-enough-data');
  });

  it('judges each page and form factor on LCP, INP and CLS; on LCP and CLS where there is no INP; names the worst target', () => {
    const r = new Rollup(T0);
    for (let i = 0; i < 40; i++) {
      r.add(vital('LCP', 1200, { page: '/', device: 'desktop' }));
      r.add(vital('CLS', 0.01, { page: '/', device: 'desktop' }));
      r.add(vital('LCP', 1500, { page: '/radar', device: 'desktop' }));
      r.add(vital('CLS', 0.02, { page: '/radar', device: 'desktop' }));
      r.add(
        vital('INP', i < 20 ? 150 : i === 39 ? 900 : 700, {
          page: '/radar',
          device: 'desktop',
          attribution: { target: i === 39 ? '#map' : 'button' },
        }),
      );
      r.add(vital('LCP', 5200, { page: '/radar', device: 'phone', attribution: { target: i === 7 ? 'img.hero' : 'p' } }));
      r.add(vital('CLS', 0.05, { page: '/radar', device: 'phone' }));
    }
    for (let i = 0; i < 5; i++) r.add(vital('LCP', 900, { page: '/about', device: 'tablet' }));
    const v = Object.fromEntries(report(r).verdicts.map((x) => [`${x.page} ${x.device}`, x]));
    expect(v['/ desktop']).toMatchObject({ verdict: 'pass' });
    expect(v['/ desktop']!.metrics.INP).toBeUndefined();
    expect(v['/radar desktop']).toMatchObject({ verdict: 'fail', worst: { metric: 'INP', target: '#map', value: 900 } });
    expect(v['/radar phone']!.verdict).toBe('fail');
    expect(v['/radar phone']!.worst!.metric).toBe('LCP');
    expect(v['/about tablet']!.verdict).toBe('not-enough-data');
    expect(report(r).failing.map((f) => `${f.page} ${f.device}`)).toEqual(['/radar desktop', '/radar phone']);
  });

  it('FID is shown as legacy with 100/300 ms and never decides a verdict', () => {
    const r = new Rollup(T0);
    for (let i = 0; i < 30; i++) {
      r.add(vital('LCP', 1000));
      r.add(vital('CLS', 0));
      r.add(vital('FID', 900));
    }
    const rep = report(r);
    expect(rep.metrics.find((m) => m.name === 'FID')).toMatchObject({ legacy: true, thresholds: [100, 300], rating: 'poor' });
    expect(rep.verdicts[0]!.verdict).toBe('pass');
  });
});

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}
