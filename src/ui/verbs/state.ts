// What the verbs read from the store, derived once: the rollback plan and the canary view come
// from core (the same rules `prodx rollback` and `prodx canary status` use), never re-derived here.
import { canaryView, isCurrentCanary, isUnfinished, type CanaryView } from '../../core/canary/view.js';
import { planRollback, type RollbackPlan } from '../../core/rollback/plan.js';
import type { CanaryRun } from '../../core/state/schema.js';
import { say } from '../../core/words.js';
import type { VerbState } from './types.js';

export function rollbackPlanOf({ s }: VerbState): RollbackPlan {
  if (!s.deployment) return { kind: 'nothing', reason: 'the state has not been read yet' };
  return planRollback(s.deployment, { environment: s.environment, colours: s.targetOrder });
}

/** The canary run the Canary screen shows as current, if any. */
export function currentRun({ s }: VerbState): CanaryRun | null {
  const d = s.deployment;
  return d && isCurrentCanary(d) ? d.canary! : null;
}

export function currentView(v: VerbState): CanaryView | null {
  const run = currentRun(v);
  return run ? canaryView(run, v.now) : null;
}

/** Why nothing that changes traffic can start now, or null. */
export function operateReason({ s }: VerbState): string | null {
  if (!s.canOperate) return `no router is configured for ${s.environment}: set environments.${s.environment}.router to deploy from here`;
  if (s.inFlight) return `${s.inFlight.label} is running from this dashboard: wait for it (q offers to stop it)`;
  const lock = s.lock;
  if (lock && !lock.stale) return `${lock.operation} is running in pid ${lock.pid} on ${lock.host}: wait for it to end`;
  return null;
}

/** Why a new deploy or canary cannot start now, or null. */
export function startReason(v: VerbState): string | null {
  const busy = operateReason(v);
  if (busy) return busy;
  const d = v.s.deployment;
  if (d?.active)
    return `a deploy of ${d.active.version} stopped in phase ${say(d.active.phase)}: r rolls it back, or \`prodx deploy --resume\` finishes it`;
  if (isUnfinished(d?.canary))
    return `the canary of ${d!.canary!.version} is ${say(d!.canary!.state.phase)}: end it (a aborts, r rolls back) first`;
  return null;
}
