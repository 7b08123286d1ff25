// The pollers that feed the store: one round of health probes per interval, the state file (so
// a deploy made by another prodx process, e.g. CI, shows up in an open dashboard), the
// environment's lock, and the router's weights (where traffic goes now, for the header).
import { keepAliveAgents, probeTarget } from '../adapters/http/probe.js';
import { envLockFile, localLiveness, readLockFile } from '../adapters/state/lock.js';
import { readState, stateFingerprint } from '../adapters/state/stateFile.js';
import { applyProbe } from '../core/health/status.js';
import type { HealthThresholds, ProbeResult, ProbeTarget } from '../core/health/types.js';
import { holderAlive, type LockInfo } from '../core/state/lock.js';
import { emptyEnvironmentState, type EnvironmentState } from '../core/state/schema.js';
import type { AppStore } from '../store/createAppStore.js';
import { createScheduler, type Clock, type Poller, type Scheduler } from '../store/scheduler.js';

export interface HealthPollerOptions {
  targets: (ProbeTarget & { name: string })[];
  thresholds: HealthThresholds;
  intervalMs: number;
  timeoutMs: number;
  probe?: typeof probeTarget;
  now?: () => number;
}

export function healthPoller(store: AppStore, o: HealthPollerOptions): Poller<ProbeResult[]> & { dispose(): void } {
  const agent = keepAliveAgents();
  const probe = o.probe ?? probeTarget;
  const now = o.now ?? Date.now;
  return {
    name: 'health',
    intervalMs: o.intervalMs,
    // each probe has its own timeout; the round gets a little more so it never aborts them first
    timeoutMs: o.timeoutMs + 500,
    run: (signal) => Promise.all(o.targets.map((t) => probe(t, { timeoutMs: o.timeoutMs, agent: agent.agents, signal, now }))),
    apply: (round) => {
      const { actions, targets } = store.getState();
      round.forEach((p, i) => {
        const name = o.targets[i]!.name;
        const prev = targets[name];
        if (prev) actions.setTargetHealth(name, applyProbe(prev.health, p, o.thresholds), { at: p.at, ms: p.ok ? p.latencyMs : null });
      });
      actions.setLastRefresh(now());
    },
    dispose: () => agent.destroy(),
  };
}

interface StateSnapshot {
  fingerprint: string;
  deployment: EnvironmentState;
  lock: (LockInfo & { stale: boolean }) | null;
}

export function statePoller(store: AppStore, o: { stateDir: string; environment: string; intervalMs: number }): Poller<StateSnapshot> {
  let last: StateSnapshot | null = null;
  return {
    name: 'state',
    intervalMs: o.intervalMs,
    timeoutMs: 5_000,
    run: async () => {
      const fingerprint = stateFingerprint(o.stateDir);
      const held = readLockFile(envLockFile(o.stateDir, o.environment));
      const lock = held ? { ...held, stale: !holderAlive(held, localLiveness(Date.now())) } : null;
      if (last && last.fingerprint === fingerprint) return { ...last, lock };
      try {
        const deployment = readState(o.stateDir).environments[o.environment] ?? emptyEnvironmentState();
        last = { fingerprint, deployment, lock };
        return last;
      } catch (err) {
        // keep showing the last good state, say why it is stale, and let the scheduler back off
        store.getState().actions.setDeployment(last?.deployment ?? null, err instanceof Error ? err.message : String(err));
        throw err;
      }
    },
    apply: (s) => {
      const { actions } = store.getState();
      actions.setDeployment(s.deployment);
      actions.setLock(s.lock);
    },
    equals: (a, b) => a.fingerprint === b.fingerprint && JSON.stringify(a.lock) === JSON.stringify(b.lock),
  };
}

/** The router's weights, so the Deploy screen shows where traffic goes right now. */
export function routerPoller(
  store: AppStore,
  o: { read(signal: AbortSignal): Promise<Record<string, number> | null>; intervalMs: number },
): Poller<Record<string, number> | null> {
  return {
    name: 'router',
    intervalMs: o.intervalMs,
    timeoutMs: 5_000,
    run: async (signal) => {
      try {
        const weights = await o.read(signal);
        store.getState().actions.setWeights(weights);
        return weights;
      } catch (err) {
        store.getState().actions.setWeights(null, err instanceof Error ? err.message : String(err));
        throw err;
      }
    },
    apply: (weights) => store.getState().actions.setWeights(weights),
  };
}

export interface StorePollers {
  scheduler: Scheduler;
  start(): void;
  stop(): void;
  refresh(): Promise<void>;
}

export function startStorePollers(
  store: AppStore,
  o: {
    health: HealthPollerOptions;
    state: { stateDir: string; environment: string; intervalMs: number };
    router?: { read(signal: AbortSignal): Promise<Record<string, number> | null>; intervalMs: number };
    clock?: Clock;
  },
): StorePollers {
  const scheduler = createScheduler({
    ...(o.clock ? { clock: o.clock } : {}),
    onStatus: (name, status) => store.getState().actions.setPollerStatus(name, status),
  });
  const health = healthPoller(store, o.health);
  scheduler.add(health);
  scheduler.add(statePoller(store, o.state));
  if (o.router) scheduler.add(routerPoller(store, o.router));
  return {
    scheduler,
    start: () => scheduler.start(),
    stop: () => {
      scheduler.stop();
      health.dispose();
    },
    refresh: () => scheduler.runNow(),
  };
}
