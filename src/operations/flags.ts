// The flag verbs shared by the CLI and the Flags screen: list, evaluate, enable/disable,
// set-rollout and report. Every change takes the flags lock, re-reads and re-validates the
// file, refuses a stale base (ifMatch), writes atomically and appends to the audit history.
import { dirname, resolve } from 'node:path';
import { ExitCode, ProdxError } from '../core/errors.js';
import { setFlagRollout, setFlagState, type FlagEdit } from '../core/flags/edit.js';
import { summarizeFlags } from '../core/flags/summary.js';
import {
  typeOfJson,
  type AuditEntry,
  type EvaluationResult,
  type FlagChange,
  type FlagsProblem,
  type FlagSummary,
  type FlagType,
} from '../core/flags/types.js';
import type { JsonValue } from '@openfeature/core';
import { closest } from '../core/config/issues.js';

export type { FlagChange } from '../core/flags/types.js';
import type { FlagsSource } from '../core/flags/view.js';
import { actorName } from '../adapters/actor.js';
import { acquireLock } from '../adapters/state/lock.js';
import { appendAudit, flagsDirOf } from '../adapters/flags/audit.js';
import { conflictError, evaluatorFor, hashText, loadFlags, markValidated, writeFlagsAtomically } from '../adapters/flags/file.js';
import { readRecordedEvents, readStats, totalEvaluations } from '../adapters/flags/events.js';
import type { OperationContext } from './context.js';

export type { FlagsSource } from '../core/flags/view.js';

export function flagsSource(ctx: OperationContext): FlagsSource {
  return {
    file: resolve(dirname(ctx.configPath), ctx.config.flags.file),
    stateDir: ctx.stateDir,
    environment: ctx.envName,
    protected: ctx.env.protected,
  };
}

export interface FlagList {
  file: string;
  /** sha-256 of the file: pass it back as --if-match to refuse an edit on a changed file */
  hash: string;
  flags: FlagSummary[];
  /** problems in single flags: the file is served as flagd serves it, these flags as flagd-core reads them */
  warnings: FlagsProblem[];
}

/** One-shot commands interpret the rules (no compile) and skip re-validating known-good bytes. */
export const loadOnce = (src: FlagsSource) => loadFlags(src.file, { compile: false, cacheDir: flagsDirOf(src.stateDir) });

export function listFlags(src: FlagsSource): FlagList {
  const loaded = loadOnce(src);
  return { file: src.file, hash: loaded.hash, flags: summarizeFlags(loaded.doc, loaded.warnings), warnings: loaded.warnings };
}

/** One evaluation as an SDK call makes it: the flag, the context, the code default and the call's type. */
export interface EvaluationRequest {
  flag: string;
  context: Record<string, unknown>;
  /** the code default: the value for DISABLED, for DEFAULT with no variant and for errors (null when not given) */
  default?: JsonValue;
  /** the SDK call's type; without one, the default's type, else the flag's own */
  type?: FlagType;
}

export interface Evaluations {
  results: EvaluationResult[];
  warnings: FlagsProblem[];
}

/** Evaluates each request against one load of the file. An unknown flag is a result (FLAG_NOT_FOUND), as in an SDK. */
export function evaluateFlags(src: FlagsSource, requests: readonly EvaluationRequest[]): Evaluations {
  const loaded = loadOnce(src);
  const evaluator = evaluatorFor(loaded);
  const results = requests.map((q) => {
    const type = q.type ?? (q.default !== undefined && q.default !== null ? typeOfJson(q.default) : undefined);
    const r = evaluator.evaluate(q.flag, q.context as never, q.default ?? null, type);
    if (r.errorCode === 'FLAG_NOT_FOUND') {
      const guess = closest(q.flag, evaluator.keys());
      r.errorMessage = `no flag "${q.flag}" in ${src.file}${guess ? ` (did you mean "${guess}"?)` : ''}: \`prodx flags list\` shows the flags`;
    }
    return r;
  });
  return { results, warnings: loaded.warnings };
}

export function evaluateFlag(src: FlagsSource, key: string, context: Record<string, unknown>): EvaluationResult {
  return evaluateFlags(src, [{ flag: key, context }]).results[0]!;
}

export interface ChangeOptions {
  /** `--yes`, or the confirm dialog: needed in a protected environment */
  confirmed?: boolean;
  /** the hash of the version the user looked at; a different file on disk is a conflict */
  ifMatch?: string;
  actor?: string;
  now?: number;
}

export interface ChangeResult {
  flag: string;
  changed: boolean;
  summary: string;
  /** the file's hash after the change */
  hash: string;
  audit: AuditEntry | null;
}

function planChange(text: string, doc: Parameters<typeof setFlagState>[1], key: string, change: FlagChange, file: string): FlagEdit {
  return change.kind === 'set-rollout'
    ? setFlagRollout(text, doc, key, change.percent, file, change.variant)
    : setFlagState(text, doc, key, change.kind === 'enable', file);
}

export async function changeFlag(src: FlagsSource, key: string, change: FlagChange, o: ChangeOptions = {}): Promise<ChangeResult> {
  const dir = flagsDirOf(src.stateDir);
  const lock = acquireLock(dir, `flags ${change.kind} ${key}`, src.environment, o.now);
  try {
    const loaded = loadOnce(src);
    if (o.ifMatch !== undefined && o.ifMatch !== loaded.hash) throw conflictError(src.file);
    const edit = planChange(loaded.text, loaded.doc, key, change, src.file);
    if (!edit.changed) return { flag: key, changed: false, summary: edit.summary, hash: loaded.hash, audit: null };
    if (src.protected && !o.confirmed) {
      throw new ProdxError(
        'confirmation-required',
        `${src.environment} is protected: ${edit.summary} for "${key}" needs confirmation. Re-run with --yes to apply it.`,
        ExitCode.badInput,
        { flag: key, summary: edit.summary },
      );
    }
    writeFlagsAtomically(src.file, edit.text, loaded.hash);
    const audit: AuditEntry = {
      at: o.now ?? Date.now(),
      by: o.actor ?? actorName(),
      action: edit.action,
      flag: key,
      environment: src.environment,
      file: src.file,
      before: edit.before,
      after: edit.after,
      summary: edit.summary,
    };
    appendAudit(dir, audit);
    const hash = hashText(edit.text);
    markValidated(dir, hash);
    return { flag: key, changed: true, summary: edit.summary, hash, audit };
  } finally {
    lock.release();
  }
}

export interface FlagReportRow extends FlagSummary {
  /** evaluations the OFREP endpoint served, by variant (or DISABLED/ERROR …) */
  evaluations: Record<string, number>;
  evaluationsTotal: number;
  /** exposure events recorded, and distinct users per variant */
  exposures: number;
  usersByVariant: Record<string, number>;
}

export interface FlagReport {
  file: string;
  hash: string;
  /** since when the endpoint has counted evaluations; null when it never ran */
  countingSince: number | null;
  flags: FlagReportRow[];
}

export function flagsReport(src: FlagsSource): FlagReport {
  const list = listFlags(src);
  const dir = flagsDirOf(src.stateDir);
  const stats = readStats(dir);
  const { events } = readRecordedEvents(dir);
  const exposures = new Map<string, number>();
  const users = new Map<string, Map<string, Set<string>>>();
  for (const e of events) {
    if (e.type !== 'exposure') continue;
    exposures.set(e.flag, (exposures.get(e.flag) ?? 0) + 1);
    const byVariant = users.get(e.flag) ?? new Map<string, Set<string>>();
    byVariant.set(e.variant, (byVariant.get(e.variant) ?? new Set()).add(e.targetingKey));
    users.set(e.flag, byVariant);
  }
  return {
    file: list.file,
    hash: list.hash,
    countingSince: stats?.since ?? null,
    flags: list.flags.map((f) => ({
      ...f,
      evaluations: stats?.evaluations[f.key] ?? {},
      evaluationsTotal: totalEvaluations(stats?.evaluations[f.key]),
      exposures: exposures.get(f.key) ?? 0,
      usersByVariant: Object.fromEntries([...(users.get(f.key) ?? new Map<string, Set<string>>())].map(([v, s]) => [v, s.size])),
    })),
  };
}
