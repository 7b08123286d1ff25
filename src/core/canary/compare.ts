// Canary versus stable error rates: a one-sided two-proportion z-test with the pooled proportion
// (H1: the canary's error rate is higher). The normal CDF comes from @stdlib.
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

export interface RateComparison {
  canaryRate: number;
  stableRate: number;
  /** canaryRate - stableRate */
  difference: number;
  z: number;
  /** P(Z ≥ z) under H0 (equal rates), as Φ(-z) so small tails keep their precision */
  pValue: number;
}

export function compareErrorRates(
  canaryErrors: number,
  canaryRequests: number,
  stableErrors: number,
  stableRequests: number,
): RateComparison {
  const canaryRate = canaryErrors / canaryRequests;
  const stableRate = stableErrors / stableRequests;
  const pooled = (canaryErrors + stableErrors) / (canaryRequests + stableRequests);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / canaryRequests + 1 / stableRequests));
  // both sides all-good (or all-bad): no evidence either way
  const z = se === 0 ? 0 : (canaryRate - stableRate) / se;
  return { canaryRate, stableRate, difference: canaryRate - stableRate, z, pValue: normalCdf(-z, 0, 1) };
}
