// `prodx flags serve|start|stop|status`: the OFREP endpoint in the foreground, or as a
// background process that later commands find through its record in `.prodx/flags`.
import { ExitCode, ProdxError } from '../core/errors.js';
import type { FlagsSource } from '../core/flags/view.js';
import type { FlagsProblem } from '../core/flags/types.js';
import { flagsDirOf } from '../adapters/flags/audit.js';
import {
  liveServer,
  logTail,
  readServerRecord,
  removeServerRecord,
  spawnDetached,
  writeServerRecord,
  type ServerRecord,
} from '../adapters/flags/daemon.js';
import { startFlagsServer, type FlagsServer, type FlagsServerStatus } from '../adapters/flags/server.js';
import { pidAlive } from '../adapters/state/lock.js';
import { loadFlags } from '../adapters/flags/file.js';

export interface ServeOptions {
  port: number;
  log?: (line: string) => void;
}

/** Starts the endpoint in this process and records it; `close` stops it and removes the record. */
export async function serveFlags(src: FlagsSource, o: ServeOptions): Promise<FlagsServer & { record: ServerRecord }> {
  const dir = flagsDirOf(src.stateDir);
  const running = liveServer(dir);
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
  writeServerRecord(dir, record);
  return {
    ...server,
    record,
    close: async () => {
      await server.close();
      removeServerRecord(dir, process.pid);
    },
  };
}

const until = async (check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
};

async function fetchStatus(url: string): Promise<FlagsServerStatus | null> {
  try {
    const res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as FlagsServerStatus) : null;
  } catch {
    return null;
  }
}

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
  const running = liveServer(dir);
  if (running) return { alreadyRunning: true, record: running, warnings };
  const child = spawnDetached(dir, [o.bin, 'flags', 'serve', '--config', o.configPath, '--env', src.environment, '--port', String(o.port)]);
  const ok = await until(async () => {
    if (child.exited() !== null) return true;
    const r = readServerRecord(dir);
    return r?.pid === child.pid && (await fetchStatus(r.url)) !== null;
  }, o.timeoutMs ?? 10_000);
  const record = readServerRecord(dir);
  if (!ok || child.exited() !== null || !record || record.pid !== child.pid) {
    if (pidAlive(child.pid)) process.kill(child.pid, 'SIGTERM');
    const why = logTail(dir) || 'it exited without a word';
    throw new ProdxError('flags-server-failed', `the flags endpoint did not start: ${why.replace(/^prodx: /, '')}`, ExitCode.failed);
  }
  return { alreadyRunning: false, record, warnings };
}

export interface StopResult {
  wasRunning: boolean;
  record: ServerRecord | null;
}

export async function stopFlagsDaemon(src: FlagsSource, o: { timeoutMs?: number } = {}): Promise<StopResult> {
  const dir = flagsDirOf(src.stateDir);
  const record = liveServer(dir);
  if (!record) {
    const stale = readServerRecord(dir);
    if (stale) removeServerRecord(dir, stale.pid);
    return { wasRunning: false, record: null };
  }
  process.kill(record.pid, 'SIGTERM');
  if (!(await until(() => !pidAlive(record.pid), o.timeoutMs ?? 5_000))) {
    throw new ProdxError(
      'flags-server-stuck',
      `the flags endpoint (pid ${record.pid}) did not stop within 5s: stop it with \`kill ${record.pid}\`.`,
      ExitCode.failed,
    );
  }
  removeServerRecord(dir, record.pid);
  return { wasRunning: true, record };
}

export interface ServerStatusReport {
  running: boolean;
  record: ServerRecord | null;
  /** what the endpoint says about itself: flags served, reload errors, counts */
  live: FlagsServerStatus | null;
}

export async function flagsServerStatus(src: FlagsSource): Promise<ServerStatusReport> {
  const record = liveServer(flagsDirOf(src.stateDir));
  if (!record) return { running: false, record: null, live: null };
  return { running: true, record, live: await fetchStatus(record.url) };
}
