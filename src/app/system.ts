// The real ports, wired for one operation context: the state, locks and mailbox in the config's
// stateDir, the configured router and metric provider, HTTP probes, the release hook runner and
// the system clock. The CLI and the dashboard both build their runtimes here.
import { dirname } from 'node:path';
import { actorName } from '../adapters/actor.js';
import { probeTarget } from '../adapters/http/probe.js';
import { runReleaseHook } from '../adapters/release/hook.js';
import { localLocks } from '../adapters/state/lock.js';
import { localMailbox } from '../adapters/state/mailbox.js';
import { localStateStore } from '../adapters/state/stateFile.js';
import type { Clock } from '../core/clock.js';
import type { MetricProvider } from '../core/canary/metrics.js';
import type { TrafficRouter } from '../core/deploy/router.js';
import type { OperationContext } from '../operations/context.js';
import type { OperationEvent } from '../operations/events.js';
import type { Runtime } from '../operations/runtime.js';

/** Waits `ms` (or until `signal` aborts); the listener goes when the timer fires, so long runs do not pile them up. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** The environment's router, built when first asked for. */
export function routerOf(ctx: OperationContext): () => Promise<TrafficRouter | null> {
  let router: Promise<TrafficRouter | null> | undefined;
  return () =>
    (router ??= (async () => {
      if (!ctx.env.router) return null;
      const { createRouter } = await import('../adapters/routers/index.js');
      const targets = Object.fromEntries(Object.entries(ctx.env.targets).map(([c, t]) => [c, t.url]));
      return createRouter(ctx.env.router, targets, { cwd: dirname(ctx.configPath), env: ctx.envName });
    })());
}

function metricsOf(ctx: OperationContext): () => Promise<MetricProvider> {
  let provider: Promise<MetricProvider> | undefined;
  return () =>
    (provider ??= (async () => {
      const { createMetricProvider } = await import('../adapters/metrics/index.js');
      return createMetricProvider(ctx.env.metrics, {
        env: ctx.envName,
        intervalMs: ctx.env.canary.interval,
        router: ctx.env.router,
        timeoutMs: Math.max(ctx.env.health.timeout, Math.min(5_000, ctx.env.canary.interval)),
      });
    })());
}

export interface SystemOptions {
  emit?: (e: OperationEvent) => void;
  signal?: AbortSignal;
  /** share one router between runtimes (the dashboard builds one per operation) */
  router?: () => Promise<TrafficRouter | null>;
}

export function systemRuntime(ctx: OperationContext, o: SystemOptions = {}): Runtime {
  return {
    store: localStateStore(ctx.stateDir),
    locks: localLocks(ctx.stateDir),
    mailbox: localMailbox(ctx.stateDir),
    clock: systemClock,
    probe: probeTarget,
    runHook: runReleaseHook,
    router: o.router ?? routerOf(ctx),
    metrics: metricsOf(ctx),
    actor: actorName(),
    emit: o.emit ?? (() => undefined),
    ...(o.signal ? { signal: o.signal } : {}),
  };
}
