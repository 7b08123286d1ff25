// What every operation is given: the ports it works through (state store, locks, mailbox,
// router, metrics, probes, the release hook, the clock) and where its events go. The CLI and
// the dashboard build a real one (src/app/system.ts); tests build one with a fake clock. An
// operation never reaches for the file system or the network on its own.
import type { Mailbox } from '../core/canary/control.js';
import type { MetricProvider } from '../core/canary/metrics.js';
import type { Clock } from '../core/clock.js';
import type { HookRunner } from '../core/deploy/hook.js';
import type { TrafficRouter } from '../core/deploy/router.js';
import type { Prober } from '../core/health/types.js';
import type { LockPort } from '../core/state/lock.js';
import type { StateStore } from '../core/state/store.js';
import type { OperationEvent } from './events.js';

export interface Runtime {
  store: StateStore;
  locks: LockPort;
  mailbox: Mailbox;
  clock: Clock;
  probe: Prober;
  runHook: HookRunner;
  /** the environment's traffic router, or null when none is configured */
  router(): Promise<TrafficRouter | null>;
  /** the environment's metric provider (scrape, prometheus or builtin) */
  metrics(): Promise<MetricProvider>;
  /** who runs the operation, for the history: user@host or the CI actor */
  actor: string;
  emit(e: OperationEvent): void;
  /** stops the operation at its next safe point (Ctrl-C, SIGTERM, quitting the dashboard) */
  signal?: AbortSignal;
}

/** The signal as an options bag for the router and provider calls. */
export const signalOf = (rt: Runtime): { signal?: AbortSignal } => (rt.signal ? { signal: rt.signal } : {});

/** Stopped on purpose: the state already says where the operation is, for `--resume` or `rollback`. */
export const stopped = (rt: Runtime): boolean => rt.signal?.aborted === true;
