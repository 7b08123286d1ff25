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
  history: number;
  /** who holds the operation lock; `stale` when its owner is gone (the next operation takes it over) */
  lock: (LockInfo & { stale: boolean }) | null;
}

export function getStatus(ctx: OperationContext, now = Date.now()): StatusReport {
  const state = readState(ctx.stateDir);
  const lock = readLock(ctx.stateDir);
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
    history: envState.history.length,
    lock: lock ? { ...lock, stale: isLockStale(lock, { host: hostname(), now, pidAlive, staleAfterMs: STALE_LOCK_MS }) } : null,
  };
}
