// The shape of `.prodx/state.json`. It is validated on every read: a hand-edited or truncated
// file is reported with the exact path that is wrong, and never silently replaced.
import * as z from 'zod/mini';

export const historyEntrySchema = z.object({
  id: z.string(),
  version: z.string(),
  strategy: z.string(),
  /** `deploy` or `rollback` */
  kind: z.optional(z.enum(['deploy', 'rollback'])),
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

export const DEPLOY_PHASES = ['releasing', 'verifying', 'switching', 'monitoring', 'rolling-back'] as const;
export type DeployPhase = (typeof DEPLOY_PHASES)[number];

/** A deployment in progress, written before each phase is acted on so a killed prodx can resume. */
export const activeDeploymentSchema = z.object({
  id: z.string(),
  version: z.string(),
  strategy: z.enum(['blue-green', 'standard']),
  by: z.string(),
  startedAt: z.number(),
  /** the colour that was live before (null on a first deploy) and what it ran */
  fromColour: z.nullable(z.string()),
  fromVersion: z.nullable(z.string()),
  /** the colour that receives the new version */
  toColour: z.string(),
  /** router weights before the switch and after it */
  weightsBefore: z.record(z.string(), z.number()),
  weightsAfter: z.record(z.string(), z.number()),
  phase: z.enum(DEPLOY_PHASES),
  phaseStartedAt: z.number(),
  /** set when the deploy has failed and is rolling back: why */
  reason: z.optional(z.string()),
});
export type ActiveDeployment = z.infer<typeof activeDeploymentSchema>;

export const environmentStateSchema = z.object({
  /** the colour that takes production traffic, and what it runs */
  live: z.nullable(z.object({ colour: z.string(), version: z.string(), since: z.number() })),
  /** what prodx last installed on each colour */
  colours: z.record(z.string(), z.object({ version: z.optional(z.string()), updatedAt: z.optional(z.number()) })),
  history: z.array(historyEntrySchema),
  /** the deployment in progress, if any */
  active: z.optional(z.nullable(activeDeploymentSchema)),
  /** the colour that was live before the last switch, kept up for an instant rollback */
  previous: z.optional(z.nullable(z.object({ colour: z.string(), version: z.string(), until: z.number() }))),
});

export const stateSchema = z.object({
  schemaVersion: z.literal(1),
  environments: z.record(z.string(), environmentStateSchema),
});

export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type EnvironmentState = z.infer<typeof environmentStateSchema>;
export type ProdxState = z.infer<typeof stateSchema>;

export const emptyState = (): ProdxState => ({ schemaVersion: 1, environments: {} });
export const emptyEnvironmentState = (): EnvironmentState => ({ live: null, colours: {}, history: [], active: null, previous: null });

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
