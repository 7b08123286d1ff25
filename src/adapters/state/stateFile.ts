// `.prodx/state.json`, the local StateStore. Reads are a plain read + parse + schema check
// (fast: `prodx status` pays for nothing else); writes go through the one atomic writer (a
// temporary file, fsync, rename), so a crash leaves the old state or the new one.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ProdxError, jsonErrorLocation, jsonErrorReason } from '../../core/errors.js';
import { describeIssue } from '../../core/config/issues.js';
import { deeperThan, MAX_JSON_DEPTH } from '../../core/jsonDepth.js';
import { emptyEnvironmentState, emptyState, stateSchema, type EnvironmentState, type ProdxState } from '../../core/state/schema.js';
import type { StateStore } from '../../core/state/store.js';
import { fsError, writeAtomic } from '../fs/atomic.js';

export const STATE_FILE = 'state.json';

const unreadable = (file: string, why: string) =>
  new ProdxError(
    'state-invalid',
    `${file} ${why}. prodx will not overwrite it: fix it by hand, or move it aside to start from an empty state.`,
    ExitCode.badInput,
    { file },
  );

/** The state, or an empty one when the file does not exist yet. Throws ProdxError on a bad file. */
export function readState(dir: string): ProdxState {
  const file = join(dir, STATE_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw fsError(err, file, 'read');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const where = jsonErrorLocation(text, err);
    throw unreadable(file, `is not valid JSON${where ? ` (${where})` : ''}: ${jsonErrorReason(err)}`);
  }
  if (deeperThan(raw)) throw unreadable(file, `nests deeper than ${MAX_JSON_DEPTH} levels, which prodx state never does`);
  const result = stateSchema.safeParse(raw);
  if (!result.success) {
    const problem = describeIssue(result.error.issues[0]!, raw, () => [])[0]!;
    throw unreadable(file, `does not look like prodx state: ${problem.path}: ${problem.message}`);
  }
  return result.data;
}

/** A cheap fingerprint of the file, so the state poller parses only when it changed. */
export function stateFingerprint(dir: string): string {
  try {
    const s = statSync(join(dir, STATE_FILE));
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

/**
 * Replaces the state with `update(current)`, atomically. Refuses (throws) when the current
 * file is corrupt, so a bad file is never silently replaced. Callers that change deployments
 * hold the environment's lock (locks.ts) around the read-modify-write.
 */
export function writeState(dir: string, update: (current: ProdxState) => ProdxState): ProdxState {
  const current = readState(dir);
  const next = stateSchema.parse(update(structuredClone(current)));
  writeAtomic(join(dir, STATE_FILE), `${JSON.stringify(next, null, '\t')}\n`);
  return next;
}

/** The state store of a config's `stateDir`: one state.json for every environment. */
export function localStateStore(dir: string): StateStore {
  return {
    where: join(dir, STATE_FILE),
    read: async (environment) => ({ ...emptyEnvironmentState(), ...readState(dir).environments[environment] }),
    update: async (environment, change) => {
      let out: EnvironmentState | undefined;
      writeState(dir, (state) => {
        out = change({ ...emptyEnvironmentState(), ...state.environments[environment] });
        return { ...state, environments: { ...state.environments, [environment]: out } };
      });
      return out!;
    },
  };
}
