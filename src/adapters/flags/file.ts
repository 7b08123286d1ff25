// Reads and writes the flags file. Reads validate (core/flags/validate.ts: flagd's rules, with a
// bad flag a warning as in flagd); writes are
// atomic and refuse to replace a file that changed since it was read.
//
// Written by hand rather than through conf (which state.json uses): conf serialises an object,
// and the flags file must keep the team's exact bytes: formatting, key order, everything but
// the changed value. The write is the same temp file + fsync + rename conf does underneath.
import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import flagdCorePkg from '@openfeature/flagd-core/package.json' with { type: 'json' };
import { basename, dirname, join } from 'node:path';
import { ExitCode, ProdxError } from '../../core/errors.js';
import { FlagEvaluator } from '../../core/flags/evaluator.js';
import { flagsFileError, validateFlagsText, type ValidFlags } from '../../core/flags/validate.js';

export const hashText = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface LoadedFlags extends ValidFlags {
  file: string;
  text: string;
  hash: string;
}

/** The file's text, or a one-line error saying how to fix the path. */
export function readFlagsText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ProdxError(
        'flags-missing',
        `no flags file at ${file}: create it (flagd format, e.g. {"flags": {}}) or set "flags": {"file": …} in the config.`,
      );
    }
    throw new ProdxError('flags-unreadable', `cannot read ${file} (${code ?? 'unknown error'}): check the path and its permissions.`);
  }
}

export interface LoadOptions {
  /** compile the rules (the OFREP endpoint); one-shot commands leave this off */
  compile?: boolean;
  /** `.prodx/flags`: where the hashes of texts that passed flagd's schema are remembered */
  cacheDir?: string;
}

const VALIDATED_FILE = 'validated.json';
const REMEMBERED = 20;

/** Hashes of texts that passed flagd's JSON Schema, under this flagd-core version. */
function validatedHashes(dir: string): string[] {
  try {
    const v = JSON.parse(readFileSync(join(dir, VALIDATED_FILE), 'utf8')) as { flagdCore?: string; hashes?: unknown };
    return v.flagdCore === flagdCorePkg.version && Array.isArray(v.hashes) ? (v.hashes as string[]) : [];
  } catch {
    return [];
  }
}

/** Records that a text passed the full validation (e.g. a change prodx just checked and wrote). */
export const markValidated = (dir: string, hash: string): void => rememberValidated(dir, validatedHashes(dir), hash);

function rememberValidated(dir: string, hashes: string[], hash: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `.${VALIDATED_FILE}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify({ flagdCore: flagdCorePkg.version, hashes: [hash, ...hashes].slice(0, REMEMBERED) }));
    renameSync(tmp, join(dir, VALIDATED_FILE));
  } catch {
    /* only a speed-up: without it the next load validates in full */
  }
}

/**
 * Reads and validates the flags file. A syntax or file-level problem throws ProdxError (exit 2)
 * naming the path; a problem in one flag is a warning in `warnings` and the file loads, as in
 * flagd. flagd's JSON Schema is the slow part of a load (a third of `flags evaluate`'s start-up),
 * so with a cacheDir it runs once per distinct text; prodx's own checks run every time.
 */
export function loadFlags(file: string, o: LoadOptions = {}): LoadedFlags {
  const text = readFlagsText(file);
  const hash = hashText(text);
  const known = o.cacheDir ? validatedHashes(o.cacheDir) : [];
  const checked = validateFlagsText(text, { compile: o.compile !== false, schemaKnownValid: known.includes(hash) });
  if (!checked.ok) throw flagsFileError(file, checked.problems);
  // only a text with no problem at all skips the checks next time: warnings are found again
  if (o.cacheDir && !known.includes(hash) && checked.warnings.length === 0) rememberValidated(o.cacheDir, known, hash);
  return { file, text, hash, doc: checked.doc, storage: checked.storage, warnings: checked.warnings };
}

export function evaluatorFor(loaded: ValidFlags): FlagEvaluator {
  return new FlagEvaluator(loaded.doc, loaded.storage);
}

/** mtime, size and inode: cheap to read on every poll, and changes whenever the file does. */
export function flagsFingerprint(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.ctimeMs}:${s.size}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

export const conflictError = (file: string) =>
  new ProdxError(
    'flags-conflict',
    `${file} changed since it was read (another edit got there first): nothing was written; look at the new version and try again.`,
    ExitCode.locked,
  );

/**
 * Replaces the file with `text` atomically (a reader sees the old file or the new one, never
 * half of either), but only if its content still hashes to `expectedHash`.
 */
export function writeFlagsAtomically(file: string, text: string, expectedHash: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    /* a new file gets the default mode */
  }
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    // the last look before the rename: an edit by hand (or by a tool that ignores the lock) wins,
    // and so does a delete or a move
    let now: string | null = null;
    try {
      now = readFileSync(file, 'utf8');
    } catch {
      /* gone: a conflict too */
    }
    if (now === null || hashText(now) !== expectedHash) throw conflictError(file);
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already renamed or gone */
    }
    throw err;
  }
}
