// From exposure and conversion events to an experiment result: users and conversions per
// variant, each treatment against the control, the sample-ratio check, and a verdict in one
// sentence. Pure: events in, numbers and words out.
import type { ConversionEvent, ExposureEvent } from '../types.js';
import { compare, rateOf, sampleRatioMismatch, usersNeededPerVariant, type Comparison, type SrmResult } from './stats.js';

export type Decision = 'ship' | 'dont-ship' | 'keep-running' | 'no-difference' | 'invalid' | 'no-data';

export interface ExperimentOptions {
  flag: string;
  /** the conversion event name that counts */
  metric: string;
  control: string;
  /** the configured weights by variant (the flag's fractional split) */
  split: Record<string, number>;
  confidence?: number;
  /** below this p-value the split is called a mismatch (GrowthBook uses 0.001) */
  srmThreshold?: number;
}

export interface VariantResult {
  variant: string;
  users: number;
  conversions: number;
  rate: number;
  /** share of users the split intends for this variant, 0–1 */
  expectedShare: number | null;
  /** absent for the control */
  comparison?: Comparison & { usersNeeded: number | null; decision: Decision; verdict: string };
}

export interface ExperimentResult {
  flag: string;
  metric: string;
  control: string;
  confidence: number;
  variants: VariantResult[];
  srm: SrmResult | null;
  /** set when the users do not follow the configured split */
  srmWarning: string | null;
  /** users exposed to more than one variant, left out of every count */
  excludedUsers: number;
  decision: Decision;
  verdict: string;
}

const signed = (x: number, digits = 1) => `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(digits)}%`;
export const formatP = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** Users by first-exposed variant, and who converted after being exposed. */
export function countByVariant(exposures: readonly ExposureEvent[], conversions: readonly ConversionEvent[], flag: string, metric: string) {
  const first = new Map<string, { variant: string; ts: number; mixed: boolean }>();
  for (const e of exposures) {
    if (e.flag !== flag) continue;
    const seen = first.get(e.targetingKey);
    if (!seen) first.set(e.targetingKey, { variant: e.variant, ts: e.ts, mixed: false });
    else {
      if (seen.variant !== e.variant) seen.mixed = true;
      if (e.ts < seen.ts) Object.assign(seen, { variant: e.variant, ts: e.ts });
    }
  }
  const converted = new Set<string>();
  for (const c of conversions) {
    if (c.name !== metric) continue;
    const exposure = first.get(c.targetingKey);
    // a conversion before the user saw the variant cannot be the variant's doing
    if (exposure && (c.ts === undefined || c.ts >= exposure.ts)) converted.add(c.targetingKey);
  }
  const counts = new Map<string, { users: number; conversions: number }>();
  let excludedUsers = 0;
  for (const [user, { variant, mixed }] of first) {
    // seen in two variants: the assignment changed under the user, so neither arm may claim them
    if (mixed) {
      excludedUsers += 1;
      continue;
    }
    const c = counts.get(variant) ?? { users: 0, conversions: 0 };
    c.users += 1;
    if (converted.has(user)) c.conversions += 1;
    counts.set(variant, c);
  }
  return { counts, excludedUsers };
}

function judge(
  variant: string,
  cmp: Comparison,
  control: { users: number; rate: number },
  treatment: { users: number; rate: number },
  alpha: number,
  metric: string,
): { decision: Decision; verdict: string; usersNeeded: number | null } {
  const usersNeeded = usersNeededPerVariant(control.rate, treatment.rate, alpha);
  if (cmp.pValue === null) {
    const why =
      control.rate === 0 && treatment.rate === 0
        ? `no "${metric}" conversions yet`
        : `every user converted in both variants, so there is nothing to compare`;
    return { decision: 'keep-running', verdict: `${variant}: not enough data: ${why}`, usersNeeded };
  }
  const effect = cmp.relative
    ? `${signed(cmp.relative.estimate)} (${Math.round((1 - alpha) * 100)}% CI ${signed(cmp.relative.low)} to ${signed(cmp.relative.high)})`
    : `${signed(cmp.absolute.estimate, 2)} points (${Math.round((1 - alpha) * 100)}% CI ${signed(cmp.absolute.low, 2)} to ${signed(cmp.absolute.high, 2)})`;
  const stats = `${variant} ${effect}, ${formatP(cmp.pValue)}`;
  if (cmp.pValue < alpha) {
    return cmp.absolute.estimate > 0
      ? { decision: 'ship', verdict: `${stats}: ship`, usersNeeded }
      : { decision: 'dont-ship', verdict: `${stats}: do not ship (worse than control)`, usersNeeded };
  }
  const have = Math.min(control.users, treatment.users);
  // an effect that would take 20x the current sample to confirm is, for a decision, no effect
  if (usersNeeded === null || usersNeeded > 20 * have) {
    return {
      decision: 'no-difference',
      verdict: `${stats}: no difference detected (${usersNeeded === null ? 'the rates are identical' : `confirming an effect this small would take about ${usersNeeded.toLocaleString('en-US')} users per variant`})`,
      usersNeeded,
    };
  }
  const more = Math.max(0, usersNeeded - have);
  return {
    decision: 'keep-running',
    verdict: `not enough data: about ${more.toLocaleString('en-US')} more users per variant for this effect (${stats})`,
    usersNeeded,
  };
}

const RANK: Decision[] = ['invalid', 'no-data', 'ship', 'dont-ship', 'keep-running', 'no-difference'];

export function analyzeExperiment(
  exposures: readonly ExposureEvent[],
  conversions: readonly ConversionEvent[],
  o: ExperimentOptions,
): ExperimentResult {
  const confidence = o.confidence ?? 0.95;
  const alpha = 1 - confidence;
  const { counts, excludedUsers } = countByVariant(exposures, conversions, o.flag, o.metric);
  const names = [...new Set([...Object.keys(o.split), ...counts.keys()])];
  const weightTotal = Object.values(o.split).reduce((a, b) => a + b, 0);
  const variants: VariantResult[] = names.map((variant) => {
    const c = counts.get(variant) ?? { users: 0, conversions: 0 };
    const w = o.split[variant];
    return { variant, ...c, rate: rateOf(c), expectedShare: w !== undefined && weightTotal > 0 ? w / weightTotal : null };
  });
  const base = { flag: o.flag, metric: o.metric, control: o.control, confidence, excludedUsers };
  const control = variants.find((v) => v.variant === o.control);
  // the SRM check covers the variants the split gives users to; a variant outside it counts as 0 weight
  const inSplit = variants.filter((v) => (o.split[v.variant] ?? 0) > 0);
  const srm = sampleRatioMismatch(
    inSplit.map((v) => v.users),
    inSplit.map((v) => o.split[v.variant]!),
  );
  const srmWarning =
    srm && srm.pValue < (o.srmThreshold ?? 0.001)
      ? `sample ratio mismatch: ${inSplit.map((v) => `${v.users.toLocaleString('en-US')} ${v.variant}`).join(' vs ')} users against a ${inSplit.map((v) => Math.round((o.split[v.variant]! / weightTotal) * 100)).join('/')} split (${formatP(srm.pValue)}): check how users are assigned and how exposures are logged before trusting these results`
      : null;
  if (!control || control.users === 0 || variants.every((v) => v.variant === o.control || v.users === 0)) {
    const verdict = variants.some((v) => v.users > 0)
      ? `not enough data: every variant needs exposed users (${variants.map((v) => `${v.variant} ${v.users}`).join(', ')})`
      : `no exposures of "${o.flag}" recorded yet`;
    return { ...base, variants, srm, srmWarning, decision: 'no-data', verdict };
  }
  for (const v of variants) {
    if (v === control || v.users === 0) continue;
    const cmp = compare(control, v, confidence);
    v.comparison = { ...cmp, ...judge(v.variant, cmp, control, v, alpha, o.metric) };
  }
  const judged = variants.flatMap((v) => (v.comparison ? [v.comparison] : []));
  if (srmWarning) return { ...base, variants, srm, srmWarning, decision: 'invalid', verdict: `do not decide: ${srmWarning}` };
  const decision = RANK.find((d) => judged.some((c) => c.decision === d)) ?? 'keep-running';
  return { ...base, variants, srm, srmWarning, decision, verdict: judged.map((c) => c.verdict).join('; ') };
}
