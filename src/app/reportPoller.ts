// A poller for a report read from the event stores' rollups (RUM, errors): read it on the
// interval, put it in the store with when it was read, and put a failure's message there too so
// the screen says why it has nothing new. A report merges rollups, so a poll costs the same at a
// thousand events or a million.
import type { Poller } from '../store/scheduler.js';

export function reportPoller<R>(o: {
  name: string;
  intervalMs: number;
  now: () => number;
  read: (now: number) => R;
  /** the store's update of this report's slice */
  update: (patch: { report?: R; loadedAt?: number; error: string | null }) => void;
}): Poller<R> {
  return {
    name: o.name,
    intervalMs: o.intervalMs,
    timeoutMs: 10_000,
    run: async () => {
      try {
        return o.read(o.now());
      } catch (err) {
        o.update({ error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    },
    apply: (report) => o.update({ report, loadedAt: o.now(), error: null }),
  };
}
