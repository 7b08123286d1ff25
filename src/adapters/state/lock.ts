// Lock files, created with O_EXCL so two prodx processes can never both hold one. Each names
// its owner (pid, host, role, operation) so a blocked user knows whom to wait for, and a lock
// whose owner died is taken over (once) with the rule in core/state/lock.ts. The local LockPort
// keeps one lock per environment in `<stateDir>/locks/<env>.lock`: staging never waits for
// production. The flags file has its own lock (`.prodx/flags/lock`), so a flag can move during
// a canary.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ExitCode, ProdxError } from '../../core/errors.js';
import { holderAlive, roleOf, type HeldLock, type Liveness, type LockInfo, type LockPort, type LockRole } from '../../core/state/lock.js';
import { formatDuration } from '../../core/config/duration.js';
import { fsError } from '../fs/atomic.js';

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const localLiveness = (now: number): Liveness => ({ host: hostname(), now, pidAlive });

export function readLockFile(file: string): LockInfo | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    const operation = typeof parsed.operation === 'string' ? parsed.operation : 'unknown';
    return { ...(parsed as LockInfo), operation, role: parsed.role ?? roleOf(operation) };
  } catch {
    return null;
  }
}

/** Takes the lock at `file` for `info`, or throws a ProdxError (exit 3) naming the live holder. */
export function acquireFileLock(file: string, info: LockInfo, dir: string): HeldLock {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw fsError(err, dir, 'create');
  }
  let takenOver: LockInfo | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      const release = async () => {
        const current = readLockFile(file);
        if (current && current.pid === info.pid && current.host === info.host && current.acquiredAt === info.acquiredAt) {
          try {
            unlinkSync(file);
          } catch {
            /* already gone */
          }
        }
      };
      return { info, takenOver, release };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw fsError(err, file, 'create the lock');
      const holder = readLockFile(file);
      if (!holder || !holderAlive(holder, localLiveness(info.acquiredAt))) {
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
        `another prodx operation holds the lock of ${holder.environment}: ${holder.operation} by pid ${holder.pid} on ${holder.host}, for ${formatDuration(info.acquiredAt - holder.acquiredAt)}. Wait for it to finish, or remove ${file} if that process is gone.`,
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

const ownInfo = (role: LockRole, operation: string, environment: string, now: number): LockInfo => ({
  pid: process.pid,
  host: hostname(),
  role,
  operation,
  environment,
  acquiredAt: now,
});

export const envLockFile = (stateDir: string, environment: string): string => join(stateDir, 'locks', `${environment}.lock`);

/** One lock per environment under `<stateDir>/locks/`. */
export function localLocks(stateDir: string): LockPort {
  return {
    acquire: async (environment, role, operation, now) =>
      acquireFileLock(envLockFile(stateDir, environment), ownInfo(role, operation, environment, now), join(stateDir, 'locks')),
    read: async (environment) => readLockFile(envLockFile(stateDir, environment)),
    liveness: localLiveness,
  };
}

/** The lock of a folder that is not an environment's (the flags file's): `<dir>/lock`. */
export function acquireLock(dir: string, operation: string, environment: string, now = Date.now()): HeldLock {
  return acquireFileLock(join(dir, 'lock'), ownInfo('deploy', operation, environment, now), dir);
}
