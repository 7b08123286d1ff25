// `prodx flags serve|start|stop|status`: the OFREP endpoint in the foreground, or as a
// background process that later commands find through its record in `.prodx/flags`.
import { ProdxError } from '../core/errors.js';
import type { FlagsSource } from '../core/flags/view.js';
import type { FlagsProblem } from '../core/flags/types.js';
import { flagsDirOf } from '../adapters/flags/audit.js';
import {
  fetchServiceStatus,
  liveRecord,
  removeRecord,
  startService,
  stopService,
  writeRecord,
  type Service,
  type ServiceRecord,
} from '../adapters/process/daemon.js';
import { startFlagsServer, type FlagsServer, type FlagsServerStatus } from '../adapters/flags/server.js';
import { loadFlags } from '../adapters/flags/file.js';

export interface ServerRecord extends ServiceRecord {
  file: string;
  environment: string;
}

/** the endpoint's record and log: `.prodx/flags/server.json` and `server.log` */
export const flagsService = (src: FlagsSource): Service => ({ dir: flagsDirOf(src.stateDir), name: 'server', label: 'the flags endpoint' });

export interface ServeOptions {
  port: number;
  log?: (line: string) => void;
}

/** Starts the endpoint in this process and records it; `close` stops it and removes the record. */
export async function serveFlags(src: FlagsSource, o: ServeOptions): Promise<FlagsServer & { record: ServerRecord }> {
  const dir = flagsDirOf(src.stateDir);
  const service = flagsService(src);
  const running = liveRecord<ServerRecord>(service);
  if (running && running.pid !== process.pid) {
    throw new ProdxError(
      'flags-server-running',
      `the flags endpoint already runs at ${running.url} (pid ${running.pid}): stop it with \`prodx flags stop\` first.`,
    );
  }
  const server = await startFlagsServer({ file: src.file, dir, port: o.port, ...(o.log ? { log: o.log } : {}) });
  const record: ServerRecord = {
    pid: process.pid,
    url: server.url,
    port: server.port,
    file: src.file,
    environment: src.environment,
    startedAt: Date.now(),
  };
  writeRecord(service, record);
  return {
    ...server,
    record,
    close: async () => {
      await server.close();
      removeRecord(service, process.pid);
    },
  };
}

const fetchStatus = (url: string) => fetchServiceStatus<FlagsServerStatus>(url, '/status');

export interface StartResult {
  alreadyRunning: boolean;
  record: ServerRecord;
  /** flags of the file that do not pass flagd's checks: served as flagd serves them */
  warnings: FlagsProblem[];
}

/** Runs `prodx flags serve` in the background and waits until it answers. */
export async function startFlagsDaemon(
  src: FlagsSource,
  o: { port: number; configPath: string; bin: string; timeoutMs?: number },
): Promise<StartResult> {
  const dir = flagsDirOf(src.stateDir);
  // a broken file is reported here, not in a log nobody reads
  const { warnings } = loadFlags(src.file, { compile: false, cacheDir: dir });
  const argv = [o.bin, 'flags', 'serve', '--config', o.configPath, '--env', src.environment, '--port', String(o.port)];
  const started = await startService<ServerRecord>(flagsService(src), argv, async (r) => (await fetchStatus(r.url)) !== null, {
    code: 'flags-server-failed',
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  });
  return { ...started, warnings };
}

export interface StopResult {
  wasRunning: boolean;
  record: ServerRecord | null;
}

export function stopFlagsDaemon(src: FlagsSource, o: { timeoutMs?: number } = {}): Promise<StopResult> {
  return stopService<ServerRecord>(flagsService(src), {
    code: 'flags-server-stuck',
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  });
}

export interface ServerStatusReport {
  running: boolean;
  record: ServerRecord | null;
  /** what the endpoint says about itself: flags served, reload errors, counts */
  live: FlagsServerStatus | null;
}

export async function flagsServerStatus(src: FlagsSource): Promise<ServerStatusReport> {
  const record = liveRecord<ServerRecord>(flagsService(src));
  if (!record) return { running: false, record: null, live: null };
  return { running: true, record, live: await fetchStatus(record.url) };
}
