// The canary judge, pure: one analysis interval's measurements of the canary and the stable
// colour in, one result per rule out, each naming the measured value and the limit. Too little
// traffic or missing metrics is inconclusive, never a pass. stepVerdict folds a run of intervals
// into advance / hold / abort.
import { compareErrorRates } from './compare.js';

/** What one colour served in one analysis interval. */
export interface Measurement {
  requests: number;
  /** 5xx responses (and proxy failures, for the builtin router) */
  errors: number;
  p95Ms: number | null;
  p99Ms: number | null;
  /** why p95/p99 are null when the provider knows (e.g. an unparseable latency query) */
  latencyMissing?: string;
}

/** Metrics that could not be read this interval, with why (404, unreachable, not Prometheus text…). */
export interface MissingMeasurement {
  missing: string;
}

export type Observation = Measurement | MissingMeasurement;

export interface AnalysisRules {
  maxErrorRate: number;
  maxP95Ms: number;
  maxP99Ms?: number | null;
  minRequests: number;
  /** compare the canary's error rate with the stable colour's (default true) */
  compareToStable?: boolean;
  /** significance level of the one-sided two-proportion test (default 0.01) */
  alpha?: number;
  /** how much worse (absolute, 0.01 = one percentage point) the canary must be to fail (default 0.01) */
  minDifference?: number;
}

export type RuleName = 'error-rate' | 'p95' | 'p99' | 'vs-stable';
export type RuleVerdict = 'pass' | 'fail' | 'inconclusive';

export interface RuleResult {
  rule: RuleName;
  verdict: RuleVerdict;
  /** the measured value: a ratio for error rates, ms for latencies; null when not measured */
  value: number | null;
  limit: number;
  reason: string;
}

export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
export const ms = (x: number): string => `${Math.round(x)}ms`;

export const isMissing = (o: Observation): o is MissingMeasurement => 'missing' in o;

/** Why this observation cannot carry a verdict, or null when it can. */
function tooLittle(o: Observation, minRequests: number, who = 'canary'): string | null {
  if (isMissing(o)) return `no metrics for the ${who}: ${o.missing}`;
  if (o.requests === 0) return `no traffic to the ${who} this interval`;
  if (o.requests < minRequests) return `${o.requests} ${who} requests < ${minRequests} needed for a verdict`;
  return null;
}

function errorRateRule(canary: Observation, r: AnalysisRules): RuleResult {
  const limit = r.maxErrorRate;
  const why = tooLittle(canary, r.minRequests);
  const rate = !isMissing(canary) && canary.requests > 0 ? canary.errors / canary.requests : null;
  if (why) return { rule: 'error-rate', verdict: 'inconclusive', value: rate, limit, reason: why };
  return rate! > limit
    ? { rule: 'error-rate', verdict: 'fail', value: rate, limit, reason: `error rate ${pct(rate!)} > ${pct(limit)}` }
    : { rule: 'error-rate', verdict: 'pass', value: rate, limit, reason: `error rate ${pct(rate!)} ≤ ${pct(limit)}` };
}

function latencyRule(rule: 'p95' | 'p99', canary: Observation, limit: number, minRequests: number): RuleResult {
  const value = isMissing(canary) ? null : rule === 'p95' ? canary.p95Ms : canary.p99Ms;
  const why =
    tooLittle(canary, minRequests) ??
    (value === null ? `no ${rule} for the canary: ${(canary as Measurement).latencyMissing ?? 'no latency histogram'}` : null);
  if (why) return { rule, verdict: 'inconclusive', value, limit, reason: why };
  return value! > limit
    ? { rule, verdict: 'fail', value, limit, reason: `${rule} ${ms(value!)} > ${ms(limit)}` }
    : { rule, verdict: 'pass', value, limit, reason: `${rule} ${ms(value!)} ≤ ${ms(limit)}` };
}

function versusStableRule(canary: Observation, stable: Observation, r: AnalysisRules): RuleResult {
  const alpha = r.alpha ?? 0.01;
  const margin = r.minDifference ?? 0.01;
  const why = tooLittle(canary, r.minRequests) ?? tooLittle(stable, r.minRequests, 'stable colour');
  if (why || isMissing(canary) || isMissing(stable)) {
    return { rule: 'vs-stable', verdict: 'inconclusive', value: null, limit: alpha, reason: why ?? 'no metrics' };
  }
  const c = compareErrorRates(canary.errors, canary.requests, stable.errors, stable.requests);
  const rates = `canary error rate ${pct(c.canaryRate)} vs stable ${pct(c.stableRate)}`;
  const p = c.pValue.toPrecision(2);
  if (c.pValue < alpha && c.difference > margin) {
    return {
      rule: 'vs-stable',
      verdict: 'fail',
      value: c.pValue,
      limit: alpha,
      reason: `${rates}: worse by ${pct(c.difference)} > ${pct(margin)} with p=${p} < ${alpha}`,
    };
  }
  const because = c.pValue < alpha ? `difference ${pct(c.difference)} ≤ ${pct(margin)}` : `p=${p} ≥ ${alpha}`;
  return { rule: 'vs-stable', verdict: 'pass', value: c.pValue, limit: alpha, reason: `${rates}: not worse (${because})` };
}

/** One result per rule for one analysis interval. */
export function judgeInterval(canary: Observation, stable: Observation | null, rules: AnalysisRules): RuleResult[] {
  const results = [errorRateRule(canary, rules), latencyRule('p95', canary, rules.maxP95Ms, rules.minRequests)];
  if (rules.maxP99Ms != null) results.push(latencyRule('p99', canary, rules.maxP99Ms, rules.minRequests));
  if (rules.compareToStable !== false) {
    results.push(
      stable
        ? versusStableRule(canary, stable, rules)
        : {
            rule: 'vs-stable',
            verdict: 'inconclusive',
            value: null,
            limit: rules.alpha ?? 0.01,
            reason: 'no stable colour to compare with',
          },
    );
  }
  return results;
}

export type StepAction = 'advance' | 'hold' | 'abort';

export interface StepVerdict {
  action: StepAction;
  /** failed intervals at this step, including this one */
  failed: number;
  reason: string;
}

/**
 * The step's verdict after one interval: abort once more intervals failed than failureLimit
 * tolerates; advance only when every rule passed; otherwise hold (inconclusive, or a tolerated
 * failure) and judge the next interval.
 */
export function stepVerdict(results: readonly RuleResult[], failedSoFar: number, failureLimit: number): StepVerdict {
  const failures = results.filter((r) => r.verdict === 'fail');
  const failed = failedSoFar + (failures.length > 0 ? 1 : 0);
  const why = failures.map((r) => r.reason).join('; ');
  if (failures.length > 0 && failed > failureLimit) {
    return { action: 'abort', failed, reason: `failed (${failed}) > failureLimit (${failureLimit}): ${why}` };
  }
  if (failures.length > 0) return { action: 'hold', failed, reason: `failed (${failed}) ≤ failureLimit (${failureLimit}): ${why}` };
  const unsure = results.filter((r) => r.verdict === 'inconclusive');
  if (results.length === 0) return { action: 'hold', failed, reason: 'no analysis rules were evaluated' };
  if (unsure.length > 0) return { action: 'hold', failed, reason: `inconclusive: ${[...new Set(unsure.map((r) => r.reason))].join('; ')}` };
  return { action: 'advance', failed, reason: `all ${results.length} rules passed: ${results.map((r) => r.reason).join('; ')}` };
}
