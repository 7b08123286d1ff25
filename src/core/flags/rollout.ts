// Gradual rollouts and experiment splits are flagd `fractional` rules: buckets of
// [variant, weight]. This reads a flag's split and plans new weights for a rollout percentage;
// edit.ts writes them into the file text. Pure.
import { ProdxError } from '../errors.js';
import { resolveRefs } from './structure.js';
import type { FlagDefinition, RolloutSplit } from './types.js';

type Path = (string | number)[];

export interface Bucket {
  /** index of the bucket inside the fractional's argument list */
  index: number;
  /** null when the variant is computed by a rule, not written as a name */
  variant: string | null;
  weight: number;
  /** false for a bucket written as ["on"], which flagd weighs as 1 */
  hasWeight: boolean;
}

export interface FractionalRule {
  /** path of the `fractional` key's value inside the flag's targeting */
  path: Path;
  buckets: Bucket[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every fractional rule written in this targeting (not those behind a $ref). */
export function findFractionals(node: unknown, at: Path = []): FractionalRule[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => findFractionals(n, [...at, i]));
  if (!isObject(node)) return [];
  return Object.entries(node).flatMap(([op, args]) => {
    if (op !== 'fractional' || !Array.isArray(args)) return findFractionals(args, [...at, op]);
    const first = Array.isArray(args[0]) ? 0 : 1;
    const buckets = args.slice(first).flatMap((b, i): Bucket[] => {
      if (!Array.isArray(b)) return [];
      const weight = b.length >= 2 ? (b[1] as number) : 1;
      return [{ index: i + first, variant: typeof b[0] === 'string' ? b[0] : null, weight, hasWeight: b.length >= 2 }];
    });
    return [{ path: [...at, 'fractional'], buckets }];
  });
}

/** The variant a bare percentage refers to: `true` for a boolean flag, else the one that is not the default. */
export function rolloutVariantOf(flag: FlagDefinition, rule: FractionalRule): string | undefined {
  const named = rule.buckets.map((b) => b.variant).filter((v): v is string => v !== null);
  const trueOnes = named.filter((v) => flag.variants[v] === true);
  if (trueOnes.length === 1) return trueOnes[0];
  if (named.length === 2 && flag.defaultVariant && named.includes(flag.defaultVariant)) return named.find((v) => v !== flag.defaultVariant);
  return undefined;
}

/**
 * The flag's split when it has exactly one fractional rule of its own with written weights,
 * else null (a weight computed by a rule has no percentage to show or set).
 */
export function rolloutOf(flag: FlagDefinition): RolloutSplit | null {
  const rules = findFractionals(flag.targeting ?? {});
  if (rules.length !== 1) return null;
  const rule = rules[0]!;
  if (!rule.buckets.every((b) => Number.isFinite(b.weight))) return null;
  const total = rule.buckets.reduce((s, b) => s + Math.max(0, b.weight), 0);
  const percent: Record<string, number> = {};
  const weights: Record<string, number> = {};
  for (const b of rule.buckets) {
    const name = b.variant ?? `(rule ${b.index})`;
    weights[name] = (weights[name] ?? 0) + b.weight;
    percent[name] = total > 0 ? (weights[name] / total) * 100 : 0;
  }
  const split: RolloutSplit = { percent, weights, path: rule.path };
  const variant = rolloutVariantOf(flag, rule);
  if (variant !== undefined) split.rolloutVariant = variant;
  return split;
}

/** Splits `total` over `shares` in proportion, in whole numbers that add up exactly (largest remainder). */
export function apportion(total: number, shares: number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((s) => (sum > 0 ? (s / sum) * total : total / shares.length));
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return out;
}

export interface RolloutPlan {
  rule: FractionalRule;
  variant: string;
  /** new weight per bucket, same order as rule.buckets */
  weights: number[];
  /** the variant's share before, in percent */
  fromPercent: number;
}

/** Checks a rollout percentage given on the command line or by a key press. */
export function checkPercent(percent: number): void {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new ProdxError('rollout-out-of-range', `a rollout is a percentage from 0 to 100, got ${String(percent)}: pass e.g. 40.`);
  }
  if (Math.round(percent * 100) !== percent * 100) {
    throw new ProdxError('rollout-out-of-range', `a rollout has at most two decimals, got ${String(percent)}: pass e.g. 12.5.`);
  }
}

/**
 * New weights giving `variant` (default: see rolloutVariantOf) `percent` of users; the other
 * variants share the rest in their current proportions. Keeps the file's weight total when it
 * can express the percentage exactly, so a 100-based file stays 100-based.
 */
export function planRollout(
  key: string,
  flag: FlagDefinition,
  percent: number,
  variant?: string,
  evaluators: Record<string, unknown> = {},
): RolloutPlan {
  checkPercent(percent);
  const rules = findFractionals(flag.targeting ?? {});
  if (rules.length === 0) {
    const shared = findFractionals(resolveRefs(flag.targeting ?? {}, evaluators, [], [])).length > 0;
    const why = shared
      ? 'its targeting uses a shared rule from $evaluators; change the weights there by hand, since other flags may use it'
      : `it has no "fractional" rule. Add one, e.g. "targeting": {"fractional": [["on", 0], ["off", 100]]}`;
    throw new ProdxError('flag-no-rollout', `flag "${key}" has no rollout to change: ${why}.`);
  }
  if (rules.length > 1) {
    throw new ProdxError(
      'flag-no-rollout',
      `flag "${key}" has ${rules.length} fractional rules: prodx changes a flag with one; edit the weights by hand.`,
    );
  }
  const rule = rules[0]!;
  const names = rule.buckets.map((b) => b.variant);
  if (names.some((n) => n === null)) {
    throw new ProdxError(
      'flag-no-rollout',
      `flag "${key}" computes a bucket's variant with a rule: prodx cannot tell which variant it is; edit the weights by hand.`,
    );
  }
  if (new Set(names).size !== names.length) {
    throw new ProdxError(
      'flag-no-rollout',
      `flag "${key}" lists a variant in two buckets of its fractional rule: merge them, then try again.`,
    );
  }
  const target = variant ?? rolloutVariantOf(flag, rule);
  if (target === undefined) {
    throw new ProdxError(
      'usage',
      `flag "${key}" splits users between ${names.join(', ')}: say which variant gets ${percent}% with --variant.`,
    );
  }
  const at = rule.buckets.findIndex((b) => b.variant === target);
  if (at < 0) {
    throw new ProdxError(
      'usage',
      `"${target}" has no bucket in the fractional rule of "${key}" (it has ${names.join(', ')}): pass one of those with --variant.`,
    );
  }
  if (rule.buckets.length < 2) {
    throw new ProdxError(
      'flag-no-rollout',
      `the fractional rule of "${key}" has one bucket: add a bucket for the variant the other users get, e.g. ["off", 0].`,
    );
  }
  const current = rule.buckets.reduce((s, b) => s + b.weight, 0);
  const candidates = [current, 100, 1000, 10000].filter((t) => t > 0);
  const exact = (t: number) => Math.abs((percent * t) / 100 - Math.round((percent * t) / 100)) < 1e-9;
  const total = candidates.find(exact) ?? 10000;
  const mine = Math.round((percent * total) / 100);
  const others = rule.buckets.map((b, i) => (i === at ? 0 : Math.max(0, b.weight)));
  const anyOther = others.some((w) => w > 0);
  const share = apportion(
    total - mine,
    others.filter((_, i) => i !== at).map((w) => (anyOther ? w : 1)),
  );
  const weights = rule.buckets.map((_, i) => (i === at ? mine : share.shift()!));
  return { rule, variant: target, weights, fromPercent: current > 0 ? (rule.buckets[at]!.weight / current) * 100 : 0 };
}
