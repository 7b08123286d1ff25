// One row per flag for `prodx flags list`, the report and the Flags screen. Pure.
import { describeTargeting } from './describe.js';
import { flagTypeOf } from './evaluator.js';
import { rolloutOf } from './rollout.js';
import { flagProblemText, isObject, resolveRefs } from './structure.js';
import type { FlagDefinition, FlagsDocument, FlagsProblem, FlagSummary } from './types.js';

function summarize(doc: FlagsDocument, key: string, flag: FlagDefinition): FlagSummary {
  return {
    key,
    state: flag.state,
    type: flagTypeOf(flag.variants),
    defaultVariant: flag.defaultVariant ?? null,
    variants: flag.variants,
    rollout: rolloutOf(flag),
    // described with shared rules spelled out: "country is one of DE, AT", not a $ref name
    targeting: describeTargeting({
      ...flag,
      targeting: resolveRefs(flag.targeting ?? {}, doc.$evaluators ?? {}, [], []) as FlagDefinition['targeting'],
    }),
    rules: isObject(flag.targeting) && Object.keys(flag.targeting).length > 0 ? flag.targeting : null,
    // flag metadata overrides the flag set's, as in flagd
    metadata: { ...doc.metadata, ...(isObject(flag.metadata) ? flag.metadata : {}) },
  };
}

/**
 * One row per flag. A flag with warnings (`problems`, from validateFlagsText) carries its first
 * problem in `problem`; one too broken to describe is shown by its key and that problem alone.
 */
export function summarizeFlags(doc: FlagsDocument, problems: FlagsProblem[] = []): FlagSummary[] {
  return Object.entries(doc.flags).map(([key, flag]) => {
    const problem = flagProblemText(problems, key);
    let row: FlagSummary;
    try {
      row = summarize(doc, key, flag);
    } catch {
      row = {
        key,
        state: 'ENABLED',
        type: 'object',
        defaultVariant: null,
        variants: {},
        rollout: null,
        targeting: '—',
        rules: null,
        metadata: {},
      };
    }
    if (problem !== undefined) row.problem = problem;
    if (!isObject(flag) || (flag.state !== 'ENABLED' && flag.state !== 'DISABLED')) row.state = 'ENABLED';
    if (!isObject(row.variants)) row.variants = {};
    return row;
  });
}

/** `25% on` for the rollout variant, or `50/50 control/treatment` for a split without one. */
export function rolloutLabel(s: FlagSummary): string {
  const r = s.rollout;
  if (!r) return '—';
  const round = (n: number) => Math.round(n * 10) / 10;
  if (r.rolloutVariant !== undefined) return `${round(r.percent[r.rolloutVariant] ?? 0)}% ${r.rolloutVariant}`;
  const names = Object.keys(r.percent);
  return `${names.map((n) => round(r.percent[n]!)).join('/')} ${names.join('/')}`;
}
