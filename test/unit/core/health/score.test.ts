import { describe, expect, it } from 'vitest';
import { AREA_WEIGHTS, AREAS, healthScore, type HealthInput } from '../../../../src/core/health/score.js';

const T = { performance: 90, security: 95, errorRate: 0.02, responseTime: 2000, availability: 99.9 };
const perfect = {
  availability: { probes: 2000, successes: 2000 },
  performance: {
    vitals: { LCP: { rating: 'good', p75: 1800 }, INP: { rating: 'good', p75: 120 }, CLS: { rating: 'good', p75: 0.05 } },
    latency: { ms: 350, stat: 'p95' },
  },
  errors: { requests: 10_000, errors: 10, newGroups: 0, regressedGroups: 0 },
  deployments: { deploys: 10, succeeded: 10, rolledBack: 0, mttrMs: null },
  security: { critical: 0, high: 0, moderate: 0, low: 0 },
} satisfies HealthInput;
const HOUR = 3_600_000;
const score = (over: HealthInput) => healthScore({ ...perfect, ...over }, T);
const points = (r: ReturnType<typeof healthScore>, area: (typeof AREAS)[number]) =>
  r.areas[area].deductions.reduce((s, d) => s + d.points, 0);

describe('healthScore', () => {
  it('scores all-perfect input 100 everywhere, healthy, with no deductions', () => {
    const r = healthScore(perfect, T);
    expect(r.overall).toBe(100);
    expect(r.status).toBe('healthy');
    expect(r.deductions).toEqual([]);
    for (const area of AREAS) expect(r.areas[area]).toMatchObject({ score: 100, status: 'scored', belowThreshold: false, deductions: [] });
  });

  it('reports security as not configured (null or missing), never 100, and leaves it out of the overall', () => {
    const rest = { ...perfect, availability: { probes: 1000, successes: 950 } }; // 95.0% → 51
    const withNull = healthScore({ ...rest, security: null }, T);
    const without = healthScore(
      { availability: rest.availability, performance: rest.performance, errors: rest.errors, deployments: rest.deployments },
      T,
    );
    expect(withNull.areas.security).toEqual({ score: null, status: 'not configured', belowThreshold: false, deductions: [], notes: [] });
    expect(without.areas.security.status).toBe('not configured');
    const { availability: a, errors: e, performance: p, deployments: d } = AREA_WEIGHTS;
    const expected = Math.round((a * 51 + (e + p + d) * 100) / (a + e + p + d));
    expect(withNull.overall).toBe(expected);
    expect(without.overall).toBe(expected);
    // had security counted as a silent 100, the overall would be higher
    expect(healthScore(rest, T).overall).toBeGreaterThan(expected);
  });

  it('deducts more for a poor vital than for needs-improvement, and nothing for not enough data (noted)', () => {
    const lcp = (rating: 'good' | 'needs-improvement' | 'poor' | 'not-enough-data', p75: number | null) =>
      score({ performance: { ...perfect.performance, vitals: { ...perfect.performance.vitals, LCP: { rating, p75 } } } }).areas.performance;
    const cases = [
      { rating: 'good', p75: 2000, lost: 0 },
      { rating: 'needs-improvement', p75: 3100, lost: 10 },
      { rating: 'poor', p75: 4800, lost: 25 },
      { rating: 'not-enough-data', p75: null, lost: 0 },
    ] as const;
    for (const c of cases) expect(100 - (lcp(c.rating, c.p75).score ?? 0)).toBe(c.lost);
    expect(lcp('poor', 4800).deductions[0]!.cause).toBe('LCP p75 4800 ms is poor (good up to 2500 ms)');
    expect(lcp('not-enough-data', null).notes).toEqual(['LCP: not enough data']);
  });

  it('an area whose only data is "not enough data" is no data, not 100', () => {
    const nd = { rating: 'not-enough-data', p75: null } as const;
    const r = score({ performance: { vitals: { LCP: nd, INP: nd, CLS: nd } } });
    expect(r.areas.performance).toMatchObject({
      score: null,
      status: 'no data',
      notes: ['LCP: not enough data', 'INP: not enough data', 'CLS: not enough data'],
    });
  });

  it.each([
    { successes: 1999, deducts: 0 }, // 99.95%
    { successes: 2000, deducts: 0 },
    { successes: 1998, deducts: 0 }, // 99.9% exactly meets the threshold
    { successes: 1980, deducts: 9, text: 'health checks succeeded 99.0% of the time (threshold 99.9%)', measured: 99 },
    { successes: 1942, deducts: 28, text: 'health checks succeeded 97.1% of the time (threshold 99.9%)', measured: 97.1 },
    { successes: 1000, deducts: 100, text: 'health checks succeeded 50.0% of the time (threshold 99.9%)', measured: 50 },
  ])('availability $successes of 2000 probes deducts $deducts', ({ successes, deducts, text, measured }) => {
    const area = score({ availability: { probes: 2000, successes } }).areas.availability;
    expect(area.score).toBe(100 - deducts);
    expect(area.belowThreshold).toBe(deducts > 0);
    if (text) expect(area.deductions).toEqual([{ area: 'availability', points: deducts, cause: text, measured, threshold: 99.9 }]);
    else expect(area.deductions).toEqual([]);
  });

  it('deducts for an error rate of 0.05 against 0.02, naming both, and for new and regressed groups', () => {
    const r = score({ errors: { requests: 1000, errors: 50, newGroups: 2, regressedGroups: 9 } });
    expect(r.areas.errors.deductions).toEqual([
      { area: 'errors', points: 30, cause: '5.0% of requests failed (threshold 2.0%)', measured: 0.05, threshold: 0.02 },
      { area: 'errors', points: 20, cause: '9 regressed error groups', measured: 9, threshold: 0 },
      { area: 'errors', points: 10, cause: '2 new error groups', measured: 2, threshold: 0 },
    ]);
    expect(r.areas.errors).toMatchObject({ score: 40, belowThreshold: true });
    expect(score({ errors: { requests: 1000, errors: 20, newGroups: 0, regressedGroups: 0 } }).areas.errors.deductions).toEqual([]);
  });

  it('deducts for slow latency, failed and rolled-back deploys and a long recovery', () => {
    const r = score({
      performance: { ...perfect.performance, latency: { ms: 2500, stat: 'p95' } },
      deployments: { deploys: 10, succeeded: 8, rolledBack: 1, mttrMs: 12.5 * HOUR },
    });
    expect(r.areas.performance.deductions.map((d) => [d.points, d.cause])).toEqual([[10, 'p95 response time 2500 ms (threshold 2000 ms)']]);
    expect(r.areas.deployments.deductions.map((d) => [d.points, d.cause])).toEqual([
      [20, '2 of 10 deploys failed (20.0%)'],
      [10, '1 of 10 deploys rolled back (10.0%)'],
      [10, 'mean time to recovery 12.5 h (elite teams recover within 1 h)'],
    ]);
  });

  const inputs: Record<string, HealthInput> = {
    perfect,
    mixed: {
      ...perfect,
      availability: { probes: 1000, successes: 983 },
      performance: {
        vitals: { LCP: { rating: 'poor', p75: 5200 }, INP: { rating: 'needs-improvement', p75: 350 } },
        latency: { ms: 2001, stat: 'mean' },
      },
      security: { critical: 0, high: 1, moderate: 3, low: 12 },
    },
    overflowing: {
      availability: { probes: 100, successes: 10 },
      errors: { requests: 10, errors: 9, newGroups: 50, regressedGroups: 50 },
      deployments: { deploys: 4, succeeded: 1, rolledBack: 1, mttrMs: 48 * HOUR },
      security: { critical: 3, high: 4, moderate: 30, low: 30 },
    },
    float: { availability: { probes: 3, successes: 2 }, errors: { requests: 3, errors: 1, newGroups: 1, regressedGroups: 0 } },
  };
  it.each(Object.entries(inputs))('keeps 100 − Σ points = score for every area, integers, largest first (%s)', (_, input) => {
    const r = healthScore(input, T);
    for (const area of AREAS) {
      const a = r.areas[area];
      if (a.score === null) continue;
      expect(100 - points(r, area)).toBe(a.score);
      expect(a.score).toBeGreaterThanOrEqual(0);
      for (const d of a.deductions) expect(Number.isInteger(d.points) && d.points > 0).toBe(true);
    }
    expect(r.deductions.length).toBe(AREAS.reduce((n, area) => n + r.areas[area].deductions.length, 0));
    expect(r.deductions.map((d) => d.points)).toEqual([...r.deductions.map((d) => d.points)].sort((a, b) => b - a));
  });

  it('cuts deductions at 100 and notes the causes that had no points left', () => {
    const r = healthScore(inputs.overflowing!, T);
    expect(r.areas.security.score).toBe(0);
    expect(r.areas.security.deductions.map((d) => d.points)).toEqual([75, 25]);
    expect(r.areas.security.notes).toEqual([
      '30 moderate vulnerabilities (no points left to lose)',
      '30 low vulnerabilities (no points left to lose)',
    ]);
  });

  it.each([
    { name: 'all good', over: {}, below: [], status: 'healthy' },
    {
      name: 'one poor vital (75 < 90)',
      over: { performance: { vitals: { LCP: { rating: 'poor', p75: 5000 } } } },
      below: ['performance'],
      status: 'degraded',
    },
    {
      name: 'latency just over 2000 ms',
      over: { performance: { latency: { ms: 2001, stat: 'p95' } } },
      below: ['performance'],
      status: 'degraded',
    },
    {
      name: 'one high finding (90 < 95)',
      over: { security: { critical: 0, high: 1, moderate: 0, low: 0 } },
      below: ['security'],
      status: 'degraded',
    },
    { name: 'two moderate findings (96)', over: { security: { critical: 0, high: 0, moderate: 2, low: 0 } }, below: [], status: 'healthy' },
    {
      name: 'error rate 1.9%',
      over: { errors: { requests: 1000, errors: 19, newGroups: 0, regressedGroups: 0 } },
      below: [],
      status: 'healthy',
    },
    {
      name: 'a new error group only',
      over: { errors: { requests: 1000, errors: 1, newGroups: 1, regressedGroups: 0 } },
      below: [],
      status: 'healthy',
    },
    {
      name: '3 of 10 deploys failed (70 < 80)',
      over: { deployments: { deploys: 10, succeeded: 7, rolledBack: 0, mttrMs: HOUR } },
      below: ['deployments'],
      status: 'degraded',
    },
    {
      name: 'availability 95.0% (51)',
      over: { availability: { probes: 1000, successes: 950 } },
      below: ['availability'],
      status: 'critical',
    },
    {
      name: 'error rate 7% (50)',
      over: { errors: { requests: 100, errors: 7, newGroups: 0, regressedGroups: 0 } },
      below: ['errors'],
      status: 'critical',
    },
  ] as const)('belowThreshold and status: $name', ({ over, below, status }) => {
    const r = score(over as HealthInput);
    expect(AREAS.filter((a) => r.areas[a].belowThreshold)).toEqual(below);
    expect(r.status).toBe(status);
  });

  it('treats every input null, empty or zero as no data: overall null, status unknown, nothing scored', () => {
    const cases: HealthInput[] = [
      {},
      { availability: null, performance: null, errors: null, deployments: null, security: null },
      {
        availability: { probes: 0, successes: 0 },
        performance: {},
        errors: { requests: 0, errors: 0, newGroups: 0, regressedGroups: 0 },
        deployments: { deploys: 0, succeeded: 0, rolledBack: 0, mttrMs: null },
      },
    ];
    for (const input of cases) {
      const r = healthScore(input, T);
      expect(r).toMatchObject({ overall: null, status: 'unknown', deductions: [] });
      for (const area of AREAS) {
        expect(r.areas[area]).toMatchObject({
          score: null,
          status: area === 'security' ? 'not configured' : 'no data',
          belowThreshold: false,
        });
      }
    }
  });

  it('scores the overall from the areas with data only', () => {
    const r = healthScore({ availability: { probes: 1000, successes: 990 } }, T);
    expect(r.overall).toBe(91);
    expect(r.areas.errors.status).toBe('no data');
  });
});
