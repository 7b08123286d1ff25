// One scheduler for every poller. Each poller runs on its own interval, gets an AbortSignal
// that fires at its timeout (or when the scheduler stops), backs off exponentially while its
// source fails, and hands its result to the store only when it differs from the last one.
import { isDeepStrictEqual } from 'node:util';
import type { PollerStatus } from './types.js';

export interface Poller<T> {
  name: string;
  intervalMs: number;
  timeoutMs: number;
  /** fetch the data; reject when the source fails (that starts the backoff) */
  run(signal: AbortSignal): Promise<T>;
  /** write a changed result into the store */
  apply(result: T): void;
  /** defaults to deep equality; return true to skip the store write */
  equals?(previous: T, next: T): boolean;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface SchedulerOptions {
  clock?: Clock;
  /** the longest a failing poller waits between tries */
  maxBackoffMs?: number;
  onStatus?(name: string, status: PollerStatus): void;
}

interface Entry {
  poller: Poller<unknown>;
  status: PollerStatus;
  hasResult: boolean;
  last: unknown;
  timer: unknown;
  inFlight: Promise<void> | null;
  controller: AbortController | null;
}

export interface Scheduler {
  add<T>(poller: Poller<T>): void;
  start(): void;
  stop(): void;
  /** run one poller (or all) now, out of turn; resolves when done */
  runNow(name?: string): Promise<void>;
  readonly running: boolean;
}

export function backoffDelay(intervalMs: number, failures: number, maxBackoffMs: number): number {
  if (failures <= 0) return intervalMs;
  return Math.min(intervalMs * 2 ** failures, Math.max(maxBackoffMs, intervalMs));
}

export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  const clock = options.clock ?? systemClock;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const entries = new Map<string, Entry>();
  let running = false;

  const schedule = (e: Entry, delay: number) => {
    if (!running) return;
    clock.clearTimeout(e.timer);
    e.timer = clock.setTimeout(() => void tick(e), delay);
  };

  const tick = (e: Entry): Promise<void> => {
    if (e.inFlight) return e.inFlight;
    const controller = new AbortController();
    e.controller = controller;
    const timeout = clock.setTimeout(() => controller.abort(new Error(`timed out after ${e.poller.timeoutMs}ms`)), e.poller.timeoutMs);
    e.inFlight = (async () => {
      try {
        const result = await e.poller.run(controller.signal);
        if (controller.signal.aborted && !running) return;
        const same = e.hasResult && (e.poller.equals ? e.poller.equals(e.last, result) : isDeepStrictEqual(e.last, result));
        e.hasResult = true;
        e.last = result;
        if (!same) e.poller.apply(result);
        e.status = { lastOkAt: clock.now(), failures: 0, nextDelayMs: e.poller.intervalMs };
      } catch (err) {
        const failures = e.status.failures + 1;
        const reason =
          controller.signal.aborted && controller.signal.reason instanceof Error
            ? controller.signal.reason.message
            : err instanceof Error
              ? err.message
              : String(err);
        e.status = { ...e.status, failures, error: reason, nextDelayMs: backoffDelay(e.poller.intervalMs, failures, maxBackoffMs) };
      } finally {
        clock.clearTimeout(timeout);
        e.inFlight = null;
        e.controller = null;
        options.onStatus?.(e.poller.name, e.status);
        schedule(e, e.status.nextDelayMs ?? e.poller.intervalMs);
      }
    })();
    return e.inFlight;
  };

  return {
    add(poller) {
      if (entries.has(poller.name)) throw new Error(`poller ${poller.name} is already registered`);
      const e: Entry = {
        poller: poller as Poller<unknown>,
        status: { failures: 0 },
        hasResult: false,
        last: undefined,
        timer: undefined,
        inFlight: null,
        controller: null,
      };
      entries.set(poller.name, e);
      if (running) void tick(e);
    },
    start() {
      if (running) return;
      running = true;
      for (const e of entries.values()) void tick(e);
    },
    stop() {
      running = false;
      for (const e of entries.values()) {
        clock.clearTimeout(e.timer);
        e.controller?.abort(new Error('stopped'));
      }
    },
    async runNow(name) {
      const targets = name ? [entries.get(name)].filter((e): e is Entry => !!e) : [...entries.values()];
      await Promise.all(targets.map((e) => tick(e)));
    },
    get running() {
      return running;
    },
  };
}
