// prodx's own checks of a flags document, run before flagd's JSON Schema: flagd's schema is
// permissive about misspelt fields (a "defaultVarient" is silently ignored) and its errors are
// anyOf noise, so the common mistakes get a sentence here that names the flag, the path and the fix.
import { closest, formatPath } from '../config/issues.js';
import type { FlagsProblem } from './types.js';

const TOP_KEYS = ['$schema', 'flags', '$evaluators', 'metadata'];
const FLAG_KEYS = ['state', 'variants', 'defaultVariant', 'targeting', 'metadata'];
/** flagd's fractional rejects a total above this (the hash is scaled by the total as an int32) */
export const MAX_TOTAL_WEIGHT = 2147483647;

type Path = (string | number)[];
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (isObject(v)) return 'an object';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function typeOfVariant(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function unknownKeys(obj: Record<string, unknown>, known: string[], at: Path, out: FlagsProblem[]): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    out.push({
      path: formatPath([...at, key]),
      message: `unknown field: ${guess ? `did you mean "${guess}"?` : `remove it (a flag has ${known.join(', ')})`}`,
    });
  }
}

function checkMetadata(meta: unknown, at: Path, out: FlagsProblem[]): void {
  if (meta === undefined) return;
  if (!isObject(meta)) return void out.push({ path: formatPath(at), message: `expected an object of names to values, got ${show(meta)}` });
  for (const [k, v] of Object.entries(meta)) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) {
      out.push({ path: formatPath([...at, k]), message: `metadata values are strings, numbers or booleans, got ${show(v)}` });
    }
  }
}

/** Replaces {"$ref": "name"} with the named shared rule, as flagd does before it evaluates. */
export function resolveRefs(node: unknown, evaluators: Record<string, unknown>, at: Path, out: FlagsProblem[], depth = 0): unknown {
  if (Array.isArray(node)) return node.map((n, i) => resolveRefs(n, evaluators, [...at, i], out, depth));
  if (!isObject(node)) return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === '$ref') {
    const name = node['$ref'];
    if (typeof name !== 'string' || !(name in evaluators)) {
      const defined = Object.keys(evaluators);
      out.push({
        path: formatPath([...at, '$ref']),
        message: `${show(name)} is not defined in $evaluators (${defined.length ? `defined: ${defined.join(', ')}` : 'there are none'}): add it there or fix the name`,
      });
      return null;
    }
    // a rule that refers to itself would never end; flagd replaces one level of text, so do prodx
    if (depth > 8) return null;
    return resolveRefs(evaluators[name], evaluators, at, out, depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveRefs(v, evaluators, [...at, k], out, depth)]));
}

/** Checks every `fractional` rule: buckets of [variant, weight], known variants, whole weights. */
function checkFractional(node: unknown, variants: Record<string, unknown>, at: Path, out: FlagsProblem[]): void {
  if (Array.isArray(node)) return node.forEach((n, i) => checkFractional(n, variants, [...at, i], out));
  if (!isObject(node)) return;
  for (const [op, args] of Object.entries(node)) {
    if (op !== 'fractional') {
      checkFractional(args, variants, [...at, op], out);
      continue;
    }
    const where = [...at, 'fractional'];
    if (!Array.isArray(args)) {
      out.push({
        path: formatPath(where),
        message: `expected a list of [variant, weight] buckets, e.g. [["on", 25], ["off", 75]], got ${show(args)}`,
      });
      continue;
    }
    // an optional first argument says what to hash (a string or a rule) instead of flag key + targetingKey
    const first = Array.isArray(args[0]) ? 0 : 1;
    const buckets = args.slice(first);
    if (buckets.length === 0) out.push({ path: formatPath(where), message: 'has no buckets: add at least one [variant, weight]' });
    let total = 0;
    buckets.forEach((bucket, i) => {
      const p = [...where, i + first];
      if (!Array.isArray(bucket) || bucket.length < 1 || bucket.length > 2) {
        out.push({ path: formatPath(p), message: `expected [variant, weight] such as ["on", 25], got ${show(bucket)}` });
        return;
      }
      const [variant, weight] = bucket as unknown[];
      if (typeof variant === 'string' && !(variant in variants)) {
        const guess = closest(variant, Object.keys(variants));
        out.push({
          path: formatPath([...p, 0]),
          message: `"${variant}" is not a variant of this flag (${Object.keys(variants).join(', ')})${guess ? `: did you mean "${guess}"?` : ''}`,
        });
      }
      if (bucket.length === 2) {
        if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0) {
          out.push({ path: formatPath([...p, 1]), message: `a weight is a whole number of 0 or more, got ${show(weight)}` });
          return;
        }
        total += weight;
      } else total += 1;
    });
    if (total > MAX_TOTAL_WEIGHT)
      out.push({ path: formatPath(where), message: `the weights add up to ${total}, more than flagd allows (${MAX_TOTAL_WEIGHT})` });
  }
}

function checkFlag(key: string, flag: unknown, evaluators: Record<string, unknown>, out: FlagsProblem[]): void {
  const at: Path = ['flags', key];
  if (!isObject(flag)) {
    out.push({ path: formatPath(at), message: `expected an object with state, variants and defaultVariant, got ${show(flag)}` });
    return;
  }
  unknownKeys(flag, FLAG_KEYS, at, out);
  const state = flag['state'];
  if (state !== 'ENABLED' && state !== 'DISABLED') {
    out.push({
      path: formatPath([...at, 'state']),
      message:
        state === undefined ? 'missing: add "state": "ENABLED" or "DISABLED"' : `expected "ENABLED" or "DISABLED", got ${show(state)}`,
    });
  }
  const variants = flag['variants'];
  if (!isObject(variants) || Object.keys(variants).length === 0) {
    out.push({
      path: formatPath([...at, 'variants']),
      message: `expected at least one named variant, e.g. {"on": true, "off": false}, got ${show(variants)}`,
    });
    return;
  }
  const types = Object.entries(variants).map(([name, v]) => [name, typeOfVariant(v)] as const);
  const firstType = types[0]![1];
  for (const [name, t] of types) {
    if (t === 'null' || t === 'array' || t === 'undefined' || t === 'bigint') {
      out.push({
        path: formatPath([...at, 'variants', name]),
        message: `a variant is a boolean, string, number or object, got ${show(variants[name])}`,
      });
    } else if (t !== firstType) {
      out.push({
        path: formatPath([...at, 'variants', name]),
        message: `is a ${t} but "${types[0]![0]}" is a ${firstType}: every variant of a flag has the same type`,
      });
    }
  }
  const dv = flag['defaultVariant'];
  if (dv !== undefined && dv !== null) {
    if (typeof dv !== 'string')
      out.push({ path: formatPath([...at, 'defaultVariant']), message: `expected a variant name, got ${show(dv)}` });
    else if (!(dv in variants)) {
      const guess = closest(dv, Object.keys(variants));
      out.push({
        path: formatPath([...at, 'defaultVariant']),
        message: `"${dv}" is not one of the variants (${Object.keys(variants).join(', ')})${guess ? `: did you mean "${guess}"?` : ''}`,
      });
    }
  }
  const targeting = flag['targeting'];
  if (targeting !== undefined) {
    if (!isObject(targeting)) {
      out.push({ path: formatPath([...at, 'targeting']), message: `expected a JsonLogic rule (an object) or {}, got ${show(targeting)}` });
    } else {
      const resolved = resolveRefs(targeting, evaluators, [...at, 'targeting'], out);
      checkFractional(resolved, variants, [...at, 'targeting'], out);
    }
  }
  checkMetadata(flag['metadata'], [...at, 'metadata'], out);
}

/** Every structural problem in a parsed flags document, in file order. Empty when it is sound. */
export function checkStructure(raw: unknown): FlagsProblem[] {
  const out: FlagsProblem[] = [];
  if (!isObject(raw)) return [{ path: '(top level)', message: `expected an object such as {"flags": {…}}, got ${show(raw)}` }];
  for (const key of Object.keys(raw)) {
    if (TOP_KEYS.includes(key)) continue;
    const guess = closest(key, TOP_KEYS);
    out.push({
      path: key,
      message: `unknown field: ${guess ? `did you mean "${guess}"?` : `remove it (the file has ${TOP_KEYS.join(', ')})`}`,
    });
  }
  const evaluators = raw['$evaluators'] ?? {};
  if (!isObject(evaluators)) out.push({ path: '$evaluators', message: `expected an object of named rules, got ${show(evaluators)}` });
  checkMetadata(raw['metadata'], ['metadata'], out);
  const flags = raw['flags'];
  if (flags === undefined) return [...out, { path: 'flags', message: 'missing: add "flags": {} and define flags in it' }];
  if (!isObject(flags)) return [...out, { path: 'flags', message: `expected an object of flags by key, got ${show(flags)}` }];
  for (const [key, flag] of Object.entries(flags)) {
    if (key === '') out.push({ path: 'flags', message: 'a flag key is empty: give it a name such as "dark-theme-v2"', flag: key });
    // a JSON key `__proto__` becomes an object's prototype in JavaScript SDKs: it cannot be a flag
    if (key === '__proto__')
      out.push({
        path: 'flags.__proto__',
        message: 'a flag cannot be named "__proto__" (JavaScript reads it as the prototype): rename it',
      });
    else {
      const mine: FlagsProblem[] = [];
      checkFlag(key, flag, isObject(evaluators) ? evaluators : {}, mine);
      for (const p of mine) out.push({ ...p, flag: key });
    }
  }
  return out;
}

/** The warnings of one flag, as one line: `path: message` of its first problem (and how many more). */
export function flagProblemText(warnings: FlagsProblem[], key: string): string | undefined {
  const mine = warnings.filter((w) => w.flag === key);
  const first = mine[0];
  if (!first) return undefined;
  const more = mine.length > 1 ? ` (and ${mine.length - 1} more)` : '';
  return `${first.path}: ${first.message}${more}`;
}
