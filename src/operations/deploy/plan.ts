// Planning a blue-green or standard deploy: where traffic is now (the router first, the state
// as the fallback), what the live colour runs (probed when prodx adopts an environment it has
// no state for, so the first deploy can be rolled back), and the plan in words.
import { describePlan, knownVersion, liveColour, planDeploy, type Strategy } from '../../core/deploy/plan.js';
import { liveColourOf, type TrafficRouter, type Weights } from '../../core/deploy/router.js';
import type { ActiveDeployment, EnvironmentState } from '../../core/state/schema.js';
import type { OperationContext } from '../context.js';
import { signalOf, type Runtime } from '../runtime.js';
import { probeVersion, requireRouter } from '../shared.js';

export function planSteps(ctx: OperationContext, a: ActiveDeployment): string[] {
  return describePlan(a, {
    hook: ctx.env.release?.command ?? null,
    healthyThreshold: ctx.env.health.healthyThreshold,
    smokePath: ctx.env.prePromotion.smokePath,
    windowMs: ctx.env.postPromotion.window,
    maxErrorRate: ctx.env.postPromotion.maxErrorRate,
  });
}

/** The router a strategy needs: blue-green and canary switch traffic; standard may have none. */
export async function routerFor(ctx: OperationContext, rt: Runtime, strategy: Strategy | 'canary'): Promise<TrafficRouter | null> {
  if (strategy === 'standard') return rt.router();
  return requireRouter(ctx, rt, strategy === 'canary' ? 'a canary' : 'blue-green (or use --strategy standard)');
}

export interface PlannedRelease {
  active: ActiveDeployment;
  weights: Weights | null;
}

/**
 * Plans a release of `version`. When the state does not know what the live colour runs, its
 * version endpoint is asked before anything changes and the answer becomes `fromVersion`.
 */
export async function planRelease(
  ctx: OperationContext,
  rt: Runtime,
  envState: EnvironmentState,
  o: { version: string; strategy: Strategy; router: TrafficRouter | null; id: string },
): Promise<PlannedRelease> {
  const weights = o.router ? await o.router.read(signalOf(rt)) : null;
  const routerLive = liveColourOf(weights);
  if (envState.live && routerLive && routerLive !== envState.live.colour) {
    rt.emit({
      type: 'warning',
      message: `the state says ${envState.live.colour} is live but the router sends most traffic to ${routerLive}; planning from the router`,
    });
  }
  const live = liveColour(envState, weights);
  const probed = live && live in ctx.env.targets && knownVersion(envState, live) === null ? await probeVersion(ctx, rt, live) : null;
  if (live && probed)
    rt.emit({ type: 'warning', message: `prodx has no record of ${live}; it reports ${probed}, which a rollback will go back to` });
  const active = planDeploy({
    envState,
    colours: Object.keys(ctx.env.targets),
    version: o.version,
    strategy: o.strategy,
    routerWeights: weights,
    probedLiveVersion: probed,
    id: o.id,
    by: rt.actor,
    now: rt.clock.now(),
  });
  return { active, weights };
}
