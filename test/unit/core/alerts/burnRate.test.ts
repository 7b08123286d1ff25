import { describe, expect, it, vi } from 'vitest';
import {
  burnFactor,
  burnRate,
  defaultBurnRateWindows,
  evaluateBurnRate,
  type Slo,
  type WindowCounts,
} from '../../../../src/core/alerts/burnRate.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const now = 1_700_000_000_000;
const slo30: Slo = { objective: 0.999, periodMs: 30 * DAY };
/** budget 2^-10, so counts give burn rates bit-for-bit equal to the factors */
const sloExact: Slo = { objective: 1 - 2 ** -10, periodMs: 30 * DAY };

/** count lookup keyed by window length; a window not listed has no traffic */
const lookup =
  (byWindow: Record<number, WindowCounts>) =>
  (sinceMs: number): WindowCounts =>
    byWindow[now - sinceMs] ?? { total: 0, bad: 0 };
/** counts in which the window burns `rate` times the budget */
const atRate = (rate: number, total = 1_000_000, slo = slo30): WindowCounts => ({
  total,
  bad: Math.round(rate * (1 - slo.objective) * total),
});
const evaluate = (byWindow: Record<number, WindowCounts>, slo = slo30, minRequests?: number) =>
  evaluateBurnRate({ slo, now, count: lookup(byWindow), ...(minRequests !== undefined ? { minRequests } : {}) });

const pairs = [
  { index: 0, name: 'page 1h/5m', longMs: HOUR, shortMs: 5 * MIN, factor: 14.4 },
  { index: 1, name: 'page 6h/30m', longMs: 6 * HOUR, shortMs: 30 * MIN, factor: 6 },
  { index: 2, name: 'ticket 3d/6h', longMs: 3 * DAY, shortMs: 6 * HOUR, factor: 1 },
];

describe('defaultBurnRateWindows', () => {
  it('is the workbook three pairs, short window = long / 12, as budget shares', () => {
    expect(defaultBurnRateWindows()).toEqual([
      { severity: 'page', longMs: HOUR, shortMs: 5 * MIN, budgetShare: 0.02 },
      { severity: 'page', longMs: 6 * HOUR, shortMs: 30 * MIN, budgetShare: 0.05 },
      { severity: 'ticket', longMs: 3 * DAY, shortMs: 6 * HOUR, budgetShare: 0.1 },
    ]);
  });

  it('returns a new array each call', () => {
    const a = defaultBurnRateWindows();
    a.pop();
    expect(defaultBurnRateWindows()).toHaveLength(3);
  });
});

describe('burnFactor', () => {
  it.each([
    { period: '30 days', periodMs: 30 * DAY, factors: [14.4, 6, 1] },
    { period: '28 days', periodMs: 28 * DAY, factors: [13.44, 5.6, 0.9333] },
    { period: '7 days', periodMs: 7 * DAY, factors: [3.36, 1.4, 0.2333] },
  ])('derives the factors from the budget shares for a $period period', ({ periodMs, factors }) => {
    const got = defaultBurnRateWindows().map((w) => burnFactor({ objective: 0.999, periodMs }, w));
    got.forEach((f, i) => expect(f).toBeCloseTo(factors[i]!, 4));
  });

  it('does not depend on the objective', () => {
    const w = defaultBurnRateWindows()[0]!;
    expect(burnFactor({ objective: 0.99, periodMs: 30 * DAY }, w)).toBeCloseTo(14.4, 10);
  });

  it.each([
    { objective: 1, periodMs: 30 * DAY },
    { objective: 0, periodMs: 30 * DAY },
    { objective: 0.999, periodMs: 0 },
  ])('refuses an SLO that has no budget or no period: %o', (slo) => {
    expect(() => burnFactor(slo, defaultBurnRateWindows()[0]!)).toThrow(RangeError);
  });
});

describe('burnRate', () => {
  it('is the bad ratio over the error budget, and 0 without requests', () => {
    expect(burnRate(slo30, { total: 1000, bad: 1 })).toBeCloseTo(1, 10);
    expect(burnRate(slo30, { total: 1000, bad: 20 })).toBeCloseTo(20, 10);
    expect(burnRate(slo30, { total: 0, bad: 0 })).toBe(0);
  });
});

describe('evaluateBurnRate thresholds (both windows at the same rate)', () => {
  const cases = pairs.flatMap((p) => [
    { ...p, at: 'exactly at', mult: 1, firing: false },
    { ...p, at: 'just under', mult: 0.99, firing: false },
    { ...p, at: 'just over', mult: 1.01, firing: true },
  ]);
  it.each(cases)('$name: $at the factor → firing $firing', ({ index, longMs, shortMs, factor, mult, firing }) => {
    const r = evaluate({ [longMs]: atRate(factor * mult), [shortMs]: atRate(factor * mult) }).results[index]!;
    expect(r).toMatchObject({ longMs, shortMs, firing });
    expect(r.factor).toBeCloseTo(factor, 10);
    expect(r.longRate).toBeCloseTo(factor * mult, 6);
    expect(r.shortRate).toBeCloseTo(factor * mult, 6);
  });

  it.each(pairs)('$name: a burn rate bit-for-bit equal to the factor does not fire (strictly greater)', ({ index, longMs, shortMs }) => {
    const counts = atRate(pairs[index]!.factor, 1_024_000, sloExact);
    const r = evaluate({ [longMs]: counts, [shortMs]: counts }, sloExact).results[index]!;
    expect(r.longRate).toBe(r.factor);
    expect(r.shortRate).toBe(r.factor);
    expect(r.firing).toBe(false);
  });

  it('treats a rate within float rounding of the factor as equal', () => {
    const counts = { total: 1_024_000, bad: 14_400 * (1 + 1e-12) };
    const r = evaluate({ [HOUR]: counts, [5 * MIN]: counts }, sloExact).results[0]!;
    expect(r.longRate).toBeGreaterThan(r.factor);
    expect(r.firing).toBe(false);
  });

  it('uses the period: 14× pages a 28-day SLO (13.44) but not a 30-day one (14.4)', () => {
    const counts = { [HOUR]: atRate(14), [5 * MIN]: atRate(14) };
    expect(evaluate(counts, { objective: 0.999, periodMs: 28 * DAY }).results[0]!.firing).toBe(true);
    expect(evaluate(counts).results[0]!.firing).toBe(false);
  });

  it('says why it fires', () => {
    const r = evaluate({ [HOUR]: atRate(20), [5 * MIN]: atRate(30) }).results[0]!;
    expect(r.reason).toBe('spending over 2% of the budget per 1h: 1h at 20×, 5m at 30×, above 14.4×');
  });
});

describe('evaluateBurnRate needs both windows', () => {
  it.each(pairs)('$name: long over but short under → not firing (the burn has stopped)', ({ index, longMs, shortMs, factor }) => {
    const r = evaluate({ [longMs]: atRate(factor * 1.5), [shortMs]: atRate(factor * 0.5) }).results[index]!;
    expect(r.firing).toBe(false);
    expect(r.reason).toMatch(/^no longer burning/);
  });

  it.each(pairs)('$name: short over but long under → not firing (too little budget spent)', ({ index, longMs, shortMs, factor }) => {
    const r = evaluate({ [longMs]: atRate(factor * 0.5), [shortMs]: atRate(factor * 1.5) }).results[index]!;
    expect(r.firing).toBe(false);
    expect(r.reason).toMatch(/^not enough budget spent/);
  });
});

describe('evaluateBurnRate minimum traffic', () => {
  it('does not page on 1 bad request in 10, however high the rate', () => {
    const r = evaluate({ [HOUR]: { total: 10, bad: 1 }, [5 * MIN]: { total: 10, bad: 1 } }).results[0]!;
    expect(r.longRate).toBeCloseTo(100, 6);
    expect(r.firing).toBe(false);
    expect(r.reason).toBe('1h window: not enough traffic (10 requests, need 100)');
  });

  it('asks the short window for the same request rate: ceil(100 / 12) = 9 for 5m', () => {
    const short = (total: number) => evaluate({ [HOUR]: atRate(20, 1000), [5 * MIN]: { total, bad: 1 } }).results[0]!;
    expect(short(8)).toMatchObject({ firing: false, reason: '5m window: not enough traffic (8 requests, need 9)' });
    expect(short(9).firing).toBe(true);
  });

  it('fires at exactly minRequests, and the guard is configurable', () => {
    const tenOfHundred = { [HOUR]: { total: 100, bad: 10 }, [5 * MIN]: { total: 100, bad: 10 } };
    expect(evaluate(tenOfHundred).results[0]!.firing).toBe(true);
    const oneOfTen = { [HOUR]: { total: 10, bad: 1 }, [5 * MIN]: { total: 10, bad: 1 } };
    expect(evaluate(oneOfTen, slo30, 10).results[0]!.firing).toBe(true);
  });

  it('burns 0 in a window without requests and does not fire, even with no guard', () => {
    for (const minRequests of [0, undefined]) {
      const { results, overall } = evaluate({}, slo30, minRequests);
      expect(results.map((r) => [r.longRate, r.shortRate, r.firing])).toEqual(pairs.map(() => [0, 0, false]));
      expect(overall).toBeNull();
    }
    expect(evaluate({}).results[0]!.reason).toBe('1h window: not enough traffic (0 requests, need 100)');
  });
});

describe('evaluateBurnRate overall', () => {
  const page6h = { [6 * HOUR]: atRate(7), [30 * MIN]: atRate(7) };
  const ticket = { [3 * DAY]: atRate(2), [6 * HOUR]: atRate(7) };
  const page1h = { [HOUR]: atRate(20), [5 * MIN]: atRate(20) };

  it.each([
    { name: 'page over ticket', counts: { ...ticket, ...page6h }, firing: [false, true, true], overall: 1 },
    { name: 'the ticket when only it fires', counts: ticket, firing: [false, false, true], overall: 2 },
    { name: 'the faster page when both pages fire', counts: { ...page1h, ...page6h }, firing: [true, true, false], overall: 0 },
    { name: 'null when nothing fires', counts: {}, firing: [false, false, false], overall: null },
  ])('picks $name', ({ counts, firing, overall }) => {
    const e = evaluate(counts);
    expect(e.results.map((r) => r.firing)).toEqual(firing);
    expect(e.overall).toBe(overall === null ? null : e.results[overall]);
  });

  it('picks the higher factor among pages whatever the order of the windows', () => {
    const e = evaluateBurnRate({ slo: slo30, now, windows: defaultBurnRateWindows().reverse(), count: lookup({ ...page1h, ...page6h }) });
    expect(e.results.map((r) => r.firing)).toEqual([false, true, true]);
    expect(e.overall).toMatchObject({ severity: 'page', longMs: HOUR });
  });
});

describe('evaluateBurnRate counting', () => {
  it('asks for each distinct window once, from now minus its length', () => {
    const count = vi.fn((_sinceMs: number) => ({ total: 0, bad: 0 }));
    evaluateBurnRate({ slo: slo30, now, count });
    expect(count.mock.calls.map(([since]) => now - since).sort((a, b) => a - b)).toEqual([5 * MIN, 30 * MIN, HOUR, 6 * HOUR, 3 * DAY]);
  });
});
