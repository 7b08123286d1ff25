// `prodx flags serve|start|stop|status`: the OFREP endpoint's lifecycle as CLI output.
import { ExitCode, ProdxError } from '../../core/errors.js';
import { flagsSource } from '../../operations/flags.js';
import { flagsServerStatus, serveFlags, startFlagsDaemon, stopFlagsDaemon } from '../../operations/flagsServer.js';
import type { OperationContext } from '../../operations/context.js';
import { ago, paint, printJson, type OutputOptions } from '../output.js';
import { renderWarnings } from './flagsText.js';
import { warn } from './flagsRun.js';

/** --port, else the config's flags.port (8016, flagd's OFREP port, by default) */
function portOf(ctx: OperationContext, raw: string | undefined): number {
  if (raw === undefined) return ctx.config.flags.port;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ProdxError('usage', `--port is a whole number from 0 to 65535, got "${raw}" (0 picks a free port).`);
  }
  return port;
}

const say = (o: OutputOptions, json: unknown, text: string) => (o.json ? printJson(json) : process.stdout.write(`${text}\n`));

export async function runServe(ctx: OperationContext, o: OutputOptions, rawPort: string | undefined): Promise<number> {
  const stamp = () => new Date().toISOString();
  const server = await serveFlags(flagsSource(ctx), {
    port: portOf(ctx, rawPort),
    log: (line) => process.stderr.write(`${stamp()} ${line}\n`),
  });
  const warnings = server.status().warnings;
  warn(o, server.record.file, warnings, undefined, `${stamp()} `);
  say(
    o,
    { ok: true, url: server.url, pid: process.pid, file: server.record.file, warnings },
    `${stamp()} OFREP endpoint at ${server.url}/ofrep/v1/evaluate/flags serving ${server.record.file} (pid ${process.pid}); Ctrl-C stops it`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
  });
  await server.close();
  if (!o.json) process.stdout.write(`${stamp()} stopped\n`);
  return ExitCode.ok;
}

export async function runStart(ctx: OperationContext, o: OutputOptions, rawPort: string | undefined): Promise<number> {
  const bin = process.argv[1];
  if (!bin)
    throw new ProdxError(
      'internal',
      'cannot tell how prodx was started, so it cannot start the endpoint: run `prodx flags serve` instead.',
      ExitCode.failed,
    );
  const r = await startFlagsDaemon(flagsSource(ctx), { port: portOf(ctx, rawPort), configPath: ctx.configPath, bin });
  warn(o, r.record.file, r.warnings);
  say(
    o,
    { ok: true, alreadyRunning: r.alreadyRunning, ...r.record, warnings: r.warnings },
    `${r.alreadyRunning ? 'already running' : 'started'}: OFREP endpoint at ${paint(o, 'bold', r.record.url)} (pid ${r.record.pid})\n` +
      `  apps: new OFREPProvider({ baseUrl: '${r.record.url}' }); conversions: POST ${r.record.url}/events`,
  );
  return ExitCode.ok;
}

export async function runStop(ctx: OperationContext, o: OutputOptions): Promise<number> {
  const r = await stopFlagsDaemon(flagsSource(ctx));
  say(
    o,
    { ok: true, wasRunning: r.wasRunning, pid: r.record?.pid ?? null },
    r.wasRunning ? `stopped the flags endpoint (pid ${r.record!.pid})` : 'the flags endpoint was not running',
  );
  return ExitCode.ok;
}

export async function runStatus(ctx: OperationContext, o: OutputOptions): Promise<number> {
  const r = await flagsServerStatus(flagsSource(ctx));
  if (o.json) {
    printJson({ ok: true, running: r.running, ...(r.record ?? {}), live: r.live });
    return ExitCode.ok;
  }
  if (!r.running || !r.record) {
    process.stdout.write('the flags endpoint is not running: start it with `prodx flags start`\n');
    return ExitCode.ok;
  }
  const lines = [
    `running at ${paint(o, 'bold', r.record.url)} (pid ${r.record.pid}, started ${ago(Date.now() - r.record.startedAt)})`,
    `  file        ${r.record.file}`,
  ];
  if (r.live) {
    lines.push(`  flags       ${r.live.flags} (loaded ${ago(Date.now() - r.live.loadedAt)})`);
    lines.push(
      `  served      ${r.live.evaluations.toLocaleString('en-US')} evaluations, ${r.live.exposures.toLocaleString('en-US')} exposures, ${r.live.conversions.toLocaleString('en-US')} conversions`,
    );
    if (r.live.reloadError) lines.push(paint(o, 'red', `  reload      ${r.live.reloadError}`));
    for (const w of renderWarnings(r.record.file, r.live.warnings ?? [], o)) lines.push(`  ${w}`);
  } else lines.push(paint(o, 'yellow', '  it does not answer: look at .prodx/flags/server.log'));
  process.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}
