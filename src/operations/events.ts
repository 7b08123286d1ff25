// What a running operation reports as it goes: `--watch` prints these, the dashboard folds them
// into its progress view. Emitting never blocks the operation and never fails it.
import type { CanaryState } from '../core/canary/lifecycle.js';
import type { CheckResult, GateVerdict } from '../core/deploy/gates.js';
import type { DeployPhase, ActiveDeployment, CanaryInterval } from '../core/state/schema.js';
import type { Weights } from '../core/deploy/router.js';
import type { ProbeResult } from '../core/health/types.js';
import type { ActionablePlan } from '../core/rollback/plan.js';
import type { CanaryPlan } from '../core/canary/plan.js';

export type OperationEvent =
  | { type: 'plan'; deployment: ActiveDeployment; steps: string[] }
  | { type: 'phase'; phase: DeployPhase | 'complete' | 'failed' | 'rolled-back' | 'interrupted'; at: number; reason?: string }
  | { type: 'hook'; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'probe'; colour: string; probe: ProbeResult; verdict: GateVerdict }
  | { type: 'check'; check: CheckResult }
  | { type: 'warning'; message: string }
  /** a rollback's plan, before its gate */
  | { type: 'rollback-plan'; plan: ActionablePlan }
  /** a canary's plan, when it starts or resumes */
  | { type: 'canary-plan'; plan: CanaryPlan }
  /** a canary's lifecycle moved (persisted first, weights applied): why, and the weights now */
  | { type: 'transition'; from: string; state: CanaryState; weights: Weights; cause: string; at: number }
  /** one analysis interval of a canary, with every rule's value, limit and verdict */
  | { type: 'interval'; interval: CanaryInterval };
