// `prodx health` and `prodx health --watch`.
import { keepAliveProber, probeTarget } from '../../adapters/http/probe.js';
import { systemClock } from '../../app/system.js';
import { checkHealth, watchHealth, type HealthReport } from '../../operations/health.js';
import type { OperationContext } from '../../operations/context.js';
import { ExitCode } from '../../core/errors.js';
import { out, paint, printJson, statusStyle, type OutputOptions } from '../output.js';

export function renderHealth(r: HealthReport, o: OutputOptions): string {
  const w = Math.max(...r.targets.map((t) => t.name.length));
  const lines = [`${r.environment}: ${paint(o, statusStyle(r.overall), r.overall)}`];
  for (const t of r.targets) {
    const latency = t.latencyMs === null ? '' : `${Math.round(t.latencyMs)}ms`;
    lines.push(
      `  ${t.name.padEnd(w)}  ${paint(o, statusStyle(t.status), t.status.padEnd(8))}  ${(t.version ?? '-').padEnd(10)} ${latency.padStart(7)}  ${t.reason}  ${paint(o, 'gray', t.url)}`,
    );
  }
  return lines.join('\n');
}

export async function runHealth(ctx: OperationContext, o: OutputOptions, opts: { watch: boolean }): Promise<number> {
  if (!opts.watch) {
    const report = await checkHealth(ctx, { probe: probeTarget, clock: systemClock });
    if (o.json) printJson(report);
    else out(`${renderHealth(report, o)}\n`);
    return report.ok ? ExitCode.ok : ExitCode.failed;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const prober = keepAliveProber();
  let last: HealthReport | undefined;
  try {
    await watchHealth(
      ctx,
      (report) => {
        last = report;
        if (o.json) printJson(report);
        else out(`${new Date(report.checkedAt).toISOString().slice(11, 19)} ${renderHealth(report, o)}\n`);
      },
      controller.signal,
      { probe: prober.probe, clock: systemClock },
    );
  } finally {
    prober.dispose();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return last && !last.ok ? ExitCode.failed : ExitCode.ok;
}
