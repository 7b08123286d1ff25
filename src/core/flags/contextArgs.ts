// `--context country=DE plan=pro beta=true age=42`: evaluation context from key=value words, as
// the CLI and the Flags screen's `e` take it. Values that read as JSON numbers, booleans or null
// become those (targeting compares numbers with numbers); everything else stays a string, so
// "2.4.0" and "0123" are kept as written. Pure.
import type { JsonValue } from '@openfeature/core';
import { ProdxError } from '../errors.js';
import { textDeeperThan } from '../jsonDepth.js';
import { isObject } from './structure.js';
import { typeOfJson, type FlagType } from './types.js';

function valueOf(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  // JSON's number grammar: no leading zeros, so a zip code like 0123 stays a string
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw);
  // quoted to force a string: country='"true"' → "true"
  if (/^".*"$/.test(raw)) return raw.slice(1, -1);
  return raw;
}

export function parseContextPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new ProdxError('usage', `context "${pair}" is not key=value: write it as e.g. country=DE or appVersion=2.4.0.`);
    }
    const key = pair.slice(0, eq);
    if (key === 'targetingKey') {
      throw new ProdxError(
        'usage',
        'the targeting key is the second argument, not a --context pair: `prodx flags evaluate <flag> <targetingKey>`.',
      );
    }
    out[key] = valueOf(pair.slice(eq + 1));
  }
  return out;
}

const TYPES: readonly FlagType[] = ['boolean', 'string', 'number', 'object'];

/** `--type`: one of the four an SDK call can ask for. */
export function typeArg(raw: string | undefined): FlagType | undefined {
  if (raw === undefined) return undefined;
  if ((TYPES as readonly string[]).includes(raw)) return raw as FlagType;
  throw new ProdxError('usage', `--type ${raw} is not a flag type: use boolean, string, number or object.`);
}

/**
 * `--default`: JSON (`true`, `42`, `{"a":1}`, `"42"` for a string that looks like a number), or
 * else the word itself as a string (`--default bye`).
 */
export function defaultArg(raw: string | undefined): JsonValue | undefined {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    return raw;
  }
}

/** `--context-json '{"user": {"tier": "pro"}, "age": 42}'`: nested and typed context as JSON. */
export function contextJsonArg(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  let v: unknown;
  try {
    v = textDeeperThan(raw) ? undefined : JSON.parse(raw);
  } catch {
    /* said below */
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ProdxError(
      'usage',
      `--context-json takes a JSON object, e.g. --context-json '{"user": {"tier": "pro"}}'; got ${raw.slice(0, 40)}.`,
    );
  return v as Record<string, unknown>;
}

/** The type the default says, checked against --type: a disagreement is the caller's mistake. */
export function checkDefaultType(type: FlagType | undefined, value: JsonValue | undefined): void {
  if (type === undefined || value === undefined || value === null) return;
  const actual = typeOfJson(value);
  if (actual !== type) {
    const hint = type === 'string' ? `: quote it to make it a string, --default '"${String(JSON.stringify(value))}"'` : '';
    throw new ProdxError('usage', `--default ${JSON.stringify(value)} is a ${actual} but --type is ${type}${hint}.`);
  }
}

export interface BatchCase {
  flag: string;
  context: Record<string, unknown>;
  default?: JsonValue;
  type?: FlagType;
}

function batchCase(v: unknown, where: string): BatchCase {
  if (!isObject(v))
    throw new ProdxError('usage', `${where}: expected an object such as {"flag": "dark-mode", "context": {"targetingKey": "u1"}}.`);
  const { flag, context, type, targetingKey } = v;
  if (typeof flag !== 'string' || flag === '') throw new ProdxError('usage', `${where}: "flag" must be a flag key (a string).`);
  if (context !== undefined && !isObject(context)) throw new ProdxError('usage', `${where}: "context" must be an object.`);
  if (targetingKey !== undefined && typeof targetingKey !== 'string')
    throw new ProdxError('usage', `${where}: "targetingKey" must be a string.`);
  const out: BatchCase = { flag, context: { ...(context ?? {}), ...(targetingKey !== undefined ? { targetingKey } : {}) } };
  const t = type === undefined ? undefined : typeArg(String(type));
  if (t !== undefined) out.type = t;
  if (Object.hasOwn(v, 'default')) out.default = v['default'] as JsonValue;
  checkDefaultType(out.type, out.default);
  return out;
}

/**
 * `--batch`: one evaluation per line of NDJSON, `{"flag", "context"?, "targetingKey"?, "default"?,
 * "type"?}`. Every line is checked before any is evaluated; a bad one names its line number.
 */
export function parseBatch(text: string, name: string): BatchCase[] {
  const out: BatchCase[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${name} line ${i + 1}`;
    let v: unknown;
    try {
      v = textDeeperThan(line) ? undefined : JSON.parse(line);
    } catch {
      throw new ProdxError('usage', `${where} is not JSON: one evaluation per line, e.g. {"flag": "dark-mode", "targetingKey": "u1"}.`);
    }
    out.push(batchCase(v, where));
  });
  if (out.length === 0) throw new ProdxError('usage', `${name} has no evaluations: write one JSON object per line.`);
  return out;
}
