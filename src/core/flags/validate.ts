// Strict validation of a flags file's text: JSON syntax (with line and column), prodx's structural
// checks (structure.ts), then flagd's own JSON Schema and rule compiler through flagd-core, so a
// file prodx accepts is a file flagd accepts. Run on every load and before every save.
import { MemoryStorage, type FeatureFlag, type Storage } from '@openfeature/flagd-core';
import { PrevalidatedStorage } from './storage.js';
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
function pointerToPath(pointer: string, doc: unknown): string {
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
  return out || '(top level)';
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
  const path = pointerToPath(best.instancePath, doc);
  const extra = best.params?.['additionalProperty'];
  if (best.keyword === 'additionalProperties' && /targeting/.test(best.instancePath)) {
    return {
      path,
      message: `"${String(extra)}" is not a JsonLogic or flagd operator: use e.g. if, ==, in, var, fractional, sem_ver, starts_with, ends_with`,
    };
  }
  return { path, message: `${best.message ?? 'is not valid'}${extra !== undefined ? ` ("${String(extra)}")` : ''} (flagd schema)` };
}

export interface ValidateOptions {
  /**
   * Compile the rules to functions (flagd-core's default: fastest per evaluation, for the OFREP
   * endpoint). One-shot commands interpret them instead and skip the compile.
   */
  compile?: boolean;
  /**
   * These exact bytes already passed this whole validation (the caller remembers the hashes of
   * validated texts): skip flagd's JSON Schema and rule compile, the slow steps of a load;
   * prodx's structural checks still run.
   */
  schemaKnownValid?: boolean;
}

/** Parses and validates flags-file text. Pure: no I/O; flagd-core compiles the rules in memory. */
export function validateFlagsText(text: string, o: ValidateOptions = {}): ValidationResult {
  if (textDeeperThan(text))
    return {
      ok: false,
      problems: [
        { path: '(top level)', message: `nested deeper than ${MAX_JSON_DEPTH} levels: no flags file needs that, so it is refused` },
      ],
    };
  let raw: unknown;
  const errors: ParseError[] = [];
  try {
    // strict JSON, as flagd reads it: comments or trailing commas would break the file there
    raw = JSON.parse(text);
  } catch {
    // jsonc-parser says where the syntax breaks (JSON.parse's position is not in every Node's message)
    parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true });
  }
  if (errors.length > 0 || raw === undefined) {
    const e = errors[0];
    return {
      ok: false,
      problems: [
        {
          path: '(syntax)',
          message: e ? `not valid JSON at ${lineColumn(text, e.offset)}: ${words(printParseErrorCode(e.error))}` : 'the file is empty',
        },
      ],
    };
  }
  const problems = checkStructure(raw);
  if (problems.length > 0) return { ok: false, problems };

  const options = { disableDynamicCodeGeneration: o.compile === false };
  const storage = o.schemaKnownValid ? new PrevalidatedStorage(silentLogger, options) : new MemoryStorage(silentLogger, options);
  try {
    storage.setConfigurations(text, true);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    if (message.includes('[')) return { ok: false, problems: [describeSchemaErrors(message, raw)] };
    return { ok: false, problems: [{ path: '(top level)', message: `flagd rejects the file${cause || `: ${message}`}` }] };
  }
  // flagd-core only warns when a rule does not compile; evaluating it once turns that into a
  // problem (known-valid text passed this before, and its flags are built only when used)
  if (o.schemaKnownValid) return { ok: true, doc: raw as FlagsDocument, storage };
  for (const [key, flag] of storage.getFlags() as Map<string, FeatureFlag>) {
    const r = flag.evaluate({}, silentLogger);
    if (r.reason === 'ERROR' && r.errorCode === 'PARSE_ERROR') {
      problems.push({
        path: `flags.${key}.targeting`,
        message: 'flagd cannot compile this rule: check the operator names and their arguments',
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, doc: raw as FlagsDocument, storage };
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
