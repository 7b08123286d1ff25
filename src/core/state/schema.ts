// The shape of `.prodx/state.json`. It is validated on every read: a hand-edited or truncated
// file is reported with the exact path that is wrong, and never silently replaced.
import * as z from 'zod/mini';

export const historyEntrySchema = z.object({
  id: z.string(),
  version: z.string(),
  strategy: z.string(),
  /** who ran it: user@host, or the CI job */
  by: z.string(),
  startedAt: z.number(),
  endedAt: z.optional(z.number()),
  result: z.enum(['running', 'succeeded', 'failed', 'rolled-back', 'aborted']),
  reason: z.optional(z.string()),
  fromColour: z.optional(z.string()),
  toColour: z.optional(z.string()),
  /** time to recovery of a rollback, in ms */
  recoveryMs: z.optional(z.number()),
});

export const environmentStateSchema = z.object({
  /** the colour that takes production traffic, and what it runs */
  live: z.nullable(z.object({ colour: z.string(), version: z.string(), since: z.number() })),
  /** what prodx last installed on each colour */
  colours: z.record(z.string(), z.object({ version: z.optional(z.string()), updatedAt: z.optional(z.number()) })),
  history: z.array(historyEntrySchema),
});

export const stateSchema = z.object({
  schemaVersion: z.literal(1),
  environments: z.record(z.string(), environmentStateSchema),
});

export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type EnvironmentState = z.infer<typeof environmentStateSchema>;
export type ProdxState = z.infer<typeof stateSchema>;

export const emptyState = (): ProdxState => ({ schemaVersion: 1, environments: {} });
export const emptyEnvironmentState = (): EnvironmentState => ({ live: null, colours: {}, history: [] });

/** The lock file's content: who holds it, so a blocked user knows whom to wait for. */
export interface LockInfo {
  pid: number;
  host: string;
  operation: string;
  environment: string;
  acquiredAt: number;
}

/**
 * A lock is stale when its owner is gone: same host and the pid no longer exists, or older than
 * `staleAfterMs` (an owner on another host cannot be checked). Pure: liveness is passed in.
 */
export function isLockStale(
  lock: LockInfo,
  ctx: { host: string; now: number; pidAlive: (pid: number) => boolean; staleAfterMs: number },
): boolean {
  if (lock.host === ctx.host) return !ctx.pidAlive(lock.pid);
  return ctx.now - lock.acquiredAt > ctx.staleAfterMs;
}
