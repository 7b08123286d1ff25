// prodx's background services (`prodx flags start`, `prodx rum start`): each is a detached
// `prodx … serve|collect` whose record (`<dir>/<name>.json`: pid, url, when, and what the service
// adds) is how `status` and `stop` find it later, and `<name>.log` keeps what it said. The
// process writes the record once it listens and removes it on a clean exit; a record whose pid
// is gone is stale and ignored.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ProdxError } from '../../core/errors.js';
import { pidAlive } from '../state/lock.js';

export interface ServiceRecord {
  pid: number;
  url: string;
  port: number;
  startedAt: number;
}

/** A service's files: `dir/name.json` (the record) and `dir/name.log`. */
export interface Service {
  dir: string;
  name: string;
  /** in messages: "the flags endpoint", "the collector" */
  label: string;
}

const recordFile = (s: Service) => join(s.dir, `${s.name}.json`);
export const logFile = (s: Service) => join(s.dir, `${s.name}.log`);

export function readRecord<R extends ServiceRecord>(s: Service): R | null {
  try {
    const r = JSON.parse(readFileSync(recordFile(s), 'utf8')) as R;
    return typeof r.pid === 'number' && typeof r.url === 'string' ? r : null;
  } catch {
    return null;
  }
}

/** The record of a service whose process is alive, else null. */
export function liveRecord<R extends ServiceRecord>(s: Service): R | null {
  const r = readRecord<R>(s);
  return r && pidAlive(r.pid) ? r : null;
}

export function writeRecord(s: Service, record: ServiceRecord): void {
  mkdirSync(s.dir, { recursive: true });
  const tmp = join(s.dir, `.${s.name}.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(record));
  renameSync(tmp, recordFile(s));
}

/** Removes the record only if it is this process's, so a newer service's record survives. */
export function removeRecord(s: Service, pid: number): void {
  const r = readRecord(s);
  if (!r || r.pid !== pid) return;
  try {
    unlinkSync(recordFile(s));
  } catch {
    /* already gone */
  }
}

/** Starts `argv` detached from this process, output appended to the log; returns its pid. */
function spawnDetached(s: Service, argv: string[]): { pid: number; exited: () => number | null } {
  mkdirSync(s.dir, { recursive: true });
  const log = openSync(logFile(s), 'a');
  const child = spawn(process.execPath, argv, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, CI: 'true' } });
  closeSync(log);
  let exitCode: number | null = null;
  child.on('exit', (code) => (exitCode = code ?? 1));
  child.unref();
  return { pid: child.pid ?? -1, exited: () => exitCode };
}

/** The last lines of the log, for an error message when the service would not start. */
export function logTail(s: Service, lines = 3): string {
  try {
    return readFileSync(logFile(s), 'utf8').trimEnd().split('\n').slice(-lines).join(' ').trim();
  } catch {
    return '';
  }
}

/** What a running service says about itself at `url` + `path` (JSON), or null when it does not answer within a second. */
export async function fetchServiceStatus<T>(url: string, path: string): Promise<T | null> {
  try {
    const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}

export const until = async (check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
};

/**
 * Runs `argv` in the background and waits until its record names it and `answers(record)`;
 * a service already running is returned as it is.
 */
export async function startService<R extends ServiceRecord>(
  s: Service,
  argv: string[],
  answers: (r: R) => Promise<boolean>,
  o: { timeoutMs?: number; code: string },
): Promise<{ alreadyRunning: boolean; record: R }> {
  const running = liveRecord<R>(s);
  if (running) return { alreadyRunning: true, record: running };
  const child = spawnDetached(s, argv);
  const ok = await until(async () => {
    if (child.exited() !== null) return true;
    const r = readRecord<R>(s);
    return r?.pid === child.pid && (await answers(r));
  }, o.timeoutMs ?? 10_000);
  const record = readRecord<R>(s);
  if (!ok || child.exited() !== null || !record || record.pid !== child.pid) {
    if (pidAlive(child.pid)) process.kill(child.pid, 'SIGTERM');
    const why = logTail(s) || 'it exited without a word';
    throw new ProdxError(o.code, `${s.label} did not start: ${why.replace(/^prodx: /, '')}`, ExitCode.failed);
  }
  return { alreadyRunning: false, record };
}

/** SIGTERM to a running service, and wait until it is gone. */
export async function stopService<R extends ServiceRecord>(
  s: Service,
  o: { timeoutMs?: number; code: string },
): Promise<{ wasRunning: boolean; record: R | null }> {
  const record = liveRecord<R>(s);
  if (!record) {
    const stale = readRecord(s);
    if (stale) removeRecord(s, stale.pid);
    return { wasRunning: false, record: null };
  }
  process.kill(record.pid, 'SIGTERM');
  const timeoutMs = o.timeoutMs ?? 5_000;
  if (!(await until(() => !pidAlive(record.pid), timeoutMs))) {
    throw new ProdxError(
      o.code,
      `${s.label} (pid ${record.pid}) did not stop within ${timeoutMs / 1000}s: stop it with \`kill ${record.pid}\`.`,
      ExitCode.failed,
    );
  }
  removeRecord(s, record.pid);
  return { wasRunning: true, record };
}
