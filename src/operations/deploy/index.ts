// `prodx deploy`: blue-green (release onto the idle colour, verify, switch, watch, or switch
// back) and standard (release onto the live colour, verify). Each phase is written to the state
// before it is acted on, so `--resume` and `rollback` can finish the job after prodx was killed
// at any point; stopping it on purpose leaves the phase where it was.
import { randomUUID } from 'node:crypto';
import { validateVersion, type Strategy } from '../../core/deploy/plan.js';
import type { CheckResult } from '../../core/deploy/gates.js';
import { ExitCode, ProdxError } from '../../core/errors.js';
import type { ActiveDeployment } from '../../core/state/schema.js';
import { withActive } from '../../core/state/transitions.js';
import type { OperationContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { refuseIfUnfinished } from '../unfinished.js';
import { withLock } from '../shared.js';
import { planRelease, planSteps, routerFor } from './plan.js';
import { runPhases } from './run.js';

export interface DeployOptions {
  version?: string;
  strategy: Strategy;
  dryRun?: boolean;
  resume?: boolean;
}

export interface DeployResult {
  ok: boolean;
  result: 'succeeded' | 'failed' | 'rolled-back' | 'planned' | 'interrupted';
  reason?: string;
  deployment: Pick<
    ActiveDeployment,
    'id' | 'version' | 'strategy' | 'fromColour' | 'fromVersion' | 'toColour' | 'weightsBefore' | 'weightsAfter'
  >;
  plan: string[];
  live: { colour: string; version: string } | null;
  checks: CheckResult[];
  durationMs: number;
}

const summary = (a: ActiveDeployment): DeployResult['deployment'] => ({
  id: a.id,
  version: a.version,
  strategy: a.strategy,
  fromColour: a.fromColour,
  fromVersion: a.fromVersion,
  toColour: a.toColour,
  weightsBefore: a.weightsBefore,
  weightsAfter: a.weightsAfter,
});

async function dryRun(ctx: OperationContext, rt: Runtime, opts: DeployOptions): Promise<DeployResult> {
  const router = await routerFor(ctx, rt, opts.strategy);
  const envState = await rt.store.read(ctx.envName);
  const { active } = await planRelease(ctx, rt, envState, { version: opts.version!, strategy: opts.strategy, router, id: 'dry-run' });
  const steps = [...planSteps(ctx, active), ...(router && opts.strategy === 'blue-green' ? router.describe(active.weightsAfter) : [])];
  rt.emit({ type: 'plan', deployment: active, steps });
  return { ok: true, result: 'planned', deployment: summary(active), plan: steps, live: envState.live, checks: [], durationMs: 0 };
}

export async function deploy(ctx: OperationContext, rt: Runtime, opts: DeployOptions): Promise<DeployResult> {
  if (!opts.resume) validateVersion(opts.version ?? '');
  const started = rt.clock.now();
  if (opts.dryRun) return dryRun(ctx, rt, opts);
  const operation = opts.resume ? 'deploy --resume' : `deploy ${opts.version}`;
  return withLock(ctx, rt, 'deploy', operation, async () => {
    const envState = await rt.store.read(ctx.envName);
    let active: ActiveDeployment;
    const router = await routerFor(ctx, rt, opts.resume ? (envState.active?.strategy ?? opts.strategy) : opts.strategy);
    if (opts.resume) {
      if (!envState.active)
        throw new ProdxError(
          'nothing-to-resume',
          `no interrupted deployment in ${ctx.envName}: nothing to resume. Run prodx status to see the state.`,
          ExitCode.failed,
        );
      active = envState.active;
      rt.emit({ type: 'warning', message: `resuming the deploy of ${active.version} to ${active.toColour} from phase ${active.phase}` });
    } else {
      refuseIfUnfinished(ctx, envState);
      const id = randomUUID().slice(0, 8);
      ({ active } = await planRelease(ctx, rt, envState, { version: opts.version!, strategy: opts.strategy, router, id }));
      rt.emit({ type: 'plan', deployment: active, steps: planSteps(ctx, active) });
      await rt.store.update(ctx.envName, (s) => withActive(s, active));
      rt.emit({ type: 'phase', phase: 'releasing', at: active.phaseStartedAt });
    }
    const checks: CheckResult[] = [];
    const out = await runPhases(ctx, rt, active, router, checks);
    const after = await rt.store.read(ctx.envName);
    return {
      ok: out.result === 'succeeded',
      result: out.result,
      ...(out.reason ? { reason: out.reason } : {}),
      deployment: summary(out.active),
      plan: planSteps(ctx, out.active),
      live: after.live ? { colour: after.live.colour, version: after.live.version } : null,
      checks,
      durationMs: rt.clock.now() - started,
    };
  });
}
