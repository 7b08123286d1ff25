// The experiment statistics against values computed here, independently, from the textbook
// formulas: the normal CDF by numerical integration of the density (not stdlib), the chi-square
// tail from its closed forms for 1 and 2 degrees of freedom, z(0.975) from the tables.
import { describe, expect, it } from 'vitest';
import { compare, sampleRatioMismatch, usersNeededPerVariant, zFor } from '../../../../src/core/flags/experiment/stats.js';
import { analyzeExperiment, countByVariant } from '../../../../src/core/flags/experiment/analyze.js';
import type { ConversionEvent, ExposureEvent } from '../../../../src/core/flags/types.js';

/** Φ(x) = 1/2 + ∫0..x φ(t) dt, Simpson's rule with 20,000 panels: error far below 1e-10. */
function phi(x: number): number {
  const n = 20_000;
  const h = Math.abs(x) / n;
  const f = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let sum = f(0) + f(Math.abs(x));
  for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * f(i * h);
  const half = (sum * h) / 3;
  return x >= 0 ? 0.5 + half : 0.5 - half;
}
const Z975 = 1.959963984540054; // standard normal table
const Z80 = 0.8416212335729143;

interface Table {
  nA: number;
  cA: number;
  nB: number;
  cB: number;
}

/** Everything a textbook says about two proportions, written out longhand. */
function textbook({ nA, cA, nB, cB }: Table) {
  const pA = cA / nA;
  const pB = cB / nB;
  const seDiff = Math.sqrt((pA * (1 - pA)) / nA + (pB * (1 - pB)) / nB);
  const lift = pB / pA - 1;
  // delta method: Var(pB/pA) ≈ Var(pB)/pA² + pB²·Var(pA)/pA⁴
  const seLift = Math.sqrt((pB * (1 - pB)) / nB / (pA * pA) + (pB * pB * ((pA * (1 - pA)) / nA)) / pA ** 4);
  const pooled = (cA + cB) / (nA + nB);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  return {
    diff: pB - pA,
    diffLow: pB - pA - Z975 * seDiff,
    diffHigh: pB - pA + Z975 * seDiff,
    lift,
    liftLow: lift - Z975 * seLift,
    liftHigh: lift + Z975 * seLift,
    p: 2 * (1 - phi(Math.abs(lift / seLift))),
    pPooled: 2 * (1 - phi(Math.abs((pB - pA) / sePooled))),
    chance: phi((pB - pA) / seDiff),
  };
}

const exposures = (t: Table): { exposures: ExposureEvent[]; conversions: ConversionEvent[] } => {
  const ex: ExposureEvent[] = [];
  const cv: ConversionEvent[] = [];
  const add = (variant: string, n: number, c: number) => {
    for (let i = 0; i < n; i++) {
      const user = `${variant}-${i}`;
      ex.push({ type: 'exposure', flag: 'f', variant, targetingKey: user, ts: 1000 + i });
      if (i < c) cv.push({ type: 'conversion', name: 'buy', targetingKey: user, ts: 5000 + i });
    }
  };
  add('control', t.nA, t.cA);
  add('treatment', t.nB, t.cB);
  return { exposures: ex, conversions: cv };
};

const sign = (x: number) => `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(1)}%`;
const options = { flag: 'f', metric: 'buy', control: 'control', split: { control: 50, treatment: 50 } };

describe('two proportions', () => {
  it('z for 95% is the table value', () => expect(zFor(0.95)).toBeCloseTo(Z975, 9));

  it.each([
    ['a clear win', { nA: 1000, cA: 100, nB: 1000, cB: 135 }],
    ['a loss', { nA: 1000, cA: 150, nB: 1000, cB: 110 }],
    ['unequal arms, small rates', { nA: 4321, cA: 87, nB: 3987, cB: 101 }],
  ])('%s: intervals, p-values and chance to beat control match the formulas', (_name, t) => {
    const got = compare({ users: t.nA, conversions: t.cA }, { users: t.nB, conversions: t.cB });
    const want = textbook(t);
    expect(got.absolute.estimate).toBeCloseTo(want.diff, 12);
    expect(got.absolute.low).toBeCloseTo(want.diffLow, 9);
    expect(got.absolute.high).toBeCloseTo(want.diffHigh, 9);
    expect(got.relative!.estimate).toBeCloseTo(want.lift, 12);
    expect(got.relative!.low).toBeCloseTo(want.liftLow, 9);
    expect(got.relative!.high).toBeCloseTo(want.liftHigh, 9);
    expect(got.pValue!).toBeCloseTo(want.p, 8);
    expect(got.pValuePooled!).toBeCloseTo(want.pPooled, 8);
    expect(got.chanceToBeat!).toBeCloseTo(want.chance, 8);
    // one statistic behind both: significant exactly when the interval leaves out zero
    expect(got.pValue! < 0.05).toBe(got.relative!.low > 0 || got.relative!.high < 0);
  });

  it('no difference: zero lift, p = 1, an even chance, and a symmetric interval', () => {
    const got = compare({ users: 2000, conversions: 240 }, { users: 2000, conversions: 240 });
    const want = textbook({ nA: 2000, cA: 240, nB: 2000, cB: 240 });
    expect(got.relative!.estimate).toBe(0);
    expect(got.pValue).toBeCloseTo(1, 12);
    expect(got.chanceToBeat).toBeCloseTo(0.5, 12);
    expect(got.relative!.low).toBeCloseTo(want.liftLow, 9);
    expect(got.relative!.high).toBeCloseTo(-want.liftLow, 9);
  });

  it('a control that converted nobody has no relative uplift, and the absolute test decides', () => {
    const got = compare({ users: 500, conversions: 0 }, { users: 500, conversions: 12 });
    const pB = 12 / 500;
    const se = Math.sqrt((pB * (1 - pB)) / 500);
    expect(got.relative).toBeNull();
    expect(got.pValue!).toBeCloseTo(2 * (1 - phi(pB / se)), 8);
  });

  it('users needed per variant follow the normal-approximation formula', () => {
    const [pA, pB] = [0.1, 0.12];
    const mean = (pA + pB) / 2;
    const n = (Z975 * Math.sqrt(2 * mean * (1 - mean)) + Z80 * Math.sqrt(pA * (1 - pA) + pB * (1 - pB))) ** 2 / (pB - pA) ** 2;
    expect(usersNeededPerVariant(pA, pB)).toBe(Math.ceil(n));
    expect(usersNeededPerVariant(0.2, 0.2)).toBeNull();
  });
});

describe('sample ratio mismatch (chi-square goodness of fit)', () => {
  it('two variants: χ² against the split, p from the 1-degree-of-freedom tail', () => {
    const srm = sampleRatioMismatch([5200, 4800], [50, 50])!;
    const chi = (200 ** 2 / 5000) * 2;
    expect(srm.chiSquare).toBeCloseTo(chi, 12);
    expect(srm.degreesOfFreedom).toBe(1);
    // χ²(1) tail: P(X > c) = 2(1 − Φ(√c))
    expect(srm.pValue).toBeCloseTo(2 * (1 - phi(Math.sqrt(chi))), 9);
  });

  it('three variants on an uneven split: p from the 2-degree-of-freedom tail e^(−χ²/2)', () => {
    const observed = [4100, 2950, 2950];
    const expected = [4000, 3000, 3000];
    const chi = observed.reduce((s, o, i) => s + (o - expected[i]!) ** 2 / expected[i]!, 0);
    const srm = sampleRatioMismatch(observed, [40, 30, 30])!;
    expect(srm.chiSquare).toBeCloseTo(chi, 12);
    expect(srm.pValue).toBeCloseTo(Math.exp(-chi / 2), 9);
  });
});

describe('analyzeExperiment verdicts', () => {
  it('a clear win says ship, with the numbers of the formulas', () => {
    const t = { nA: 1000, cA: 100, nB: 1000, cB: 135 };
    const { exposures: ex, conversions } = exposures(t);
    const r = analyzeExperiment(ex, conversions, options);
    const w = textbook(t);
    expect(r.decision).toBe('ship');
    expect(r.verdict).toBe(`treatment ${sign(w.lift)} (95% CI ${sign(w.liftLow)} to ${sign(w.liftHigh)}), p = ${w.p.toFixed(3)}: ship`);
    expect(r.variants.map((v) => [v.variant, v.users, v.conversions])).toEqual([
      ['control', 1000, 100],
      ['treatment', 1000, 135],
    ]);
  });

  it('a sample ratio mismatch overrides a significant result: do not decide', () => {
    const t = { nA: 5200, cA: 520, nB: 4800, cB: 600 };
    const { exposures: ex, conversions } = exposures(t);
    const r = analyzeExperiment(ex, conversions, options);
    expect(textbook(t).p).toBeLessThan(0.05);
    expect(r.decision).toBe('invalid');
    expect(r.srm!.pValue).toBeLessThan(0.001);
    expect(r.verdict).toMatch(
      /^do not decide: sample ratio mismatch: 5,200 control vs 4,800 treatment users against a 50\/50 split \(p < 0\.001\)/,
    );
  });

  it('no difference says so instead of asking for more data', () => {
    const t = { nA: 2000, cA: 240, nB: 2000, cB: 240 };
    const { exposures: ex, conversions } = exposures(t);
    const r = analyzeExperiment(ex, conversions, options);
    expect(r.decision).toBe('no-difference');
    expect(r.verdict).toMatch(/^treatment \+0\.0% \(95% CI -\d+\.\d% to \+\d+\.\d%\), p = 1\.000: no difference detected/);
  });

  it('a promising but unproven effect asks for about N more users per variant, N from the formula', () => {
    const t = { nA: 400, cA: 40, nB: 400, cB: 52 };
    const { exposures: ex, conversions } = exposures(t);
    const r = analyzeExperiment(ex, conversions, options);
    const [pA, pB] = [0.1, 0.13];
    const mean = (pA + pB) / 2;
    const n = Math.ceil((Z975 * Math.sqrt(2 * mean * (1 - mean)) + Z80 * Math.sqrt(pA * (1 - pA) + pB * (1 - pB))) ** 2 / (pB - pA) ** 2);
    expect(r.decision).toBe('keep-running');
    expect(r.verdict).toMatch(
      new RegExp(`^not enough data: about ${(n - 400).toLocaleString('en-US')} more users per variant for this effect`),
    );
  });

  it('a significant loss says do not ship', () => {
    const { exposures: ex, conversions } = exposures({ nA: 1000, cA: 150, nB: 1000, cB: 110 });
    expect(analyzeExperiment(ex, conversions, options).decision).toBe('dont-ship');
  });

  it('without exposures there is no verdict to give', () => {
    expect(analyzeExperiment([], [], options)).toMatchObject({ decision: 'no-data', verdict: 'no exposures of "f" recorded yet' });
  });
});

describe('counting users', () => {
  it('counts a user once, by first exposure; drops users seen in two variants; ignores conversions before exposure', () => {
    const ex: ExposureEvent[] = [
      { type: 'exposure', flag: 'f', variant: 'control', targetingKey: 'a', ts: 10 },
      { type: 'exposure', flag: 'f', variant: 'control', targetingKey: 'a', ts: 20 },
      { type: 'exposure', flag: 'f', variant: 'treatment', targetingKey: 'b', ts: 10 },
      { type: 'exposure', flag: 'f', variant: 'control', targetingKey: 'c', ts: 10 },
      { type: 'exposure', flag: 'f', variant: 'treatment', targetingKey: 'c', ts: 30 },
      { type: 'exposure', flag: 'other', variant: 'treatment', targetingKey: 'd', ts: 10 },
    ];
    const cv: ConversionEvent[] = [
      { type: 'conversion', name: 'buy', targetingKey: 'a', ts: 15 },
      { type: 'conversion', name: 'buy', targetingKey: 'b', ts: 5 },
      { type: 'conversion', name: 'other', targetingKey: 'b', ts: 50 },
      { type: 'conversion', name: 'buy', targetingKey: 'c', ts: 50 },
    ];
    const { counts, excludedUsers } = countByVariant(ex, cv, 'f', 'buy');
    expect(Object.fromEntries(counts)).toEqual({ control: { users: 1, conversions: 1 }, treatment: { users: 1, conversions: 0 } });
    expect(excludedUsers).toBe(1);
  });
});
