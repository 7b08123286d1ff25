// What a rollback does to the stored state, pure: one transition for a rollback that happened
// (the undone deploy or canary ends, the target colour is live) and one for a rollback that
// failed (only its history entry: traffic stayed where it was, so nothing else changed).
import type { HistoryEntry, EnvironmentState } from '../state/schema.js';
import { appendHistory, completeCanaryRestore, endDeploy, liveOn } from '../state/transitions.js';
import type { ActionablePlan } from './plan.js';

export interface RollbackRecord {
  ok: boolean;
  /** why it failed, or who undid what */
  reason?: string;
  by: string;
  startedAt: number;
  now: number;
  /** how long the colour left behind stays up for an instant rollback (scaleDownDelay) */
  keepMs: number;
}

function rollbackEntry(plan: ActionablePlan, r: RollbackRecord): HistoryEntry {
  return {
    id: `rb-${r.startedAt.toString(36)}`,
    kind: 'rollback',
    version: plan.to.version ?? 'unknown',
    strategy: plan.kind,
    by: r.by,
    startedAt: r.startedAt,
    endedAt: r.now,
    result: r.ok ? 'succeeded' : 'failed',
    fromColour: plan.from.colour,
    toColour: plan.to.colour,
    ...(r.ok ? { recoveryMs: r.now - r.startedAt } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

/**
 * Written before the router is touched (persist, then act): an undone deploy is rolling back,
 * an undone canary is rolled back but not ended. A prodx killed between the two writes leaves a
 * state whose resume (or another rollback) finishes the job, never one that re-sends traffic.
 */
export function rollbackIntent(s: EnvironmentState, plan: ActionablePlan, by: string, now: number): EnvironmentState {
  const undone = `rolled back by ${by}`;
  if (plan.kind === 'undo-deploy' && s.active && s.active.phase !== 'rolling-back')
    return { ...s, active: { ...s.active, phase: 'rolling-back', phaseStartedAt: now, reason: undone } };
  if (plan.kind === 'undo-canary' && s.canary) {
    const st = s.canary.state;
    if (st.phase === 'aborted' || st.phase === 'rolled-back') return s;
    return { ...s, canary: { ...s.canary, state: { phase: 'rolled-back', reason: undone, at: now } } };
  }
  return s;
}

export function recordRollback(s: EnvironmentState, plan: ActionablePlan, r: RollbackRecord): EnvironmentState {
  if (!r.ok) return appendHistory(s, rollbackEntry(plan, r));
  let next = s;
  const undone = `rolled back by ${r.by}${r.reason ? `: ${r.reason}` : ''}`;
  if (plan.kind === 'undo-deploy' && s.active) next = endDeploy(next, s.active, 'rolled-back', `${undone} in phase ${plan.phase}`, r.now);
  if (plan.kind === 'undo-canary' && s.canary) {
    const st = s.canary.state;
    // an abort keeps its own reason; anything else becomes rolled back, with who did it
    const state =
      st.phase === 'aborted' || st.phase === 'rolled-back' ? st : ({ phase: 'rolled-back', reason: undone, at: r.now } as const);
    next = completeCanaryRestore(next, { ...s.canary, state }, r.now);
  }
  if (plan.to.version && (plan.trafficMoves || !next.live)) next = liveOn(next, plan.to.colour, plan.to.version, r.now, r.keepMs);
  return appendHistory(next, rollbackEntry(plan, { ...r, reason: r.reason ?? plan.reason }));
}
