// `prodx status`: what is deployed where, from the state file alone (no network), so it is
// instant and works when targets are unreachable.
import { hostname } from 'node:os';
import { pidAlive, readLock, STALE_LOCK_MS } from '../adapters/state/lock.js';
import { readState } from '../adapters/state/stateFile.js';
import { emptyEnvironmentState, isLockStale, type EnvironmentState, type LockInfo } from '../core/state/schema.js';
import type { OperationContext } from './context.js';

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
  /** who holds the operation lock; `stale` when its owner is gone (the next operation takes it over) */
  lock: (LockInfo & { stale: boolean }) | null;
}

export interface CanaryStatus {
  id: string;
  version: string;
  canaryColour: string;
  stableColour: string;
  phase: string;
  /** the step index and the canary's share of traffic in it */
  step: number | null;
  percent: number;
  steps: number[];
  intervals: number;
  reason?: string;
  ended: boolean;
  running: boolean;
  advice?: string;
}

function canaryStatus(run: NonNullable<EnvironmentState['canary']>, lock: LockInfo | null, lockLive: boolean): CanaryStatus {
  const s = run.state;
  const step = 'step' in s ? s.step : null;
  const percent =
    s.phase === 'promoting' || s.phase === 'promoted' ? 100 : s.phase === 'aborted' || s.phase === 'rolled-back' ? 0 : run.steps[step!]!;
  const ended = run.endedAt !== undefined;
  const running = !ended && lockLive && !!lock?.operation.startsWith('canary ');
  return {
    id: run.id,
    version: run.version,
    canaryColour: run.canaryColour,
    stableColour: run.stableColour,
    phase: run.setup !== 'ready' && s.phase === 'progressing' ? run.setup : s.phase,
    step,
    percent,
    steps: run.steps,
    intervals: run.analysis.length,
    ...('reason' in s ? { reason: s.reason } : {}),
    ended,
    running,
    ...(!ended && !running
      ? {
          advice:
            'no prodx is running it (interrupted): `prodx canary deploy --resume` goes on from this step, `prodx canary abort` ends it',
        }
      : {}),
  };
}

export function getStatus(ctx: OperationContext, now = Date.now()): StatusReport {
  const state = readState(ctx.stateDir);
  const lock = readLock(ctx.stateDir);
  const lockLive = lock !== null && !isLockStale(lock, { host: hostname(), now, pidAlive, staleAfterMs: STALE_LOCK_MS });
  const envState = state.environments[ctx.envName] ?? emptyEnvironmentState();
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
    canary: envState.canary ? canaryStatus(envState.canary, lock, lockLive) : null,
    history: envState.history.length,
    lock: lock ? { ...lock, stale: !lockLive } : null,
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
