// Strict validation of a flags file's text: JSON syntax (with line and column), prodx's structural
// checks (structure.ts), then flagd's own JSON Schema and rule compiler through flagd-core, so a
// file prodx accepts is a file flagd accepts. Run on every load and before every save.
import { MemoryStorage, type Storage } from '@openfeature/flagd-core';
import { FlagSetStorage } from './storage.js';
import type { Logger } from '@openfeature/core';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { MAX_JSON_DEPTH, textDeeperThan } from '../jsonDepth.js';
import { ExitCode, ProdxError } from '../errors.js';
import { checkStructure } from './structure.js';
import type { FlagsDocument, FlagsProblem } from './types.js';

/** flagd-core logs through this; prodx reports problems itself, so its chatter is dropped */
export const silentLogger: Logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

export interface ValidFlags {
  doc: FlagsDocument;
  /** flagd-core's parsed flags, ready to evaluate */
  storage: Storage;
  /**
   * Problems in single flags (each names its flag). Like flagd, prodx warns about them and
   * serves the file: the other flags evaluate, and these evaluate as flagd-core evaluates them.
   */
  warnings: FlagsProblem[];
}

export type ValidationResult = ({ ok: true } & ValidFlags) | { ok: false; problems: FlagsProblem[] };

const words = (code: string) => code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length} column ${offset - before.lastIndexOf('\n')}`;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/flags/a/variants/on` → `flags.a.variants.on`; array indexes as [i] */
/** `/flags/a/variants/on` → `flags.a.variants.on` (array indexes as [i]), and the value there */
function pointerToPath(pointer: string, doc: unknown): { path: string; value: unknown } {
  let out = '';
  let node: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out += `[${seg}]`;
      node = node[Number(seg)];
    } else {
      out += out ? `.${seg}` : seg;
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return { path: out || '(top level)', value: node };
}

const shown = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

/** One ajv error in words: the value that is wrong and what flagd wants instead. */
function schemaMessage(e: AjvError, value: unknown): string {
  const p = e.params ?? {};
  if (e.keyword === 'pattern' && String(p['pattern']).startsWith('^(0|[1-9]'))
    return `${shown(value)} is not a full semantic version: write MAJOR.MINOR.PATCH, e.g. "1.0.0" (flagd schema)`;
  if (e.keyword === 'pattern') return `${shown(value)} does not have the form flagd expects (flagd schema)`;
  if (e.keyword === 'enum')
    return `${shown(value)} is not one of ${(p['allowedValues'] as unknown[]).map(shown).join(', ')} (flagd schema)`;
  if (e.keyword === 'type') return `${shown(value)} is not a ${String(p['type']).replace(',', ' or ')} (flagd schema)`;
  const extra = p['additionalProperty'];
  return `${e.message ?? 'is not valid'}${extra !== undefined ? ` ("${String(extra)}")` : ''} (flagd schema)`;
}

/** The most telling of flagd's schema errors: the deepest one that is not an anyOf/oneOf summary. */
function describeSchemaErrors(message: string, doc: unknown): FlagsProblem {
  let errors: AjvError[] = [];
  try {
    errors = JSON.parse(message.slice(message.indexOf('['))) as AjvError[];
  } catch {
    /* not the list flagd-core normally appends */
  }
  const specific = errors.filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword));
  const best = (specific.length ? specific : errors).sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  if (!best) return { path: '(top level)', message: `flagd rejects the file (${message})` };
  const { path, value } = pointerToPath(best.instancePath, doc);
  const extra = best.params?.['additionalProperty'];
  if (best.keyword === 'additionalProperties' && /targeting/.test(best.instancePath)) {
    return {
      path,
      message: `"${String(extra)}" is not a JsonLogic or flagd operator: use e.g. if, ==, in, var, fractional, sem_ver, starts_with, ends_with`,
    };
  }
  return { path, message: schemaMessage(best, value) };
}

export interface ValidateOptions {
  /**
   * Compile the rules to functions (flagd-core's default: fastest per evaluation, for the OFREP
   * endpoint). One-shot commands interpret them instead and skip the compile.
   */
  compile?: boolean;
  /**
   * These exact bytes already passed this whole validation with no problem at all (the caller
   * remembers the hashes of such texts): skip flagd's JSON Schema and the rule check, the slow
   * steps of a load; prodx's structural checks still run.
   */
  schemaKnownValid?: boolean;
}

const fatal = (problems: FlagsProblem[]): ValidationResult => ({ ok: false, problems });

/** The text as JSON, or why it is not (syntax with line and column, absurd nesting). */
function parseFlagsJson(text: string): { raw: unknown } | { problems: FlagsProblem[] } {
  if (textDeeperThan(text))
    return {
      problems: [
        { path: '(top level)', message: `nested deeper than ${MAX_JSON_DEPTH} levels: no flags file needs that, so it is refused` },
      ],
    };
  try {
    // strict JSON, as flagd reads it: comments or trailing commas would break the file there
    return { raw: JSON.parse(text) };
  } catch {
    // jsonc-parser says where the syntax breaks (JSON.parse's position is not in every Node's message)
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true });
    const e = errors[0];
    const message = e ? `not valid JSON at ${lineColumn(text, e.offset)}: ${words(printParseErrorCode(e.error))}` : 'the file is empty';
    return { problems: [{ path: '(syntax)', message }] };
  }
}

/** flagd's JSON Schema over one text; the problem it names, or null when the text passes. */
function schemaProblem(text: string, raw: unknown): FlagsProblem | null {
  try {
    new MemoryStorage(silentLogger, { disableDynamicCodeGeneration: true }).setConfigurations(text, true);
    return null;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.includes('[')) return describeSchemaErrors(message, raw);
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { path: '(top level)', message: `flagd rejects the file${cause || `: ${message}`}` };
  }
}

/**
 * flagd's schema flag by flag: the file-level part ($evaluators, metadata) must pass, each flag
 * that fails becomes a warning that names it. Only runs when the whole file did not pass.
 */
function schemaWarnings(raw: Record<string, unknown>, skip: Set<string>): FlagsProblem[] | { fatal: FlagsProblem } {
  const { flags, ...rest } = raw as { flags: Record<string, unknown> };
  const base = schemaProblem(JSON.stringify({ ...rest, flags: {} }), { ...rest, flags: {} });
  if (base) return { fatal: base };
  const out: FlagsProblem[] = [];
  for (const [key, flag] of Object.entries(flags)) {
    if (skip.has(key)) continue;
    const one = { ...rest, flags: { [key]: flag } };
    const p = schemaProblem(JSON.stringify(one), one);
    if (p) out.push({ ...p, flag: key });
  }
  return out;
}

/** flagd-core only warns when a rule does not compile; evaluating each flag once finds those. */
function ruleWarnings(storage: Storage, skip: Set<string>): FlagsProblem[] {
  const out: FlagsProblem[] = [];
  for (const [key, flag] of storage.getFlags()) {
    if (skip.has(key)) continue;
    const r = flag.evaluate({}, silentLogger);
    if (r.reason === 'ERROR' && r.errorCode === 'PARSE_ERROR') {
      out.push({
        path: `flags.${key}.targeting`,
        message: 'flagd cannot compile this rule: check the operator names and their arguments',
        flag: key,
      });
    }
  }
  return out;
}

/**
 * Parses and validates flags-file text. Pure: no I/O; flagd-core compiles the rules in memory.
 * Syntax and file-level problems refuse the file; a problem in one flag is a warning, and the
 * file loads as flagd loads it (see ValidFlags.warnings). Writers refuse warnings of their own.
 */
export function validateFlagsText(text: string, o: ValidateOptions = {}): ValidationResult {
  const parsed = parseFlagsJson(text);
  if ('problems' in parsed) return fatal(parsed.problems);
  const raw = parsed.raw as Record<string, unknown>;
  const structure = checkStructure(raw);
  const fileLevel = structure.filter((p) => p.flag === undefined);
  if (fileLevel.length > 0) return fatal(fileLevel);
  const doc = raw as unknown as FlagsDocument;
  const options = { disableDynamicCodeGeneration: o.compile === false };
  if (o.schemaKnownValid) {
    const storage = new FlagSetStorage(silentLogger, options);
    storage.setConfigurations(text);
    return { ok: true, doc, storage, warnings: [] };
  }
  if (structure.length === 0) {
    // the common case: the whole file passes flagd's schema in one go
    const storage = new MemoryStorage(silentLogger, options);
    try {
      storage.setConfigurations(text, true);
      return { ok: true, doc, storage, warnings: ruleWarnings(storage, new Set()) };
    } catch {
      /* some flag fails the schema: find which, below */
    }
  }
  const bad = new Set(structure.map((p) => p.flag!));
  const schema = schemaWarnings(raw, bad);
  if ('fatal' in schema) return fatal([schema.fatal]);
  const storage = new FlagSetStorage(silentLogger, options);
  storage.setConfigurations(text);
  for (const p of schema) bad.add(p.flag!);
  return { ok: true, doc, storage, warnings: [...structure, ...schema, ...ruleWarnings(storage, bad)] };
}

/** One line naming the file, the first problem's path and the fix; the rest go in details. */
export function flagsFileError(file: string, problems: FlagsProblem[], prefix = ''): ProdxError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new ProdxError(
    'flags-invalid',
    `${prefix}${file}: ${first.path === '(syntax)' ? '' : `${first.path}: `}${first.message}${more}. Fix the file and run the command again.`,
    ExitCode.badInput,
    { file, problems },
  );
}
