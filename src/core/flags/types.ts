// The flagd flag-definition format (https://flagd.dev/reference/flag-definitions/) as prodx
// reads it, and the shapes prodx derives from it. The file itself is the contract: prodx never
// adds fields to it, so the same file keeps working with flagd and every OpenFeature SDK.
import type { EvaluationContext, JsonValue } from '@openfeature/core';

export type FlagVariantValue = boolean | string | number | { [key: string]: JsonValue };
export type FlagType = 'boolean' | 'string' | 'number' | 'object';

/** One flag as written in the file. `targeting` is JsonLogic with flagd's extra operators. */
export interface FlagDefinition {
  state: 'ENABLED' | 'DISABLED';
  variants: Record<string, FlagVariantValue>;
  /** null defers to the default value in the app's code */
  defaultVariant?: string | null;
  targeting?: Record<string, unknown>;
  metadata?: Record<string, string | number | boolean>;
}

export interface FlagsDocument {
  $schema?: string;
  flags: Record<string, FlagDefinition>;
  /** shared rules that targeting refers to with {"$ref": "name"} */
  $evaluators?: Record<string, unknown>;
  metadata?: Record<string, string | number | boolean>;
}

/** A problem in the flags file: the JSON path (`flags.dark-theme-v2.defaultVariant`) and what is wrong. */
export interface FlagsProblem {
  path: string;
  message: string;
  /**
   * The flag the problem is in. Such a problem does not stop the file from loading: like flagd,
   * prodx warns and serves the other flags, and evaluates this one as flagd-core does. A problem
   * without a flag (syntax, the top level) refuses the whole file.
   */
  flag?: string;
}

/** What one evaluation resolved to, in OpenFeature's terms. */
export interface EvaluationResult {
  flag: string;
  /** the variant's value; the default passed in when the flag resolved to no variant (disabled, error, null default) */
  value: JsonValue;
  variant?: string;
  /** STATIC, TARGETING_MATCH, DEFAULT, DISABLED, ERROR … */
  reason: string;
  errorCode?: string;
  errorMessage?: string;
  /** the flag's metadata merged over the flag set's, as flagd returns it */
  metadata?: Record<string, string | number | boolean>;
}

export type FlagContext = EvaluationContext;

/** The split of a flag's `fractional` rule, as percentages per variant in rule order. */
export interface RolloutSplit {
  /** variant → percent (0–100); sums to 100 when any weight is above zero */
  percent: Record<string, number>;
  /** the raw integer weights, same order */
  weights: Record<string, number>;
  /** where the rule sits inside the flag's targeting, e.g. ["if", 1, "fractional"] */
  path: (string | number)[];
  /** the variant a rollout percentage refers to, when prodx can tell (see rollout.ts) */
  rolloutVariant?: string;
}

/** One flag as `prodx flags list` and the Flags screen show it. */
export interface FlagSummary {
  key: string;
  state: FlagDefinition['state'];
  type: FlagType;
  defaultVariant: string | null;
  variants: Record<string, FlagVariantValue>;
  /** null when the flag has no fractional rule of its own */
  rollout: RolloutSplit | null;
  /** the targeting rules in words */
  targeting: string;
  /** the targeting rules as written in the file (JsonLogic), null when there are none */
  rules: Record<string, unknown> | null;
  metadata: Record<string, string | number | boolean>;
  /** why the flag does not validate (it is served as flagd serves it); absent when it does */
  problem?: string;
}

/** One change to the flags file, as the audit history keeps it. */
export interface AuditEntry {
  at: number;
  by: string;
  action: 'enable' | 'disable' | 'set-rollout';
  flag: string;
  environment: string;
  file: string;
  /** the flag's definition before and after the change */
  before: FlagDefinition;
  after: FlagDefinition;
  /** one line for people, e.g. "rollout 25% → 40% on" */
  summary: string;
}

/** A user saw a variant of a flag (recorded by the OFREP endpoint or sent by the app). */
export interface ExposureEvent {
  type: 'exposure';
  flag: string;
  variant: string;
  targetingKey: string;
  ts: number;
}

/** A user did the thing an experiment measures (a signup, a purchase …). */
export interface ConversionEvent {
  type: 'conversion';
  name: string;
  targetingKey: string;
  /** optional amount (revenue, count); conversion rate only needs that it happened */
  value?: number;
  ts?: number;
}

export type FlagEvent = ExposureEvent | ConversionEvent;

/** The type of a JSON value as an SDK call would ask for it (getBooleanValue, getObjectValue …). */
export function typeOfJson(v: JsonValue): FlagType {
  if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return typeof v as FlagType;
  return 'object';
}

/** A change the CLI or the Flags screen makes to one flag. */
export type FlagChange = { kind: 'enable' | 'disable' } | { kind: 'set-rollout'; percent: number; variant?: string };

/** A rollout moved by `delta` points from wherever the flag is when the change runs (the Flags screen's + and -). */
export type FlagNudge = { kind: 'nudge'; delta: number };

/** The planned set-rollout of a nudge, from the flag as it is now, or why there is none. Pure. */
export function nudgeOf(flag: FlagSummary, delta: number): FlagChange | string {
  const r = flag.rollout;
  if (!r) return `${flag.key} has no fractional rule of its own: a rollout needs "fractional" buckets in its targeting`;
  if (r.rolloutVariant === undefined)
    return `${flag.key} splits users between ${Object.keys(r.percent).join(', ')}: set its rollout with \`prodx flags set-rollout ${flag.key} <percent> --variant <name>\``;
  const percent = Math.max(0, Math.min(100, Math.round(((r.percent[r.rolloutVariant] ?? 0) + delta) * 100) / 100));
  return { kind: 'set-rollout', percent, variant: r.rolloutVariant };
}
