// The transitions a canary's runner and a direct request (no runner alive) share: persisting a
// run, carrying out a promotion or a restore once the router has the weights, and applying one
// operator request through the lifecycle reducer. Each is one state write.
import type { CanaryRequest } from '../../core/canary/control.js';
import { requestEvent } from '../../core/canary/control.js';
import { transition, type CanaryState } from '../../core/canary/lifecycle.js';
import { requestRefusal } from '../../core/canary/view.js';
import type { CanaryRun, EnvironmentState } from '../../core/state/schema.js';
import { completeCanaryPromotion, completeCanaryRestore, withCanary } from '../../core/state/transitions.js';
import { say } from '../../core/words.js';
import type { OperationContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { lifeOf } from './plan.js';

/** Writes the run (and whatever else `also` changes) in one state write. */
export async function persist(
  ctx: OperationContext,
  rt: Runtime,
  run: CanaryRun,
  also?: (s: EnvironmentState) => EnvironmentState,
): Promise<CanaryRun> {
  await rt.store.update(ctx.envName, (s) => withCanary(also ? also(s) : s, run));
  return run;
}

/** After the router sent all traffic to the canary: it is the live colour, stable is kept as previous. */
export async function completePromotion(ctx: OperationContext, rt: Runtime, run: CanaryRun): Promise<CanaryRun> {
  const now = rt.clock.now();
  const t = transition(run.state, { type: 'promotion-complete' }, lifeOf(run, ctx), now);
  if (!t.ok) return run;
  const s = await rt.store.update(ctx.envName, (st) =>
    completeCanaryPromotion(st, { ...run, state: t.state }, now, ctx.env.scaleDownDelay),
  );
  return s.canary!;
}

/** After the router gave the stable colour all traffic back (aborted, rolled back): the outcome in the history, once. */
export async function completeRestore(ctx: OperationContext, rt: Runtime, run: CanaryRun): Promise<CanaryRun> {
  const s = await rt.store.update(ctx.envName, (st) => completeCanaryRestore(st, run, rt.clock.now()));
  return s.canary!;
}

export interface RequestOutcome {
  ok: boolean;
  message: string;
}

/**
 * Applies one operator request to `run`: persist the new state first (`moveTo`), then act on it
 * (`act`: weights, promotion, restoring stable). A request that does not apply says why, in the
 * words of the one canary view.
 */
export async function applyRequest(
  ctx: OperationContext,
  rt: Runtime,
  run: CanaryRun,
  r: Pick<CanaryRequest, 'type' | 'by' | 'reason'>,
  moveTo: (next: CanaryState, cause: string) => Promise<void>,
  act: () => Promise<void>,
): Promise<RequestOutcome> {
  const refusal = requestRefusal(run, r.type, rt.clock.now());
  if (refusal) return { ok: false, message: refusal };
  const t = transition(run.state, requestEvent(r), lifeOf(run, ctx), rt.clock.now());
  if (!t.ok) return { ok: false, message: t.reason };
  const cause = `${say(r.type)} by ${r.by}${r.reason ? `: ${r.reason}` : ''}`;
  await moveTo(t.state, cause);
  await act();
  const s = t.state;
  const message =
    s.phase === 'progressing' || s.phase === 'paused'
      ? `${say(r.type)}: ${s.phase} at step ${s.step + 1}/${run.steps.length} (${run.steps[s.step]}% to ${run.canaryColour})`
      : s.phase === 'promoting'
        ? `${say(r.type)}: ${run.canaryColour} (${run.version}) promoted to 100%`
        : `${say(r.type)}: ${run.stableColour} has all traffic again (${say(s.phase)})`;
  return { ok: true, message };
}
