// The operation lock of one environment: who holds it, in which role, and the one rule for
// whether its holder is still alive. Pure: liveness and the clock are passed in. The port that
// stores locks (a file per environment today, an advisory lock in PostgreSQL later) is declared
// here too, next to the rule it serves.

/**
 * What the holder is doing: a blue-green or standard `deploy`, a `rollback`, the process that
 * runs a canary's analysis (`canary-runner`, the one that answers operators' requests), or an
 * operator's request applied directly when no runner lives (`canary-control`).
 */
export const LOCK_ROLES = ['deploy', 'rollback', 'canary-runner', 'canary-control'] as const;
export type LockRole = (typeof LOCK_ROLES)[number];

/** The lock's content: who holds it, so a blocked user knows whom to wait for. */
export interface LockInfo {
  pid: number;
  host: string;
  role: LockRole;
  /** what the holder runs, in words: `deploy 1.4.2`, `canary --resume` */
  operation: string;
  environment: string;
  acquiredAt: number;
}

/** an owner on another host cannot be asked whether it lives; after this long it is presumed gone */
export const STALE_LOCK_MS = 60 * 60_000;

export interface Liveness {
  host: string;
  now: number;
  pidAlive(pid: number): boolean;
  staleAfterMs?: number;
}

/**
 * A lock's holder is alive when it is on this host and its pid exists, or on another host and
 * the lock is younger than `staleAfterMs` (an owner elsewhere cannot be checked).
 */
export function holderAlive(lock: LockInfo, l: Liveness): boolean {
  if (lock.host === l.host) return l.pidAlive(lock.pid);
  return l.now - lock.acquiredAt <= (l.staleAfterMs ?? STALE_LOCK_MS);
}

/** The live process that runs this environment's canary analysis, if one does. */
export function liveRunner(lock: LockInfo | null, l: Liveness): LockInfo | null {
  return lock !== null && lock.role === 'canary-runner' && holderAlive(lock, l) ? lock : null;
}

/** Reads a lock written by an older prodx (no role): its operation names what it was. */
export function roleOf(operation: string): LockRole {
  if (operation.startsWith('canary '))
    return /^canary (abort|promote|pause|resume|rollback)/.test(operation) ? 'canary-control' : 'canary-runner';
  return operation.startsWith('rollback') ? 'rollback' : 'deploy';
}

export interface HeldLock {
  info: LockInfo;
  /** the stale lock this one replaced, if any: its owner died mid-operation */
  takenOver: LockInfo | null;
  release(): Promise<void>;
}

/** Where locks live: one per environment, so staging and production never wait for each other. */
export interface LockPort {
  /** takes the environment's lock or throws a ProdxError (exit 3) naming the live holder */
  acquire(environment: string, role: LockRole, operation: string, now: number): Promise<HeldLock>;
  /** the environment's lock as stored, live or stale; null when free */
  read(environment: string): Promise<LockInfo | null>;
  /** this machine's view of liveness, for `holderAlive` */
  liveness(now: number): Liveness;
}
