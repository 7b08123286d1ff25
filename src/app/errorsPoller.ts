// The errors poller: the errors report of the last 24 hours (the same as `prodx errors report`),
// from the store's rollups (src/operations/errors.ts), so what the collector records shows up on
// the Errors screen by itself, with statuses set from another terminal too. A report merges
// hourly rollups, so a poll costs the same at a thousand events or a million.
import type { AppStore } from '../store/createAppStore.js';
import type { Poller } from '../store/scheduler.js';
import type { OperationContext } from '../operations/context.js';
import { errorsReport } from '../operations/errors.js';
import type { ErrorsReport } from '../core/errors/report.js';

export function errorsPoller(store: AppStore, ctx: OperationContext, o: { intervalMs: number; now?: () => number }): Poller<ErrorsReport> {
  const now = o.now ?? Date.now;
  return {
    name: 'errors',
    intervalMs: o.intervalMs,
    timeoutMs: 10_000,
    run: async () => {
      try {
        return errorsReport(ctx, { window: '24h' }, now());
      } catch (err) {
        store.getState().actions.updateErrors({ error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    },
    apply: (report) =>
      store.getState().actions.updateErrors({ report, notInApp: [...ctx.config.errors.notInApp], loadedAt: now(), error: null }),
  };
}
