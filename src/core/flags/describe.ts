// Targeting rules in words for the list and the detail view: "if country is one of DE, AT →
// on; else 25% on, 75% off". Covers the JsonLogic people write in flag files (if, and/or/not,
// comparisons, in, var) and flagd's fractional, sem_ver, starts_with and ends_with; anything
// else is shown as compact JSON rather than guessed at. Pure.
import type { FlagDefinition } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const args = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

const COMPARE: Record<string, string> = {
  '==': 'is',
  '===': 'is',
  '!=': 'is not',
  '!==': 'is not',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
};
const SEMVER: Record<string, string> = {
  '=': '=',
  '!=': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  '^': 'same major as',
  '~': 'same minor as',
};

function compact(v: unknown, max = 60): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A value inside a condition: `country` for {"var": "country"}, "DE" for a string. */
function operand(v: unknown): string {
  if (isObject(v) && 'var' in v) {
    const name = args(v['var'])[0];
    return name === '$flagd.timestamp' ? 'the time' : String(name);
  }
  if (Array.isArray(v)) return v.map(operand).join(', ');
  if (typeof v === 'string') return v;
  if (isObject(v)) return describeRule(v);
  return String(v);
}

/** A rule that yields a variant (or a condition that yields true/false). */
export function describeRule(rule: unknown): string {
  if (!isObject(rule)) return typeof rule === 'string' ? rule : compact(rule);
  const [op, raw] = Object.entries(rule)[0] ?? [];
  if (op === undefined) return 'no rule';
  const a = args(raw);
  switch (op) {
    case 'if': {
      const parts: string[] = [];
      let i = 0;
      for (; i + 1 < a.length; i += 2) parts.push(`${i === 0 ? 'if' : 'else if'} ${describeRule(a[i])} → ${describeRule(a[i + 1])}`);
      if (i < a.length) parts.push(`else ${describeRule(a[i])}`);
      return parts.join('; ');
    }
    case 'fractional': {
      const first = Array.isArray(a[0]) ? 0 : 1;
      const buckets = a.slice(first).filter(Array.isArray) as unknown[][];
      const total = buckets.reduce((s, b) => s + (typeof b[1] === 'number' ? b[1] : b.length === 1 ? 1 : 0), 0);
      const split = buckets
        .map((b) => {
          const w = typeof b[1] === 'number' ? b[1] : 1;
          return `${total > 0 ? Math.round((w / total) * 1000) / 10 : 0}% ${describeRule(b[0])}`;
        })
        .join(', ');
      return first === 1 ? `${split} (by ${operand(a[0])})` : split;
    }
    case 'in':
      return Array.isArray(a[1]) ? `${operand(a[0])} is one of ${operand(a[1])}` : `${operand(a[1])} contains ${operand(a[0])}`;
    case 'sem_ver':
      return `${operand(a[0])} ${SEMVER[String(a[1])] ?? String(a[1])} ${operand(a[2])} (semver)`;
    case 'starts_with':
      return `${operand(a[0])} starts with "${operand(a[1])}"`;
    case 'ends_with':
      return `${operand(a[0])} ends with "${operand(a[1])}"`;
    case 'and':
    case 'or':
      return a.map((c) => (isObject(c) && ('and' in c || 'or' in c) ? `(${describeRule(c)})` : describeRule(c))).join(` ${op} `);
    case '!':
      return `not (${describeRule(a[0])})`;
    case '!!':
      return `${operand(a[0])} is set`;
    case 'var':
      return operand(rule);
    case '$ref':
      return `shared rule "${String(raw)}"`;
    default:
      if (op in COMPARE && a.length === 2) return `${operand(a[0])} ${COMPARE[op]} ${operand(a[1])}`;
      if ((op === '<' || op === '<=') && a.length === 3)
        return `${operand(a[0])} ${COMPARE[op]} ${operand(a[1])} ${COMPARE[op]} ${operand(a[2])}`;
      return compact(rule);
  }
}

/** The whole flag's behaviour in one line. */
export function describeTargeting(flag: FlagDefinition): string {
  const fallback = flag.defaultVariant ?? "the app's default";
  if (!flag.targeting || Object.keys(flag.targeting).length === 0) return `everyone gets ${fallback}`;
  const words = describeRule(flag.targeting);
  // an `if` without an else yields nothing when no branch matches: flagd then serves the default
  const ifArgs = flag.targeting['if'];
  return Array.isArray(ifArgs) && ifArgs.length % 2 === 0 ? `${words}; else ${fallback}` : words;
}
