// The state transitions of an environment, pure: each takes the stored state and what happened,
// and returns the next state. Operations persist each with one write (StateStore.update), so a
// transition is never half-recorded. Reasons are bounded here, once, whoever wrote them.
import { oneLine } from '../text.js';
import type { ActiveDeployment, CanaryRun, EnvironmentState, HistoryEntry } from './schema.js';

/** entries kept in an environment's history (the newest) */
export const HISTORY_LIMIT = 200;

export function appendHistory(s: EnvironmentState, entry: HistoryEntry): EnvironmentState {
  const bounded = entry.reason === undefined ? entry : { ...entry, reason: oneLine(entry.reason) };
  return { ...s, history: [...s.history, bounded].slice(-HISTORY_LIMIT) };
}

/**
 * `version` now runs on `colour`. A `previous` that pointed at that colour is gone: its old
 * version is no longer installed anywhere, so it can no longer be rolled back to.
 */
export function installed(s: EnvironmentState, colour: string, version: string, now: number): EnvironmentState {
  return {
    ...s,
    colours: { ...s.colours, [colour]: { version, updatedAt: now } },
    previous: s.previous?.colour === colour ? null : (s.previous ?? null),
  };
}

/** The live colour changes to `colour` running `version`; the colour it leaves is kept as previous. */
export function liveOn(s: EnvironmentState, colour: string, version: string, now: number, keepMs: number): EnvironmentState {
  const left = s.live && s.live.colour !== colour ? s.live : null;
  return {
    ...s,
    live: s.live?.colour === colour && s.live.version === version ? s.live : { colour, version, since: now },
    colours: { ...s.colours, [colour]: { ...s.colours[colour], version, updatedAt: s.colours[colour]?.updatedAt ?? now } },
    previous: left
      ? { colour: left.colour, version: left.version, until: now + keepMs }
      : s.previous?.colour === colour
        ? null
        : (s.previous ?? null),
  };
}

/** What an ended deploy or canary adds to the history. */
function deployEntry(a: ActiveDeployment, result: HistoryEntry['result'], reason: string | undefined, now: number): HistoryEntry {
  return {
    id: a.id,
    kind: 'deploy',
    version: a.version,
    strategy: a.strategy,
    by: a.by,
    startedAt: a.startedAt,
    endedAt: now,
    result,
    ...(a.fromColour ? { fromColour: a.fromColour } : {}),
    toColour: a.toColour,
    ...(reason ? { reason } : {}),
  };
}

/** A deploy (re)starts or enters a new phase: the active deployment as written before it is acted on. */
export function withActive(s: EnvironmentState, a: ActiveDeployment): EnvironmentState {
  return { ...s, active: a.reason === undefined ? a : { ...a, reason: oneLine(a.reason) } };
}

/**
 * A deploy completed: its colour is live with its version; the colour that was live before
 * (with the version it ran, probed when prodx adopted the environment) stays up as previous.
 */
export function completeDeploy(s: EnvironmentState, a: ActiveDeployment, now: number, keepMs: number): EnvironmentState {
  let next: EnvironmentState = { ...s, active: null };
  if (a.fromColour && a.fromVersion && a.fromColour !== a.toColour) {
    // what ran there before this deploy, so the previous colour knows its version even on adoption
    next = { ...next, live: { colour: a.fromColour, version: a.fromVersion, since: s.live?.since ?? a.startedAt } };
    next = { ...next, colours: { ...next.colours, [a.fromColour]: { ...next.colours[a.fromColour], version: a.fromVersion } } };
  }
  next = liveOn(next, a.toColour, a.version, now, keepMs);
  next = { ...next, colours: { ...next.colours, [a.toColour]: { version: a.version, updatedAt: now } } };
  return appendHistory(next, deployEntry(a, 'succeeded', undefined, now));
}

/** A deploy ended without making its colour live: failed before traffic moved, or rolled back. */
export function endDeploy(
  s: EnvironmentState,
  a: ActiveDeployment,
  result: 'failed' | 'rolled-back',
  reason: string,
  now: number,
): EnvironmentState {
  return appendHistory({ ...s, active: null }, deployEntry(a, result, reason, now));
}

/** A canary run's ✔ (advanced), ✖ (failed) and held intervals. */
export function intervalCounts(run: CanaryRun): { passed: number; failed: number; held: number } {
  let passed = 0;
  let failed = 0;
  for (const i of run.analysis) {
    if (i.action === 'advance') passed++;
    else if (i.results.some((r) => r.verdict === 'fail')) failed++;
  }
  return { passed, failed, held: run.analysis.length - passed - failed };
}

function canaryEntry(run: CanaryRun, result: HistoryEntry['result'], reason: string | undefined, now: number): HistoryEntry {
  return {
    id: run.id,
    kind: 'canary',
    version: run.version,
    strategy: 'canary',
    by: run.by,
    startedAt: run.startedAt,
    endedAt: now,
    result,
    fromColour: run.stableColour,
    toColour: run.canaryColour,
    ...(run.revision !== undefined ? { revision: run.revision } : {}),
    intervals: intervalCounts(run),
    ...(reason ? { reason } : {}),
  };
}

/** The run as stored; a reason in its state is bounded like every other. */
export function withCanary(s: EnvironmentState, run: CanaryRun): EnvironmentState {
  const st = run.state;
  const state = 'reason' in st ? { ...st, reason: oneLine(st.reason) } : st;
  return { ...s, canary: { ...run, state } };
}

/** The next revision number for a new canary run in this environment. */
export function nextRevision(s: EnvironmentState): number {
  const seen = s.history.filter((h) => h.kind === 'canary' || h.strategy === 'canary');
  const highest = Math.max(0, s.canary?.revision ?? 0, ...seen.map((h) => h.revision ?? 0));
  return Math.max(highest, seen.length + (s.canary && s.canary.endedAt === undefined ? 1 : 0)) + 1;
}

/** The canary's version was installed on its colour (before any traffic). */
export function canaryInstalled(s: EnvironmentState, run: CanaryRun, now: number): EnvironmentState {
  return withCanary(installed(s, run.canaryColour, run.version, now), run);
}

/** All traffic is on the canary: it is the live colour, the stable one is kept as previous. */
export function completeCanaryPromotion(s: EnvironmentState, run: CanaryRun, now: number, keepMs: number): EnvironmentState {
  const done = { ...run, endedAt: now };
  let next = withCanary(s, done);
  if (run.stableVersion)
    next = { ...next, live: { colour: run.stableColour, version: run.stableVersion, since: s.live?.since ?? run.startedAt } };
  next = liveOn(next, run.canaryColour, run.version, now, keepMs);
  return appendHistory(next, canaryEntry(done, 'succeeded', undefined, now));
}

/** The stable colour has all traffic back (aborted or rolled back): the outcome goes in the history, once. */
export function completeCanaryRestore(s: EnvironmentState, run: CanaryRun, now: number): EnvironmentState {
  const st = run.state;
  if (run.endedAt !== undefined || (st.phase !== 'aborted' && st.phase !== 'rolled-back')) return withCanary(s, run);
  const done = { ...run, endedAt: now };
  return appendHistory(withCanary(s, done), canaryEntry(done, st.phase === 'aborted' ? 'aborted' : 'rolled-back', st.reason, now));
}
