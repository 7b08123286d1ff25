// `prodx status`: what is deployed where, from the state alone (no network), so it is instant
// and works when targets are unreachable. The canary's phase, step and share come from the one
// canary view; what a rollback would do comes from the one rollback plan.
import { canaryView, type CanaryView } from '../core/canary/view.js';
import { describeRollback, type RollbackPlan } from '../core/rollback/plan.js';
import { holderAlive, type LockInfo } from '../core/state/lock.js';
import type { EnvironmentState } from '../core/state/schema.js';
import type { OperationContext } from './context.js';
import { planFor } from './rollbackPlan.js';
import type { Runtime } from './runtime.js';

export interface StatusReport {
  ok: true;
  app: string;
  environment: string;
  environments: string[];
  configPath: string;
  stateDir: string;
  live: EnvironmentState['live'];
  colours: EnvironmentState['colours'];
  targets: { name: string; url: string }[];
  lastDeploy: EnvironmentState['history'][number] | null;
  /** a deploy in progress (`running`) or one an interrupted prodx left behind, with what to do */
  active: (NonNullable<EnvironmentState['active']> & { running: boolean; advice: string }) | null;
  previous: EnvironmentState['previous'] | null;
  history: number;
  /** the canary in progress, or the last one: where it stands, and what to do when nobody runs it */
  canary: CanaryStatus | null;
  /** what `prodx rollback` would do now */
  rollback: RollbackPlan & { description: { title: string; lines: string[] } };
  /** who holds the environment's lock; `stale` when its owner is gone (the next operation takes it over) */
  lock: (LockInfo & { stale: boolean }) | null;
}

export type CanaryStatus = CanaryView & { running: boolean; advice?: string };

function canaryStatus(run: NonNullable<EnvironmentState['canary']>, lock: LockInfo | null, lockLive: boolean, now: number): CanaryStatus {
  const view = canaryView(run, now);
  const running = !view.ended && lockLive && lock?.role === 'canary-runner';
  return {
    ...view,
    running,
    ...(!view.ended && !running
      ? {
          advice:
            'no prodx is running it (interrupted): `prodx canary deploy --resume` goes on from this step, `prodx canary abort` ends it',
        }
      : {}),
  };
}

/** Where an unfinished deploy stands, and the command that finishes or undoes it. */
function explainActive(a: NonNullable<EnvironmentState['active']>, lockHeld: boolean): { running: boolean; advice: string } {
  if (lockHeld) return { running: true, advice: `in progress (phase ${a.phase}); wait for it, or run \`prodx rollback\` after it ends` };
  const traffic =
    a.phase === 'releasing' || a.phase === 'verifying'
      ? `traffic never left ${a.fromColour ?? 'the live colour'}`
      : a.phase === 'switching'
        ? `traffic may be on either colour`
        : `traffic is on ${a.toColour}`;
  return {
    running: false,
    advice: `stopped in phase ${a.phase} (prodx was interrupted; ${traffic}): run \`prodx deploy --resume\` to finish it, or \`prodx rollback\` to put traffic back on ${a.fromColour ?? 'the previous weights'}`,
  };
}

export async function getStatus(ctx: OperationContext, rt: Pick<Runtime, 'store' | 'locks'>, now: number): Promise<StatusReport> {
  const envState = await rt.store.read(ctx.envName);
  const lock = await rt.locks.read(ctx.envName);
  const lockLive = lock !== null && holderAlive(lock, rt.locks.liveness(now));
  const plan = planFor(ctx, envState);
  return {
    ok: true,
    app: ctx.config.app,
    environment: ctx.envName,
    environments: Object.keys(ctx.config.environments),
    configPath: ctx.configPath,
    stateDir: ctx.stateDir,
    live: envState.live,
    colours: envState.colours,
    targets: Object.entries(ctx.env.targets).map(([name, t]) => ({ name, url: t.url })),
    lastDeploy: envState.history.at(-1) ?? null,
    active: envState.active ? { ...envState.active, ...explainActive(envState.active, lockLive) } : null,
    previous: envState.previous ?? null,
    canary: envState.canary ? canaryStatus(envState.canary, lock, lockLive, now) : null,
    rollback: { ...plan, description: describeRollback(plan) },
    history: envState.history.length,
    lock: lock ? { ...lock, stale: !lockLive } : null,
  };
}
