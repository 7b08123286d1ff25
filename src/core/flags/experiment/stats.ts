// The statistics of a conversion-rate experiment, as textbook formulas over counts. The
// distributions come from stdlib (a well-kept numerics library); nothing here reads a clock or
// a file. GrowthBook's frequentist engine is the bar: the relative uplift's interval and its
// p-value come from one delta-method z statistic, so "significant" and "the interval excludes
// zero" always agree; a chi-square test checks the sample ratio.
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';

export interface Counts {
  users: number;
  conversions: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface Comparison {
  /** treatment rate − control rate (a difference of proportions) */
  absolute: Interval;
  /** treatment rate ÷ control rate − 1; null when the control converted nobody */
  relative: Interval | null;
  /** two-sided, from the same z statistic as `relative` (or `absolute` when the control rate is 0); null without variance */
  pValue: number | null;
  /** the classic pooled two-proportion z-test of equal rates, for reference */
  pValuePooled: number | null;
  /** Bayesian chance that the treatment's true rate beats the control's (normal approximation) */
  chanceToBeat: number | null;
}

/** z for a two-sided interval, e.g. 1.95996 for 95% */
export const zFor = (confidence: number): number => normalQuantile(1 - (1 - confidence) / 2, 0, 1);

export const rateOf = (c: Counts): number => (c.users > 0 ? c.conversions / c.users : 0);

/** Variance of a proportion's estimate: p(1 − p)/n. */
const varianceOf = (c: Counts): number => {
  const p = rateOf(c);
  return c.users > 0 ? (p * (1 - p)) / c.users : 0;
};

export function compare(control: Counts, treatment: Counts, confidence = 0.95): Comparison {
  const z = zFor(confidence);
  const pA = rateOf(control);
  const pB = rateOf(treatment);
  const vA = varianceOf(control);
  const vB = varianceOf(treatment);
  const diff = pB - pA;
  // Wald interval on the difference (unpooled: each arm keeps its own variance)
  const se = Math.sqrt(vA + vB);
  const absolute = { estimate: diff, low: diff - z * se, high: diff + z * se };

  // delta method for pB/pA: Var ≈ vB/pA² + pB²·vA/pA⁴
  let relative: Interval | null = null;
  let zStat: number | null = se > 0 ? diff / se : null;
  if (pA > 0) {
    const lift = pB / pA - 1;
    const seRel = Math.sqrt(vB / pA ** 2 + (pB ** 2 * vA) / pA ** 4);
    relative = { estimate: lift, low: lift - z * seRel, high: lift + z * seRel };
    zStat = seRel > 0 ? lift / seRel : null;
  }
  const pValue = zStat !== null ? 2 * (1 - normalCdf(Math.abs(zStat), 0, 1)) : null;

  // H0: pA = pB, with one rate pooled from both arms for the variance under H0
  const n = control.users + treatment.users;
  const pooled = n > 0 ? (control.conversions + treatment.conversions) / n : 0;
  const sePooled =
    control.users > 0 && treatment.users > 0 ? Math.sqrt(pooled * (1 - pooled) * (1 / control.users + 1 / treatment.users)) : 0;
  const pValuePooled = sePooled > 0 ? 2 * (1 - normalCdf(Math.abs(diff / sePooled), 0, 1)) : null;
  const chanceToBeat = se > 0 ? normalCdf(diff / se, 0, 1) : null;
  return { absolute, relative, pValue, pValuePooled, chanceToBeat };
}

export interface SrmResult {
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  /** the users each variant should have had under the configured split */
  expected: number[];
}

/** Pearson's chi-square goodness of fit of the observed users against the configured weights. */
export function sampleRatioMismatch(observed: number[], weights: number[]): SrmResult | null {
  const total = observed.reduce((a, b) => a + b, 0);
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  if (observed.length < 2 || total === 0 || weightTotal <= 0 || weights.some((w) => w <= 0)) return null;
  const expected = weights.map((w) => (total * w) / weightTotal);
  const chiSquare = observed.reduce((s, o, i) => s + (o - expected[i]!) ** 2 / expected[i]!, 0);
  const degreesOfFreedom = observed.length - 1;
  return { chiSquare, degreesOfFreedom, pValue: 1 - chisquareCdf(chiSquare, degreesOfFreedom), expected };
}

/**
 * Users per variant needed to detect the difference between rates pA and pB with a two-sided
 * test at `alpha` and the given power (the normal-approximation formula without continuity
 * correction). Null when the rates are equal: no sample detects a zero effect.
 */
export function usersNeededPerVariant(pA: number, pB: number, alpha = 0.05, power = 0.8): number | null {
  const d = Math.abs(pB - pA);
  if (d === 0) return null;
  const zAlpha = normalQuantile(1 - alpha / 2, 0, 1);
  const zBeta = normalQuantile(power, 0, 1);
  const mean = (pA + pB) / 2;
  const n = (zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zBeta * Math.sqrt(pA * (1 - pA) + pB * (1 - pB))) ** 2 / d ** 2;
  return Math.ceil(n);
}
