// `prodx errors …` as CLI output.
import { ExitCode, ProdxError } from '../../core/errors.js';
import { oneLine } from '../../core/text.js';
import { failsGate, type GroupRow, type GroupStatusName } from '../../core/errors/report.js';
import { isInApp } from '../../core/errors/grouping.js';
import { shortId, sparkline } from '../../core/errors/view.js';
import type { OperationContext } from '../../operations/context.js';
import { errorsReport, errorsShow, setErrorStatus } from '../../operations/errors.js';
import { simulateErrors } from '../../operations/errorsSimulate.js';
import { ago, out, paint, printJson, type OutputOptions } from '../output.js';
import { windowArgs } from './windowArgs.js';

function rowText(g: GroupRow, o: OutputOptions, now: number): string {
  const flags = [
    g.regressed ? paint(o, 'red', 'regressed') : '',
    g.isNew ? paint(o, 'yellow', 'new') : '',
    g.status !== 'unresolved' ? paint(o, 'dim', g.status) : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `  ${paint(o, 'bold', shortId(g.id))} ${String(g.count).padStart(6)} ${String(g.users).padStart(5)}${g.capped ? '+' : ' '} ${ago(now - g.lastSeen).padStart(8)}  ${g.category.padEnd(10)} ${sparkline(g.trend)}  ${oneLine(g.title, 60)}${flags ? `  ${flags}` : ''}`;
}

export function runErrorsReport(
  ctx: OperationContext,
  o: OutputOptions,
  opts: { window: string; since?: string; until?: string; release?: string; category?: string },
): number {
  const now = Date.now();
  const r = errorsReport(
    ctx,
    {
      ...windowArgs(opts),
      ...(opts.release !== undefined ? { release: opts.release } : {}),
      ...(opts.category !== undefined ? { category: opts.category } : {}),
    },
    now,
  );
  const bad = r.groups.filter(failsGate);
  if (o.json) {
    printJson({ ok: bad.length === 0, ...r, groups: r.groups.map(({ sample: _s, ...g }) => g) });
    return bad.length ? ExitCode.failed : ExitCode.ok;
  }
  const w = `${new Date(r.window.from).toISOString().slice(0, 13)}:00Z – ${new Date(r.window.until).toISOString().slice(0, 13)}:00Z`;
  const lines = [
    `${paint(o, 'bold', 'Errors')} ${w}: ${r.events} events in ${r.groups.length} groups${r.latestRelease ? `, newest release ${r.latestRelease}` : ''}`,
  ];
  if (!r.groups.length) lines.push('  no errors in this window');
  else lines.push(paint(o, 'dim', '  group      events users last seen  category   trend'));
  for (const g of r.groups) lines.push(rowText(g, o, now));
  if (r.latestRelease) {
    if (r.newInLatest.length) lines.push(paint(o, 'yellow', `New in ${r.latestRelease}: ${r.newInLatest.map(shortId).join(', ')}`));
    if (r.regressed.length) lines.push(paint(o, 'red', `Regressed: ${r.regressed.map(shortId).join(', ')}`));
  }
  const health = Object.entries(r.releases);
  for (const [rel, h] of health)
    lines.push(`  release ${rel}: ${h.total} sessions, ${h.crashFree === null ? '–' : `${(h.crashFree * 100).toFixed(2)}% crash-free`}`);
  out(`${lines.join('\n')}\n`);
  return bad.length ? ExitCode.failed : ExitCode.ok;
}

export function runErrorsShow(ctx: OperationContext, o: OutputOptions, id: string): number {
  const d = errorsShow(ctx, id);
  const notInApp = ctx.config.errors.notInApp;
  if (o.json) {
    printJson({ ok: true, ...d });
    return ExitCode.ok;
  }
  const g = d.group;
  const now = Date.now();
  const lines = [
    `${paint(o, 'bold', g.title)}`,
    `  group ${g.id}  ${g.category}, ${g.level}, grouped by ${g.groupedBy}${g.culprit ? `, in ${g.culprit}` : ''}`,
    `  status ${g.status}${g.regressed ? paint(o, 'red', ' (regressed)') : ''}${g.isNew ? paint(o, 'yellow', ' (new in the newest release)') : ''}`,
    `  ${g.count} events in ${ctx.config.errors.retentionDays} days from ${g.users}${g.capped ? '+' : ''} users and ${g.sessions} sessions; first seen ${ago(now - g.firstSeen)}, last ${ago(now - g.lastSeen)}`,
    `  releases ${g.releases.join(', ') || '–'} (first ${g.firstRelease || '–'})`,
    `  environments ${Object.entries(g.environments)
      .map(([e, n]) => `${e} ${n}`)
      .join(', ')}`,
    `  trend ${sparkline(g.trend)} (a day a bar)`,
  ];
  const e = d.events[0] ?? g.sample;
  lines.push(
    paint(o, 'bold', 'Latest event'),
    `  ${e.id} at ${new Date(e.ts).toISOString()} (${e.source}, ${e.platform}), release ${e.release}`,
  );
  if (e.message) lines.push(`  message: ${oneLine(e.message, 200)}`);
  for (const ex of e.exceptions) {
    lines.push(`  ${ex.type ?? 'Error'}: ${oneLine(ex.value ?? '', 200)}${ex.synthetic ? ' (stack made by the SDK)' : ''}`);
    // innermost first to read, as a stack trace is read
    for (const f of [...ex.frames].reverse()) {
      const app = isInApp(f, notInApp);
      const at = `${f.function ?? '?'} (${f.module ?? f.filename ?? '?'}${f.lineno !== undefined ? `:${f.lineno}` : ''}${f.colno !== undefined ? `:${f.colno}` : ''})`;
      lines.push(app ? `    ${paint(o, 'bold', '›')} ${paint(o, 'bold', at)}` : paint(o, 'dim', `      ${at}`));
      if (app && f.context_line) lines.push(paint(o, 'cyan', `        ${oneLine(f.context_line.trim(), 100)}`));
    }
  }
  const tags = Object.entries(e.tags);
  if (tags.length) lines.push(`  tags ${tags.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (e.user) lines.push(`  user ${e.user}`);
  if (e.url) lines.push(`  url ${e.url}`);
  out(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

export function runErrorsStatus(ctx: OperationContext, o: OutputOptions, id: string, to: GroupStatusName): number {
  const c = setErrorStatus(ctx, id, to);
  if (o.json) printJson({ ok: true, ...c });
  else
    out(
      `${shortId(c.group)} ${c.title}: ${c.from} → ${c.to}${c.to === 'resolved' && c.release ? ` (in ${c.release}: seen in a newer release, it is a regression)` : ''}\n`,
    );
  return ExitCode.ok;
}

export async function runErrorsSimulate(
  ctx: OperationContext,
  o: OutputOptions,
  opts: { fixture?: string; count?: string; to?: string; project?: string },
): Promise<number> {
  let count: number | undefined;
  if (opts.count !== undefined) {
    count = Number(opts.count);
    if (!Number.isInteger(count) || count < 1) throw new ProdxError('usage', `--count is a whole number above 0, got "${opts.count}".`);
  }
  const r = await simulateErrors(ctx, {
    ...(opts.fixture ? { fixture: opts.fixture } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(opts.to ? { to: opts.to } : {}),
    ...(opts.project ? { project: opts.project } : {}),
  });
  const refused = Object.values(r.refused).reduce((a, b) => a + b, 0);
  if (o.json) printJson({ ok: refused === 0, ...r });
  else {
    out(`sent ${r.sent} deliveries to ${r.to}: ${r.stored} stored${refused ? `, ${refused} refused` : ''}\n`);
    for (const [reason, n] of Object.entries(r.refused)) out(`  ${n} × ${reason}\n`);
  }
  return refused ? ExitCode.failed : ExitCode.ok;
}
