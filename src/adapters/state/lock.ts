// The operation lock: `.prodx/lock`, created with O_EXCL so two prodx processes can never both
// hold it. It names its owner (pid, host, operation) so a blocked user knows whom to wait for.
import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ExitCode, ProdxError } from '../../core/errors.js';
import { isLockStale, type LockInfo } from '../../core/state/schema.js';
import { formatDuration } from '../../core/config/duration.js';

export const LOCK_FILE = 'lock';
/** an owner on another host cannot be asked whether it lives; after this long it is presumed gone */
export const STALE_LOCK_MS = 60 * 60_000;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dir: string): LockInfo | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockInfo;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export interface HeldLock {
  info: LockInfo;
  release(): void;
  /** the stale lock this one replaced, if any: its owner died mid-operation */
  takenOver: LockInfo | null;
}

export function acquireLock(dir: string, operation: string, environment: string, now = Date.now()): HeldLock {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: hostname(), operation, environment, acquiredAt: now };
  let takenOver: LockInfo | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      return {
        info,
        takenOver,
        release: () => {
          const current = readLock(dir);
          if (current && current.pid === info.pid && current.host === info.host) unlinkSync(file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(dir);
      if (!holder || isLockStale(holder, { host: info.host, now, pidAlive, staleAfterMs: STALE_LOCK_MS })) {
        // the owner is gone: take the lock over, once
        takenOver = holder;
        try {
          unlinkSync(file);
        } catch {
          /* another process took it over first; the next attempt reports it */
        }
        continue;
      }
      throw new ProdxError(
        'lock-held',
        `another prodx operation holds the lock: ${holder.operation} on ${holder.environment} by pid ${holder.pid} on ${holder.host}, for ${formatDuration(now - holder.acquiredAt)}. Wait for it to finish, or remove ${file} if that process is gone.`,
        ExitCode.locked,
        { lock: holder },
      );
    }
  }
  throw new ProdxError(
    'lock-held',
    `could not take the lock at ${file}: another prodx process keeps taking it. Try again.`,
    ExitCode.locked,
  );
}
