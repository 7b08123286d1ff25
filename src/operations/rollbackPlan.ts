// The environment's rollback plan for an operation context: the one rule in core, fed with the
// environment's name and targets. Shared by `prodx status`, the rollback operation and a canary
// runner asked to roll back.
import { planRollback, type RollbackPlan } from '../core/rollback/plan.js';
import type { EnvironmentState } from '../core/state/schema.js';
import type { OperationContext } from './context.js';

export const planFor = (ctx: OperationContext, s: EnvironmentState): RollbackPlan =>
  planRollback(s, { environment: ctx.envName, colours: Object.keys(ctx.env.targets) });
