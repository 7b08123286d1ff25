// Turns schema issues into sentences that name the exact JSON path and the fix
// (`environments.production.health.interval: expected a duration such as "30s", got 5`).
import type { $ZodIssue } from 'zod/v4/core';

export interface ConfigProblem {
  path: string;
  message: string;
}

/** `environments.production.targets.blue.url`, with [i] for array items */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

/** Levenshtein distance, for "did you mean" on misspelt field names (a few short strings). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export function describeIssue(issue: $ZodIssue, input: unknown, knownKeys: (path: readonly PropertyKey[]) => string[]): ConfigProblem[] {
  const path = issue.path;
  const got = valueAt(input, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const known = knownKeys(path);
        const guess = closest(key, known);
        return {
          path: formatPath([...path, key]),
          message: `unknown field: ${guess ? `did you mean "${guess}"?` : `remove it${known.length ? ` (known here: ${known.join(', ')})` : ''}`}`,
        };
      });
    case 'invalid_type':
      if (got === undefined) return [{ path: formatPath(path), message: `missing: add a ${issue.expected} here` }];
      return [
        {
          path: formatPath(path),
          message: `expected ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}, got ${describe(got)}`,
        },
      ];
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator) {
        return [
          {
            path: formatPath([...path, issue.discriminator as string]),
            message: `got ${describe(valueAt(got, [issue.discriminator as string]))}: expected one of the documented types`,
          },
        ];
      }
      return [{ path: formatPath(path), message: `got ${describe(got)}, which matches none of the allowed forms` }];
    case 'invalid_value':
      return [
        {
          path: formatPath(path),
          message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(got)}`,
        },
      ];
    case 'too_small':
      return [
        {
          path: formatPath(path),
          message:
            issue.message !== 'Invalid input' && !issue.message.startsWith('Too small')
              ? issue.message
              : `must be ${issue.origin === 'array' ? `a list of at least ${issue.minimum} item(s)` : issue.origin === 'string' ? 'non-empty' : `at least ${issue.minimum}`}, got ${describe(got)}`,
        },
      ];
    case 'too_big':
      return [{ path: formatPath(path), message: `must be at most ${issue.maximum}, got ${describe(got)}` }];
    case 'invalid_format':
      return [{ path: formatPath(path), message: `${issue.message}, got ${describe(got)}` }];
    default:
      return [{ path: formatPath(path), message: `${issue.message}${got !== undefined ? `, got ${describe(got)}` : ''}` }];
  }
}

interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  valueType?: { _zod: { def: Def } };
  innerType?: { _zod: { def: Def } };
  in?: { _zod: { def: Def } };
  options?: { _zod: { def: Def } }[];
}

/** The field names a schema allows at `path` of the input, for "did you mean". */
export function knownKeysAt(schema: { _zod: { def: unknown } }, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  const walk = (def: Def, rest: readonly PropertyKey[]): void => {
    switch (def.type) {
      case 'default':
      case 'prefault':
      case 'optional':
      case 'nullable':
        return walk(def.innerType!._zod.def, rest);
      case 'pipe':
        return walk(def.in!._zod.def, rest);
      case 'union':
        for (const o of def.options ?? []) walk(o._zod.def, rest);
        return;
      case 'record':
        if (rest.length) walk(def.valueType!._zod.def, rest.slice(1));
        return;
      case 'object':
        if (!rest.length) for (const k of Object.keys(def.shape ?? {})) keys.add(k);
        else if (def.shape?.[String(rest[0])]) walk(def.shape[String(rest[0])]!._zod.def, rest.slice(1));
        return;
    }
  };
  walk(schema._zod.def as Def, path);
  return [...keys];
}
