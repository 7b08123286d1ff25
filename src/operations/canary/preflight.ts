// Before any traffic moves: both colours' metrics must be readable at all. A 404, a page that
// is not Prometheus text or a query Prometheus rejects would leave every interval inconclusive,
// so it is refused up front with the reason (exit 2, nothing changed).
import type { MetricProvider } from '../../core/canary/metrics.js';
import { ProdxError } from '../../core/errors.js';
import type { CanaryRun } from '../../core/state/schema.js';
import type { OperationContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { metricTarget } from './plan.js';

export async function preflight(ctx: OperationContext, rt: Runtime, provider: MetricProvider, run: CanaryRun): Promise<void> {
  const snaps = await Promise.all(
    [run.canaryColour, run.stableColour].map((c) => provider.sample(metricTarget(ctx, c), rt.signal, run.intervalMs)),
  );
  const bad = snaps.find((s) => s.kind === 'unavailable' && s.permanent);
  if (bad && bad.kind === 'unavailable') {
    throw new ProdxError('metrics-unusable', `cannot analyse a canary: the metrics of ${bad.colour} are unusable: ${bad.reason}`);
  }
  for (const s of snaps) {
    if (s.kind === 'unavailable')
      rt.emit({
        type: 'warning',
        message: `metrics of ${s.colour} unavailable for now (${s.reason}); intervals stay inconclusive until they are`,
      });
  }
}
