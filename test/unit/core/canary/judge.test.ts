import { describe, expect, it } from 'vitest';
import { judgeInterval, stepVerdict, type AnalysisRules, type Measurement, type RuleResult } from '../../../../src/core/canary/judge.js';
import { compareErrorRates } from '../../../../src/core/canary/compare.js';

const rules: AnalysisRules = { maxErrorRate: 0.05, maxP95Ms: 500, minRequests: 50 };
const m = (requests: number, errors: number, p95Ms: number | null = 100, p99Ms: number | null = 200): Measurement => ({
  requests,
  errors,
  p95Ms,
  p99Ms,
});
const byRule = (results: RuleResult[]) => Object.fromEntries(results.map((r) => [r.rule, r]));

/** The textbook test, computed here independently: pooled two-proportion z and its upper tail. */
function textbookPValue(x1: number, n1: number, x2: number, n2: number): number {
  const p = (x1 + x2) / (n1 + n2);
  const z = (x1 / n1 - x2 / n2) / Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  // P(Z ≥ z) by Simpson's rule over the standard normal density from z to z + 12
  const f = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  const n = 20_000;
  const h = 12 / n;
  let sum = f(z) + f(z + 12);
  for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * f(z + i * h);
  return (sum * h) / 3;
}

describe('compareErrorRates', () => {
  it.each([
    [40, 1000, 50, 10_000],
    [30, 1000, 100, 10_000],
    [12, 400, 8, 400],
    [5, 200, 9, 300],
  ])('matches the pooled z-test: %i/%i vs %i/%i', (x1, n1, x2, n2) => {
    const c = compareErrorRates(x1, n1, x2, n2);
    const expected = textbookPValue(x1, n1, x2, n2);
    expect(c.pValue / expected).toBeCloseTo(1, 5);
    expect(c.difference).toBeCloseTo(x1 / n1 - x2 / n2, 12);
  });

  it('equal rates give z = 0 and p = 0.5; no errors on either side is no evidence', () => {
    expect(compareErrorRates(10, 1000, 100, 10_000)).toMatchObject({ z: 0, pValue: 0.5 });
    expect(compareErrorRates(0, 1000, 0, 10_000)).toMatchObject({ z: 0, pValue: 0.5 });
  });
});

describe('judgeInterval', () => {
  it('noise at low traffic is inconclusive on every rule, never a pass or a fail', () => {
    const r = byRule(judgeInterval(m(10, 2), m(90, 0), rules));
    expect(r['error-rate']).toMatchObject({ verdict: 'inconclusive', value: 0.2, reason: '10 canary requests < 50 needed for a verdict' });
    expect(r['p95']!.verdict).toBe('inconclusive');
    expect(r['vs-stable']!.verdict).toBe('inconclusive');
    expect(stepVerdict(Object.values(r), 0, 0).action).toBe('hold');
  });

  it('a much worse canary under the absolute limit fails the comparison with stable', () => {
    const r = byRule(judgeInterval(m(1000, 40), m(10_000, 50), rules));
    expect(r['error-rate']).toMatchObject({ verdict: 'pass', reason: 'error rate 4.0% ≤ 5.0%' });
    expect(r['vs-stable']!.verdict).toBe('fail');
    expect(r['vs-stable']!.value).toBeCloseTo(textbookPValue(40, 1000, 50, 10_000), 12);
    expect(r['vs-stable']!.reason).toMatch(/^canary error rate 4\.0% vs stable 0\.5%: worse by 3\.5% > 1\.0% with p=\S+ < 0\.01$/);
    const v = stepVerdict(Object.values(r), 0, 0);
    expect(v.action).toBe('abort');
  });

  it('equal rates pass', () => {
    const r = byRule(judgeInterval(m(1000, 10), m(10_000, 100), rules));
    expect(r['vs-stable']).toMatchObject({ verdict: 'pass', value: 0.5 });
    expect(stepVerdict(Object.values(r), 0, 1)).toMatchObject({ action: 'advance', failed: 0 });
  });

  it('a significant but tiny difference at huge traffic passes (practical margin)', () => {
    const r = byRule(judgeInterval(m(1_000_000, 10_500), m(10_000_000, 100_000), rules));
    expect(r['vs-stable']!.value!).toBeLessThan(0.01);
    expect(r['vs-stable']).toMatchObject({ verdict: 'pass' });
    expect(r['vs-stable']!.reason).toContain('difference 0.1% ≤ 1.0%');
  });

  it('a worse canary without significance (few errors) passes the comparison', () => {
    const r = byRule(judgeInterval(m(60, 2), m(600, 6), rules));
    expect(r['vs-stable']!.value).toBeGreaterThan(0.01);
    expect(r['vs-stable']!.verdict).toBe('pass');
  });

  it.each([
    ['over the error-rate limit', m(200, 42), 'error-rate', 'error rate 21.0% > 5.0%'],
    ['over the p95 limit', m(200, 0, 812.4), 'p95', 'p95 812ms > 500ms'],
  ])('fails %s with the value and the limit in the reason', (_what, canary, rule, reason) => {
    const r = byRule(judgeInterval(canary, m(2000, 0), rules));
    expect(r[rule]).toMatchObject({ verdict: 'fail', reason });
  });

  it('judges p99 only when maxP99Ms is set', () => {
    expect(byRule(judgeInterval(m(200, 0, 100, 900), null, rules))['p99']).toBeUndefined();
    const r = byRule(judgeInterval(m(200, 0, 100, 900), null, { ...rules, maxP99Ms: 800 }));
    expect(r['p99']).toMatchObject({ verdict: 'fail', value: 900, limit: 800, reason: 'p99 900ms > 800ms' });
  });

  it('missing metrics, no traffic and no latency histogram are inconclusive with the reason', () => {
    const missing = byRule(judgeInterval({ missing: 'http://x/metrics answered HTTP 404' }, m(100, 0), rules));
    expect(missing['error-rate']).toMatchObject({
      verdict: 'inconclusive',
      reason: 'no metrics for the canary: http://x/metrics answered HTTP 404',
    });
    const idle = byRule(judgeInterval(m(0, 0, null, null), m(0, 0), { ...rules, minRequests: 0 }));
    expect(Object.values(idle).every((r) => r.verdict === 'inconclusive')).toBe(true);
    expect(idle['error-rate']!.reason).toBe('no traffic to the canary this interval');
    const noHist = byRule(
      judgeInterval({ ...m(100, 0, null, null), latencyMissing: 'the target exports no latency histogram' }, m(100, 0), rules),
    );
    expect(noHist['p95']).toMatchObject({
      verdict: 'inconclusive',
      reason: 'no p95 for the canary: the target exports no latency histogram',
    });
    const noStable = byRule(judgeInterval(m(100, 0), { missing: 'unreachable' }, rules));
    expect(noStable['vs-stable']).toMatchObject({ verdict: 'inconclusive', reason: 'no metrics for the stable colour: unreachable' });
  });

  it('leaves out the comparison when compareToStable is false', () => {
    expect(judgeInterval(m(100, 0), m(100, 0), { ...rules, compareToStable: false }).map((r) => r.rule)).toEqual(['error-rate', 'p95']);
  });
});

describe('stepVerdict', () => {
  const fail: RuleResult = { rule: 'error-rate', verdict: 'fail', value: 0.21, limit: 0.02, reason: 'error rate 21.0% > 2.0%' };
  const pass: RuleResult = { rule: 'p95', verdict: 'pass', value: 80, limit: 500, reason: 'p95 80ms ≤ 500ms' };
  const unsure: RuleResult = {
    rule: 'vs-stable',
    verdict: 'inconclusive',
    value: null,
    limit: 0.01,
    reason: '3 canary requests < 50 needed for a verdict',
  };

  it.each([
    [[fail, pass], 1, 1, 'abort', 2, 'failed (2) > failureLimit (1): error rate 21.0% > 2.0%'],
    [[fail, pass], 0, 1, 'hold', 1, 'failed (1) ≤ failureLimit (1): error rate 21.0% > 2.0%'],
    [[fail], 0, 0, 'abort', 1, 'failed (1) > failureLimit (0): error rate 21.0% > 2.0%'],
    [[pass, unsure], 1, 1, 'hold', 1, 'inconclusive: 3 canary requests < 50 needed for a verdict'],
    [[pass], 1, 1, 'advance', 1, 'all 1 rules passed: p95 80ms ≤ 500ms'],
    [[], 0, 1, 'hold', 0, 'no analysis rules were evaluated'],
  ] as const)('%j with %i failed before, limit %i → %s', (results, before, limit, action, failed, reason) => {
    expect(stepVerdict(results, before, limit)).toEqual({ action, failed, reason });
  });
});
