// RUM verbs: run the collector (foreground or background), its status, the report, and the
// snippet a page adds. The store is src/adapters/events/rumStore.ts; the rules are src/core/rum.
import { ProdxError } from '../core/errors.js';
import { DIMENSIONS, type Dimension } from '../core/rum/events.js';
import { isMetricName, type MetricName } from '../core/rum/metrics.js';
import { buildReport, type RumReport } from '../core/rum/report.js';
import { isWindowName, namedWindow, windowOf, WINDOWS, type ReportWindow } from '../core/rum/window.js';
import { startCollector, type Collector, type CollectorStatus } from '../adapters/collector/server.js';
import { rumDirOf, RumWriter } from '../adapters/events/rumStore.js';
import { diskUsed, pruneRum, readRum } from '../adapters/events/rumRead.js';
import { ErrorWriter, errorsDirOf } from '../adapters/events/errorStore.js';
import { pruneHours } from '../adapters/events/segments.js';
import {
  fetchServiceStatus,
  liveRecord,
  logFile,
  removeRecord,
  startService,
  stopService,
  writeRecord,
  type Service,
  type ServiceRecord,
} from '../adapters/process/daemon.js';
import type { OperationContext } from './context.js';

export interface CollectorRecord extends ServiceRecord {
  host: string;
  environment: string;
}

/** the collector's record and log: `.prodx/collector.json` and `collector.log` */
export const collectorService = (ctx: OperationContext): Service => ({ dir: ctx.stateDir, name: 'collector', label: 'the collector' });

export async function collect(ctx: OperationContext, o: { port?: number; log?: (line: string) => void } = {}): Promise<Collector> {
  const service = collectorService(ctx);
  const running = liveRecord<CollectorRecord>(service);
  if (running && running.pid !== process.pid)
    throw new ProdxError(
      'collector-running',
      `the collector already runs at ${running.url} (pid ${running.pid}): stop it with \`prodx rum stop\` first.`,
    );
  const c = ctx.config.collector;
  const dir = rumDirOf(ctx.stateDir);
  pruneRum(dir, Date.now(), ctx.config.rum.retentionDays);
  const writer = new RumWriter(dir, { finalizeAfterMs: ctx.config.rum.finalizeAfter });
  const e = ctx.config.errors;
  const errorsDir = errorsDirOf(ctx.stateDir);
  pruneHours(errorsDir, Date.now(), e.retentionDays);
  const errorWriter = new ErrorWriter(errorsDir);
  let collector: Collector;
  try {
    collector = await startCollector({
      host: c.host,
      port: o.port ?? c.port,
      token: c.token,
      allowedOrigins: c.allowedOrigins,
      maxBodyBytes: c.maxBodyBytes,
      ratePerClient: c.ratePerClient,
      burst: c.burst,
      retentionDays: ctx.config.rum.retentionDays,
      writer,
      errors: {
        writer: errorWriter,
        sentryKeys: e.sentryKeys,
        grouping: { fingerprintRules: e.fingerprintRules, categoryRules: e.categoryRules, notInApp: e.notInApp },
        ratePerKey: e.ratePerKey,
        burst: e.burst,
        maxEventBytes: e.maxEventBytes,
        maxEnvelopeBytes: e.maxEnvelopeBytes,
      },
      ...(o.log ? { log: o.log } : {}),
    });
  } catch (err) {
    writer.close(Date.now());
    errorWriter.close(Date.now());
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new ProdxError(
        'collector-port-in-use',
        `port ${o.port ?? c.port} on ${c.host} is in use: set collector.port, or stop what listens there.`,
      );
    throw err;
  }
  const record: CollectorRecord = {
    pid: process.pid,
    url: collector.url,
    port: collector.port,
    host: c.host,
    environment: ctx.envName,
    startedAt: Date.now(),
  };
  writeRecord(service, record);
  // retention deletes whole hours: once an hour is enough
  const pruner = setInterval(() => {
    pruneRum(dir, Date.now(), ctx.config.rum.retentionDays);
    pruneHours(errorsDir, Date.now(), e.retentionDays);
  }, 3_600_000);
  pruner.unref();
  return {
    ...collector,
    close: async () => {
      clearInterval(pruner);
      await collector.close();
      removeRecord(service, process.pid);
    },
  };
}

const fetchStatus = (url: string) => fetchServiceStatus<CollectorStatus>(url, '/');

export function startCollectorDaemon(ctx: OperationContext, o: { bin: string; port?: number }) {
  const argv = [
    o.bin,
    'collect',
    '--config',
    ctx.configPath,
    '--env',
    ctx.envName,
    ...(o.port !== undefined ? ['--port', String(o.port)] : []),
  ];
  return startService<CollectorRecord>(collectorService(ctx), argv, async (r) => (await fetchStatus(r.url)) !== null, {
    code: 'collector-failed',
  });
}

export const stopCollectorDaemon = (ctx: OperationContext) =>
  stopService<CollectorRecord>(collectorService(ctx), { code: 'collector-stuck' });

export interface CollectorReport {
  running: boolean;
  record: CollectorRecord | null;
  live: CollectorStatus | null;
  log: string;
  disk: { bytes: number; files: number; dir: string };
  errorsDisk: { bytes: number; files: number; dir: string };
}

export async function collectorStatus(ctx: OperationContext): Promise<CollectorReport> {
  const service = collectorService(ctx);
  const record = liveRecord<CollectorRecord>(service);
  const dir = rumDirOf(ctx.stateDir);
  return {
    running: !!record,
    record,
    live: record ? await fetchStatus(record.url) : null,
    log: logFile(service),
    disk: { ...diskUsed(dir), dir },
    errorsDisk: { ...diskUsed(errorsDirOf(ctx.stateDir)), dir: errorsDirOf(ctx.stateDir) },
  };
}

export interface ReportQuery {
  window?: string;
  since?: number;
  until?: number;
  by?: string;
  metric?: string;
}

export function reportWindow(q: ReportQuery, now: number): ReportWindow {
  if (q.since !== undefined || q.until !== undefined) {
    const until = q.until ?? now;
    const since = q.since ?? until - WINDOWS['24h'];
    if (since > until) throw new ProdxError('usage', '--since is after --until: give the earlier time first.');
    return windowOf(since, until);
  }
  const name = q.window ?? '24h';
  if (!isWindowName(name)) throw new ProdxError('usage', `--window is one of ${Object.keys(WINDOWS).join(', ')}, got "${name}".`);
  return namedWindow(name, now);
}

export function rumReport(
  ctx: OperationContext,
  q: ReportQuery,
  now = Date.now(),
): RumReport & { cost: ReturnType<typeof readRum>['cost'] } {
  if (q.by !== undefined && !(DIMENSIONS as readonly string[]).includes(q.by))
    throw new ProdxError('usage', `--by is one of ${DIMENSIONS.join(', ')}, got "${q.by}".`);
  if (q.metric !== undefined && !isMetricName(q.metric))
    throw new ProdxError('usage', `--metric is one of LCP, INP, CLS, FCP, TTFB, FID, got "${q.metric}".`);
  const w = reportWindow(q, now);
  const read = readRum(rumDirOf(ctx.stateDir), w);
  const report = buildReport({
    total: read.total,
    buckets: read.buckets,
    bucketMs: w.bucketMs,
    from: w.from,
    until: w.until,
    ...(q.by ? { by: q.by as Dimension } : {}),
    ...(q.metric ? { trendMetric: q.metric as MetricName } : {}),
    minSamples: ctx.config.rum.minSamples,
  });
  return { ...report, cost: read.cost };
}
