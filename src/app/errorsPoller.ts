// The errors poller: the errors report of the last 24 hours (the same as `prodx errors report`),
// from the store's rollups (src/operations/errors.ts), so what the collector records shows up on
// the Errors screen by itself, with statuses set from another terminal too.
import type { AppStore } from '../store/createAppStore.js';
import type { Poller } from '../store/scheduler.js';
import type { OperationContext } from '../operations/context.js';
import { errorsReport } from '../operations/errors.js';
import type { ErrorsReport } from '../core/errors/report.js';
import { reportPoller } from './reportPoller.js';

export function errorsPoller(store: AppStore, ctx: OperationContext, o: { intervalMs: number; now?: () => number }): Poller<ErrorsReport> {
  return reportPoller({
    name: 'errors',
    intervalMs: o.intervalMs,
    now: o.now ?? Date.now,
    read: (now) => errorsReport(ctx, { window: '24h' }, now),
    update: (patch) =>
      store.getState().actions.updateErrors(patch.report ? { ...patch, notInApp: [...ctx.config.errors.notInApp] } : patch),
  });
}
