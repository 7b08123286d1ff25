// The RUM poller: the report for the RUM screen's window, segment and trend metric, from the
// store's rollups (src/operations/rum.ts), so what the collector records shows up by itself.
// A report merges rollups, so a poll costs the same at a thousand events or a million.
import type { AppStore } from '../store/createAppStore.js';
import type { Poller } from '../store/scheduler.js';
import type { OperationContext } from '../operations/context.js';
import { rumReport } from '../operations/rum.js';
import type { RumReport } from '../core/rum/report.js';

export function rumPoller(store: AppStore, ctx: OperationContext, o: { intervalMs: number; now?: () => number }): Poller<RumReport> {
  const now = o.now ?? Date.now;
  return {
    name: 'rum',
    intervalMs: o.intervalMs,
    timeoutMs: 10_000,
    run: async () => {
      const { window, by, metric } = store.getState().rum;
      try {
        return rumReport(ctx, { window, by, metric }, now());
      } catch (err) {
        store.getState().actions.updateRum({ error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    },
    apply: (report) => store.getState().actions.updateRum({ report, loadedAt: now(), error: null }),
  };
}
