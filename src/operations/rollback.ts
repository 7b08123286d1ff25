// `prodx rollback`, the dashboard's `r` and a canary runner's rollback request: one operation
// executing the one plan from core/rollback/plan.ts. The colour that gets the traffic back
// passes its health gate first; a rollback that cannot happen is recorded in the history with
// its reason and leaves traffic where it was. A canary that a live prodx runs is rolled back by
// that runner (through the mailbox), so the state keeps a single writer.
import { liveRunner } from '../core/state/lock.js';
import { describeRollback, type ActionablePlan, type RollbackPlan } from '../core/rollback/plan.js';
import { planFor } from './rollbackPlan.js';
import { recordRollback, rollbackIntent } from '../core/rollback/record.js';
import type { TrafficRouter } from '../core/deploy/router.js';
import { ExitCode, ProdxError } from '../core/errors.js';
import type { OperationContext } from './context.js';
import { signalOf, type Runtime } from './runtime.js';
import { requireRouter, waitForGate, withLock } from './shared.js';
import { ACK_TIMEOUT_MS, askRunner } from './canary/ask.js';

export interface RollbackOptions {
  /** the plan the user confirmed: refused when the state has changed since */
  expected?: RollbackPlan;
  /** why, in the operator's words, for the history */
  reason?: string;
}

export interface RollbackResult {
  ok: boolean;
  /** the plan as executed */
  plan: ActionablePlan;
  /** the plan in words (title and lines), as the confirm dialog shows it */
  description: { title: string; lines: string[] };
  from: { colour: string; version: string | null };
  to: { colour: string; version: string | null };
  /** what was rolled back */
  undid: ActionablePlan['kind'];
  recoveryMs: number;
  /** why it failed, when it did */
  reason?: string;
  /** the prodx that runs the canary did it, answering in these words */
  runner?: string;
}

/** The same rollback: the same kind, colours, versions and weights (its words may differ as phases move on). */
const samePlan = (a: RollbackPlan, b: RollbackPlan): boolean => {
  if (a.kind === 'nothing' || b.kind === 'nothing') return a.kind === b.kind;
  const key = (p: ActionablePlan) => JSON.stringify([p.kind, p.from, p.to, Object.entries(p.weights).sort()]);
  return key(a) === key(b);
};

function result(plan: ActionablePlan, ok: boolean, recoveryMs: number, reason?: string): RollbackResult {
  return {
    ok,
    plan,
    description: describeRollback(plan),
    from: plan.from,
    to: plan.to,
    undid: plan.kind,
    recoveryMs,
    ...(reason ? { reason } : {}),
  };
}

/**
 * Carries out `plan`: the target colour's gate (when traffic moves), the router, then one state
 * write recording the outcome. Used by this operation and by a canary runner asked to roll back.
 */
export async function executeRollback(
  ctx: OperationContext,
  rt: Runtime,
  router: TrafficRouter | null,
  plan: ActionablePlan,
  o: { startedAt: number; reason?: string },
): Promise<{ ok: boolean; reason?: string; interrupted?: boolean }> {
  rt.emit({ type: 'rollback-plan', plan });
  const record = async (ok: boolean, reason?: string) => {
    const r = {
      ok,
      by: rt.actor,
      startedAt: o.startedAt,
      now: rt.clock.now(),
      keepMs: ctx.env.scaleDownDelay,
      ...(reason ? { reason } : {}),
    };
    await rt.store.update(ctx.envName, (s) => recordRollback(s, plan, r));
  };
  if (plan.trafficMoves) {
    const gate = await waitForGate(ctx, rt, plan.to.colour, plan.to.version, ctx.env.prePromotion.timeout);
    if (rt.signal?.aborted) return { ok: false, interrupted: true, reason: 'stopped before the health gate decided: nothing changed' };
    if (gate.status !== 'pass') {
      const reason = `cannot roll back to ${plan.to.colour}: ${gate.reason}. Traffic stays on ${plan.from.colour}.`;
      await record(false, reason);
      rt.emit({ type: 'phase', phase: 'failed', at: rt.clock.now(), reason });
      return { ok: false, reason };
    }
  }
  await rt.store.update(ctx.envName, (s) => rollbackIntent(s, plan, rt.actor, rt.clock.now()));
  if (router) {
    try {
      await router.apply(plan.weights, signalOf(rt));
    } catch (err) {
      const reason = `cannot roll back: the router refused the weights: ${err instanceof Error ? err.message : String(err)}`;
      await record(false, reason);
      rt.emit({ type: 'phase', phase: 'failed', at: rt.clock.now(), reason });
      return { ok: false, reason };
    }
  }
  await record(true, o.reason);
  rt.emit({ type: 'phase', phase: 'rolled-back', at: rt.clock.now() });
  return { ok: true };
}

export async function rollback(ctx: OperationContext, rt: Runtime, opts: RollbackOptions = {}): Promise<RollbackResult> {
  const startedAt = rt.clock.now();
  // a canary whose runner lives: the runner does it, and answers with what happened
  const runner = liveRunner(await rt.locks.read(ctx.envName), rt.locks.liveness(startedAt));
  if (runner) {
    const plan = planFor(ctx, await rt.store.read(ctx.envName));
    if (plan.kind === 'undo-canary') {
      if (opts.expected && !samePlan(opts.expected, plan)) throw changed(plan);
      const ack = await askRunner(ctx, rt, runner, 'rollback', opts.reason, ACK_TIMEOUT_MS + ctx.env.prePromotion.timeout);
      const r = result(plan, ack.ok, rt.clock.now() - startedAt, ack.ok ? undefined : ack.message);
      return { ...r, runner: ack.message };
    }
  }
  return withLock(ctx, rt, 'rollback', 'rollback', async () => {
    const plan = planFor(ctx, await rt.store.read(ctx.envName));
    if (plan.kind === 'nothing')
      throw new ProdxError('nothing-to-roll-back', `${plan.reason}. Run prodx status to see the state.`, ExitCode.failed);
    if (opts.expected && !samePlan(opts.expected, plan)) throw changed(plan);
    const router = plan.kind === 'previous-colour' ? await requireRouter(ctx, rt, 'a rollback') : await rt.router();
    const out = await executeRollback(ctx, rt, router, plan, { startedAt, ...(opts.reason ? { reason: opts.reason } : {}) });
    return result(plan, out.ok, rt.clock.now() - startedAt, out.reason);
  });
}

function changed(plan: RollbackPlan): ProdxError {
  const d = describeRollback(plan);
  return new ProdxError(
    'rollback-plan-changed',
    `the environment changed since the rollback was confirmed; it would now: ${d.title} (${d.lines.slice(0, 2).join(', ')}). Nothing was done: confirm again.`,
    ExitCode.failed,
  );
}
