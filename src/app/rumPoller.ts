// The RUM poller: the report for the RUM screen's window, segment and trend metric, from the
// store's rollups (src/operations/rum.ts), so what the collector records shows up by itself.
import type { AppStore } from '../store/createAppStore.js';
import type { Poller } from '../store/scheduler.js';
import type { OperationContext } from '../operations/context.js';
import { rumReport } from '../operations/rum.js';
import type { RumReport } from '../core/rum/report.js';
import { reportPoller } from './reportPoller.js';

export function rumPoller(store: AppStore, ctx: OperationContext, o: { intervalMs: number; now?: () => number }): Poller<RumReport> {
  return reportPoller({
    name: 'rum',
    intervalMs: o.intervalMs,
    now: o.now ?? Date.now,
    read: (now) => {
      const { window, by, metric } = store.getState().rum;
      return rumReport(ctx, { window, by, metric }, now);
    },
    update: (patch) => store.getState().actions.updateRum(patch),
  });
}
