// `prodx collect`, `prodx rum …` and `prodx simulate rum` as CLI output.
import { ExitCode, ProdxError } from '../../core/errors.js';
import type { Assessment, RumReport } from '../../core/rum/report.js';
import { metricText } from '../../core/rum/metrics.js';
import { rumSnippet } from '../../core/rum/snippet.js';
import type { OperationContext } from '../../operations/context.js';
import { collect, collectorStatus, rumReport, startCollectorDaemon, stopCollectorDaemon } from '../../operations/rum.js';
import { simulateRum } from '../../operations/rumSimulate.js';
import { ago, out, paint, printJson, type OutputOptions } from '../output.js';
import { windowArgs } from './windowArgs.js';

const say = (o: OutputOptions, json: unknown, text: string) => (o.json ? printJson(json) : out(`${text}\n`));

function portArg(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ProdxError('usage', `--port is a whole number from 0 to 65535, got "${raw}" (0 picks a free port).`);
  return port;
}

export async function runCollect(ctx: OperationContext, o: OutputOptions, rawPort: string | undefined): Promise<number> {
  const stamp = () => new Date().toISOString();
  const port = portArg(rawPort);
  const c = await collect(ctx, { ...(port !== undefined ? { port } : {}), log: (line) => process.stderr.write(`${stamp()} ${line}\n`) });
  say(
    o,
    { ok: true, url: c.url, pid: process.pid },
    `${stamp()} collector at ${c.url} (pid ${process.pid}): RUM at POST /v1/rum, errors at /api/<project>/envelope/ (a Sentry DSN http://<key>@${c.url.replace(/^https?:\/\//, '')}/<project>), /v1/errors and /v1/csp; SIGTERM or Ctrl-C stops it`,
  );
  await new Promise<void>((resolve) => {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => resolve());
  });
  await c.close();
  const st = c.status();
  if (!o.json)
    out(
      `${stamp()} stopped: ${st.stored} RUM events stored, ${st.rejected} rejected; ${st.errors?.events ?? 0} error events stored, ${st.errors?.rejected ?? 0} refused\n`,
    );
  return ExitCode.ok;
}

export async function runRumStart(ctx: OperationContext, o: OutputOptions, rawPort: string | undefined): Promise<number> {
  const bin = process.argv[1];
  if (!bin) throw new ProdxError('internal', 'cannot tell how prodx was started: run `prodx collect` instead.', ExitCode.failed);
  const port = portArg(rawPort);
  const r = await startCollectorDaemon(ctx, { bin, ...(port !== undefined ? { port } : {}) });
  say(
    o,
    { ok: true, alreadyRunning: r.alreadyRunning, ...r.record },
    `${r.alreadyRunning ? 'already running' : 'started'}: collector at ${paint(o, 'bold', r.record.url)} (pid ${r.record.pid})\n` +
      `  pages: \`prodx rum snippet --collector <its public URL>\` prints the lines to add\n` +
      `  apps:  a Sentry SDK reports errors with the DSN http://<key>@${r.record.url.replace(/^https?:\/\//, '')}/<project>`,
  );
  return ExitCode.ok;
}

export async function runRumStop(ctx: OperationContext, o: OutputOptions): Promise<number> {
  const r = await stopCollectorDaemon(ctx);
  say(
    o,
    { ok: true, wasRunning: r.wasRunning, pid: r.record?.pid ?? null },
    r.wasRunning ? `stopped the collector (pid ${r.record!.pid})` : 'the collector was not running',
  );
  return ExitCode.ok;
}

const mib = (b: number) => `${(b / 1_048_576).toFixed(1)} MiB`;

export async function runRumStatus(ctx: OperationContext, o: OutputOptions): Promise<number> {
  const r = await collectorStatus(ctx);
  if (o.json) {
    printJson({ ok: true, running: r.running, ...(r.record ?? {}), live: r.live, disk: r.disk, errorsDisk: r.errorsDisk, log: r.log });
    return ExitCode.ok;
  }
  const lines: string[] = [];
  if (!r.running || !r.record)
    lines.push('the collector is not running: start it with `prodx rum start` (or `prodx collect` in the foreground)');
  else {
    lines.push(`running at ${paint(o, 'bold', r.record.url)} (pid ${r.record.pid}, started ${ago(Date.now() - r.record.startedAt)})`);
    if (r.live) {
      const reasons = Object.entries(r.live.rejectedBy)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      lines.push(
        `  events      ${r.live.received} received, ${r.live.stored} stored, ${r.live.rejected} rejected${reasons ? ` (${reasons})` : ''}`,
      );
      const refused = Object.entries(r.live.refusedBy).map(([k, n]) => `${k} ${n}`);
      if (refused.length) lines.push(`  refused     ${refused.join(', ')}`);
      lines.push(`  last event  ${r.live.lastEventAt ? ago(Date.now() - r.live.lastEventAt) : 'none yet'}`);
      const e = r.live.errors;
      if (e) {
        const refused = Object.entries(e.rejectedBy).map(([k, n]) => `${k} ${n}`);
        lines.push(
          `  errors      ${e.events} stored, ${e.duplicates} retries dropped, ${e.rejected} refused${refused.length ? ` (${refused.join(', ')})` : ''}; ${e.sessions} sessions`,
        );
        const skipped = Object.entries(e.skippedItems).map(([k, n]) => `${k} ${n}`);
        if (skipped.length) lines.push(`  skipped     ${skipped.join(', ')} (not errors)`);
        lines.push(`  last error  ${e.lastEventAt ? ago(Date.now() - e.lastEventAt) : 'none yet'}`);
      }
    } else lines.push(paint(o, 'yellow', `  it does not answer: look at ${r.log}`));
  }
  lines.push(`  disk        ${mib(r.disk.bytes)} in ${r.disk.files} files under ${r.disk.dir}`);
  lines.push(`              ${mib(r.errorsDisk.bytes)} in ${r.errorsDisk.files} files under ${r.errorsDisk.dir}`);
  out(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

const COLOURS: Record<Assessment, 'green' | 'yellow' | 'red' | 'dim'> = {
  good: 'green',
  'needs-improvement': 'yellow',
  poor: 'red',
  'not-enough-data': 'dim',
};
const pct = (x: number) => `${Math.round(x * 100)}%`;
const words = (a: Assessment) => (a === 'not-enough-data' ? 'not enough data' : a === 'needs-improvement' ? 'needs improvement' : a);

function reportText(r: RumReport, o: OutputOptions): string {
  const lines = [
    `${paint(o, 'bold', 'Core Web Vitals')} ${new Date(r.from).toISOString().slice(0, 13)}:00Z – ${new Date(r.until).toISOString().slice(0, 13)}:00Z, ${r.events.toLocaleString('en-US')} events`,
  ];
  if (!r.metrics.length) lines.push('  no web-vitals samples in this window');
  for (const m of r.metrics) {
    const rating = paint(o, COLOURS[m.rating], words(m.rating).padEnd(17));
    lines.push(
      `  ${m.name.padEnd(5)} p75 ${metricText(m.name, m.p75).padStart(8)}  ${rating} good ${pct(m.good).padStart(4)} · NI ${pct(m.needsImprovement).padStart(4)} · poor ${pct(m.poor).padStart(4)}  (${m.count} samples${m.legacy ? ', legacy: not in the verdict' : ''})`,
    );
  }
  if (r.failing.length) {
    lines.push(paint(o, 'bold', `Pages failing Core Web Vitals (${r.failing.length} of ${r.verdicts.length})`));
    for (const f of r.failing) {
      const w = f.worst!;
      lines.push(
        `  ${paint(o, 'red', '✗')} ${f.page} on ${f.device}: ${w.metric} p75 ${metricText(w.metric, f.metrics[w.metric]?.p75 ?? null)}${w.target ? `, worst ${w.target}` : ''}`,
      );
    }
  } else if (r.verdicts.some((v) => v.verdict === 'pass')) lines.push(paint(o, 'green', 'Every assessed page passes Core Web Vitals'));
  if (r.segments) {
    lines.push(paint(o, 'bold', `By ${r.segments.by}`));
    for (const row of r.segments.rows) {
      const cells = (['LCP', 'INP', 'CLS'] as const).map((m) => {
        const c = row.metrics[m];
        return `${m} ${c ? paint(o, COLOURS[c.rating], metricText(m, c.p75)) : '–'}`;
      });
      lines.push(`  ${row.value.padEnd(14)} ${cells.join('  ')}`);
    }
  }
  const e = r.engagement;
  lines.push(
    `Engagement: ${e.sessions} sessions, ${e.pageviews} page views (${e.pageviewsPerSession?.toFixed(1) ?? '–'} per session), ${e.interactions} interactions, ${Math.round(e.visibleMs / 1000)} s visible`,
  );
  const c = r.conversions;
  lines.push(`Conversions: ${c.count} (${c.rate === null ? '–' : `${(c.rate * 100).toFixed(1)}% of sessions`})`);
  for (const v of c.byVersion.slice(0, 5))
    lines.push(`  version ${v.value.padEnd(10)} ${v.rate === null ? '–' : `${(v.rate * 100).toFixed(1)}%`} of ${v.sessions} sessions`);
  return lines.join('\n');
}

export function runRumReport(
  ctx: OperationContext,
  o: OutputOptions,
  opts: { window: string; since?: string; until?: string; by?: string; metric: string },
): number {
  const r = rumReport(ctx, {
    ...windowArgs(opts),
    ...(opts.by ? { by: opts.by } : {}),
    metric: opts.metric,
  });
  const failing = r.failing.length > 0;
  if (o.json) printJson({ ok: !failing, ...r });
  else out(`${reportText(r, o)}\n`);
  return failing ? ExitCode.failed : ExitCode.ok;
}

export function runRumSnippet(
  ctx: OperationContext,
  o: OutputOptions,
  opts: { collector?: string; appVersion?: string; softNavs?: boolean },
): number {
  const collector = opts.collector ?? `http://${ctx.config.collector.host}:${ctx.config.collector.port}`;
  try {
    new URL(collector);
  } catch {
    throw new ProdxError('usage', `--collector is the collector's URL, e.g. https://rum.weather.example, got "${collector}".`);
  }
  const code = rumSnippet({
    collector,
    token: ctx.config.collector.token,
    ...(opts.appVersion ? { version: opts.appVersion } : {}),
    ...(opts.softNavs ? { softNavs: true } : {}),
  });
  say(o, { ok: true, collector, code }, code.trimEnd());
  return ExitCode.ok;
}

export async function runSimulateRum(
  ctx: OperationContext,
  o: OutputOptions,
  opts: { fixture?: string; count?: string; rate?: string; to?: string },
): Promise<number> {
  const num = (name: string, raw: string | undefined) => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new ProdxError('usage', `--${name} is a number above 0, got "${raw}".`);
    return n;
  };
  const count = num('count', opts.count);
  const rate = num('rate', opts.rate);
  const r = await simulateRum(ctx, {
    ...(opts.fixture ? { fixture: opts.fixture } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(rate !== undefined ? { rate } : {}),
    ...(opts.to ? { to: opts.to } : {}),
  });
  const refused = Object.values(r.refused).reduce((a, b) => a + b, 0);
  say(
    o,
    { ok: refused === 0, ...r },
    `sent ${r.sent} events to ${r.to}: ${r.stored} stored, ${r.rejected} rejected${refused ? `, ${refused} requests refused (${Object.keys(r.refused).join(', ')})` : ''}`,
  );
  return refused === 0 ? ExitCode.ok : ExitCode.failed;
}
