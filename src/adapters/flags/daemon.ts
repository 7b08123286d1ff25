// `prodx flags start` runs the OFREP endpoint as a background process: its record
// (`.prodx/flags/server.json`: pid, url, when) is how `status` and `stop` find it later, and
// `server.log` keeps what it said. The process writes the record once it listens and removes
// it on a clean exit; a record whose pid is gone is stale and ignored.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { pidAlive } from '../state/lock.js';

export const SERVER_FILE = 'server.json';
export const SERVER_LOG = 'server.log';

export interface ServerRecord {
  pid: number;
  url: string;
  port: number;
  file: string;
  environment: string;
  startedAt: number;
}

export function readServerRecord(dir: string): ServerRecord | null {
  try {
    const r = JSON.parse(readFileSync(join(dir, SERVER_FILE), 'utf8')) as ServerRecord;
    return typeof r.pid === 'number' && typeof r.url === 'string' ? r : null;
  } catch {
    return null;
  }
}

/** The record of a server whose process is alive, else null. */
export function liveServer(dir: string): ServerRecord | null {
  const r = readServerRecord(dir);
  return r && pidAlive(r.pid) ? r : null;
}

export function writeServerRecord(dir: string, record: ServerRecord): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${SERVER_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(record));
  renameSync(tmp, join(dir, SERVER_FILE));
}

/** Removes the record only if it is this process's, so a newer server's record survives. */
export function removeServerRecord(dir: string, pid: number): void {
  const r = readServerRecord(dir);
  if (!r || r.pid !== pid) return;
  try {
    unlinkSync(join(dir, SERVER_FILE));
  } catch {
    /* already gone */
  }
}

/** Starts `argv` detached from this process, output appended to server.log; returns its pid. */
export function spawnDetached(dir: string, argv: string[]): { pid: number; exited: () => number | null } {
  mkdirSync(dir, { recursive: true });
  const log = openSync(join(dir, SERVER_LOG), 'a');
  const child = spawn(process.execPath, argv, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, CI: 'true' } });
  closeSync(log);
  let exitCode: number | null = null;
  child.on('exit', (code) => (exitCode = code ?? 1));
  child.unref();
  return { pid: child.pid ?? -1, exited: () => exitCode };
}

/** The last lines of server.log, for an error message when the server would not start. */
export function logTail(dir: string, lines = 3): string {
  try {
    return readFileSync(join(dir, SERVER_LOG), 'utf8').trimEnd().split('\n').slice(-lines).join(' ').trim();
  } catch {
    return '';
  }
}
