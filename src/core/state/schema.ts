// The shape of `.prodx/state.json`. It is validated on every read: a hand-edited or truncated
// file is reported with the exact path that is wrong, and never silently replaced.
import * as z from 'zod/mini';

export const historyEntrySchema = z.object({
  id: z.string(),
  version: z.string(),
  strategy: z.string(),
  /** `deploy` (blue-green or standard), `canary`, or `rollback`; absent in entries older prodx wrote */
  kind: z.optional(z.enum(['deploy', 'canary', 'rollback'])),
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
  /** a canary's revision: 1 for the environment's first canary, then one more per run */
  revision: z.optional(z.number()),
  /** a canary's analysis intervals by verdict of the step: advanced (✔), failed (✖), held */
  intervals: z.optional(z.object({ passed: z.number(), failed: z.number(), held: z.number() })),
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

const observationSchema = z.union([
  z.object({
    requests: z.number(),
    errors: z.number(),
    p95Ms: z.nullable(z.number()),
    p99Ms: z.nullable(z.number()),
    latencyMissing: z.optional(z.string()),
  }),
  z.object({ missing: z.string() }),
]);

/** One analysis interval of a canary: what each colour served, each rule's result, and the step's verdict. */
export const canaryIntervalSchema = z.object({
  at: z.number(),
  /** the step index and the canary's weight during it */
  step: z.number(),
  weight: z.number(),
  /** the evidence window in ms: one interval, or several when too few requests came to judge */
  windowMs: z.number(),
  canary: observationSchema,
  stable: z.nullable(observationSchema),
  results: z.array(
    z.object({
      rule: z.enum(['error-rate', 'p95', 'p99', 'vs-stable']),
      verdict: z.enum(['pass', 'fail', 'inconclusive']),
      value: z.nullable(z.number()),
      limit: z.number(),
      reason: z.string(),
    }),
  ),
  action: z.enum(['advance', 'hold', 'abort']),
  failed: z.number(),
  reason: z.string(),
});
export type CanaryInterval = z.infer<typeof canaryIntervalSchema>;

/** src/core/canary/lifecycle.ts CanaryState, as stored */
export const canaryStateSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('progressing'), step: z.number(), failed: z.number(), since: z.number() }),
  z.object({
    phase: z.literal('paused'),
    step: z.number(),
    failed: z.number(),
    until: z.nullable(z.number()),
    then: z.enum(['next', 'same']),
  }),
  z.object({ phase: z.literal('promoting'), since: z.number() }),
  z.object({ phase: z.literal('promoted'), at: z.number() }),
  z.object({ phase: z.literal('aborted'), step: z.number(), reason: z.string(), at: z.number() }),
  z.object({ phase: z.literal('rolled-back'), reason: z.string(), at: z.number() }),
]);

/**
 * The environment's canary release: the plan, where the lifecycle stands, and every analysis
 * interval. Written before each transition is acted on, so a restarted prodx resumes the step.
 * Kept after it ends (promoted, aborted, rolled back) so the verdict and `canary retry` remain.
 */
export const canaryRunSchema = z.object({
  id: z.string(),
  /** 1 for the environment's first canary, then one more per run (retries included) */
  revision: z.optional(z.number()),
  version: z.string(),
  by: z.string(),
  startedAt: z.number(),
  endedAt: z.optional(z.number()),
  canaryColour: z.string(),
  stableColour: z.string(),
  stableVersion: z.nullable(z.string()),
  steps: z.array(z.number()),
  intervalMs: z.number(),
  /** before the first step: installing the version, then its health gate */
  setup: z.enum(['releasing', 'verifying', 'ready']),
  state: canaryStateSchema,
  /** the router weights before the canary began, restored on abort */
  weightsBefore: z.record(z.string(), z.number()),
  analysis: z.array(canaryIntervalSchema),
});
export type CanaryRun = z.infer<typeof canaryRunSchema>;

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
  /** the canary release in progress, or the last one with its verdict */
  canary: z.optional(z.nullable(canaryRunSchema)),
});

export const stateSchema = z.object({
  schemaVersion: z.literal(1),
  environments: z.record(z.string(), environmentStateSchema),
});

export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type EnvironmentState = z.infer<typeof environmentStateSchema>;
export type ProdxState = z.infer<typeof stateSchema>;

export const emptyState = (): ProdxState => ({ schemaVersion: 1, environments: {} });
export const emptyEnvironmentState = (): EnvironmentState => ({
  live: null,
  colours: {},
  history: [],
  active: null,
  previous: null,
  canary: null,
});
