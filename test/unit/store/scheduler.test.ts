import { describe, expect, it } from 'vitest';
import { backoffDelay, createScheduler, type Clock } from '../../../src/store/scheduler.js';
import type { PollerStatus } from '../../../src/store/types.js';

/** A clock whose time moves only when the test says so; timers fire in order of due time. */
function manualClock() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { due: number; fn: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = ++seq;
      timers.set(id, { due: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => void timers.delete(h as number),
  };
  const flush = () => new Promise<void>((r) => setImmediate(r));
  /** advance time, firing due timers one at a time and letting their promises settle */
  const advance = async (ms: number) => {
    const end = now + ms;
    for (;;) {
      const next = [...timers.entries()].filter(([, t]) => t.due <= end).sort((a, b) => a[1].due - b[1].due)[0];
      if (!next) break;
      timers.delete(next[0]);
      now = next[1].due;
      next[1].fn();
      await flush();
      await flush();
    }
    now = end;
    await flush();
  };
  return { clock, advance, flush, pending: () => timers.size };
}

describe('backoffDelay', () => {
  it('doubles per failure up to the cap, and is the interval when healthy', () => {
    expect([0, 1, 2, 3, 10].map((f) => backoffDelay(1000, f, 30_000))).toEqual([1000, 2000, 4000, 8000, 30_000]);
  });
});

describe('scheduler', () => {
  it('runs each poller every interval and writes to the store only when the result changed', async () => {
    const { clock, advance, flush } = manualClock();
    const values = [1, 1, 2, 2, 2, 3];
    let runs = 0;
    const applied: number[] = [];
    const s = createScheduler({ clock });
    s.add({ name: 'p', intervalMs: 1000, timeoutMs: 500, run: async () => values[runs++]!, apply: (v) => applied.push(v) });
    s.start();
    await flush();
    await advance(5000);
    expect(runs).toBe(6);
    expect(applied).toEqual([1, 2, 3]);
    s.stop();
  });

  it('backs off exponentially while the source fails and resets after a success', async () => {
    const { clock, advance, flush } = manualClock();
    const startTimes: number[] = [];
    const statuses: PollerStatus[] = [];
    let failing = true;
    const s = createScheduler({ clock, maxBackoffMs: 8000, onStatus: (_n, st) => statuses.push(st) });
    s.add({
      name: 'state',
      intervalMs: 1000,
      timeoutMs: 500,
      run: async () => {
        startTimes.push(clock.now());
        if (failing) throw new Error('state.json is not valid JSON');
        return 'ok';
      },
      apply: () => undefined,
    });
    s.start();
    await flush();
    await advance(1000 * (2 + 4 + 8 + 8));
    expect(startTimes).toEqual([0, 2000, 6000, 14000, 22000]);
    expect(statuses.at(-1)).toMatchObject({ failures: 5, error: 'state.json is not valid JSON', nextDelayMs: 8000 });
    failing = false;
    await advance(8000);
    expect(statuses.at(-1)).toMatchObject({ failures: 0, lastOkAt: 30000, nextDelayMs: 1000 });
    await advance(1000);
    expect(startTimes.at(-1)).toBe(31000);
    s.stop();
  });

  it('aborts a run at its timeout and counts it as a failure', async () => {
    const { clock, advance, flush } = manualClock();
    const statuses: PollerStatus[] = [];
    const s = createScheduler({ clock, onStatus: (_n, st) => statuses.push(st) });
    s.add({
      name: 'hang',
      intervalMs: 1000,
      timeoutMs: 300,
      run: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      apply: () => undefined,
    });
    s.start();
    await flush();
    await advance(300);
    expect(statuses).toEqual([{ failures: 1, error: 'timed out after 300ms', nextDelayMs: 2000 }]);
    s.stop();
  });

  it('stop() cancels every timer and aborts runs in flight', async () => {
    const { clock, flush, pending } = manualClock();
    let aborted = false;
    const s = createScheduler({ clock });
    s.add({
      name: 'x',
      intervalMs: 1000,
      timeoutMs: 5000,
      run: (signal) => new Promise((_, rej) => signal.addEventListener('abort', () => ((aborted = true), rej(new Error('stopped'))))),
      apply: () => undefined,
    });
    s.start();
    await flush();
    s.stop();
    await flush();
    expect(aborted).toBe(true);
    expect(pending()).toBe(0);
    expect(s.running).toBe(false);
  });

  it('runNow runs a poller out of turn and shares a run already in flight', async () => {
    const { clock, flush } = manualClock();
    let runs = 0;
    let release: () => void = () => undefined;
    const s = createScheduler({ clock });
    s.add({
      name: 'x',
      intervalMs: 60_000,
      timeoutMs: 5000,
      run: () => new Promise<number>((r) => (runs++, (release = () => r(runs)))),
      apply: () => undefined,
    });
    s.start();
    await flush();
    const a = s.runNow('x');
    release();
    await a;
    expect(runs).toBe(1);
    const b = s.runNow();
    await flush();
    release();
    await b;
    expect(runs).toBe(2);
    s.stop();
  });
});
