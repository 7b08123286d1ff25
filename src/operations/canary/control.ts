// `prodx canary promote|abort|pause|resume` and the Canary screen's keys: handed to the prodx
// that runs the canary (through the mailbox), or applied here under the environment's lock when
// none runs (abort must work after a crash). A rollback is `prodx rollback` (src/operations/rollback.ts).
import type { ControlRequest } from '../../core/canary/control.js';
import { canaryPercent } from '../../core/canary/lifecycle.js';
import { isTerminal, isUnfinished } from '../../core/canary/view.js';
import { ExitCode, ProdxError } from '../../core/errors.js';
import { liveRunner } from '../../core/state/lock.js';
import type { CanaryRun } from '../../core/state/schema.js';
import { say } from '../../core/words.js';
import type { OperationContext } from '../context.js';
import { signalOf, type Runtime } from '../runtime.js';
import { requireRouter, withLock } from '../shared.js';
import { askRunner } from './ask.js';
import { applyRequest, completePromotion, completeRestore, persist } from './outcome.js';
import { weightsFor } from './plan.js';

export type { ControlRequest } from '../../core/canary/control.js';

export interface ControlResult {
  ok: boolean;
  message: string;
  run: CanaryRun | null;
}

export async function canaryControl(ctx: OperationContext, rt: Runtime, type: ControlRequest, reason?: string): Promise<ControlResult> {
  const run = (await rt.store.read(ctx.envName)).canary;
  if (!run || (isTerminal(run.state) && !isUnfinished(run))) {
    throw new ProdxError(
      'no-canary',
      run
        ? `the last canary in ${ctx.envName} (${run.version}) is already ${say(run.state.phase)}: there is nothing to ${say(type)}.`
        : `no canary is running in ${ctx.envName}: start one with \`prodx canary deploy <version>\`.`,
      ExitCode.failed,
    );
  }
  const runner = liveRunner(await rt.locks.read(ctx.envName), rt.locks.liveness(rt.clock.now()));
  if (runner) {
    const ack = await askRunner(ctx, rt, runner, type, reason);
    return { ok: ack.ok, message: ack.message, run: (await rt.store.read(ctx.envName)).canary ?? null };
  }
  // nobody runs it (prodx was killed): apply the request here, under the lock
  return withLock(ctx, rt, 'canary-control', `canary ${type}`, async () => {
    const router = await requireRouter(ctx, rt, 'a canary');
    let current = (await rt.store.read(ctx.envName)).canary!;
    const request = { type, by: rt.actor, ...(reason ? { reason } : {}) };
    const res = await applyRequest(
      ctx,
      rt,
      current,
      request,
      async (next) => {
        current = await persist(ctx, rt, { ...current, state: next });
      },
      async () => {
        const s = current.state;
        await router.apply(weightsFor(ctx, current, canaryPercent(s, current.steps)), signalOf(rt));
        current = s.phase === 'promoting' ? await completePromotion(ctx, rt, current) : await completeRestore(ctx, rt, current);
      },
    );
    const idle = current.state.phase === 'progressing' || current.state.phase === 'paused';
    return {
      ok: res.ok,
      message: idle && res.ok ? `${res.message}; no prodx is analysing it: run \`prodx canary deploy --resume\` to go on` : res.message,
      run: current,
    };
  });
}
