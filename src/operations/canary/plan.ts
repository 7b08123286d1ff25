// A canary's plan: stable is the live colour, the canary the idle one; the steps with their
// router weights, the interval, the rules and the provider, in words for `canary dry-run`.
import { randomUUID } from 'node:crypto';
import type { AnalysisRules } from '../../core/canary/judge.js';
import { pauseAfter, startCanary, type LifecycleOptions } from '../../core/canary/lifecycle.js';
import type { MetricTarget } from '../../core/canary/metrics.js';
import { stepWeights, type CanaryPlan } from '../../core/canary/plan.js';
import { validateVersion } from '../../core/deploy/plan.js';
import type { TrafficRouter, Weights } from '../../core/deploy/router.js';
import { ProdxError } from '../../core/errors.js';
import type { CanaryRun, EnvironmentState } from '../../core/state/schema.js';
import { nextRevision } from '../../core/state/transitions.js';
import { probeRoutes, targetOf, type OperationContext } from '../context.js';
import { planRelease } from '../deploy/plan.js';
import type { Runtime } from '../runtime.js';

export type { CanaryPlan } from '../../core/canary/plan.js';

export const rulesOf = (ctx: OperationContext): AnalysisRules & { failureLimit: number } => {
  const a = ctx.env.canary.analysis;
  return {
    maxErrorRate: a.maxErrorRate,
    maxP95Ms: a.maxP95Ms,
    maxP99Ms: a.maxP99Ms,
    minRequests: a.minRequests,
    compareToStable: a.compareToStable,
    failureLimit: a.failureLimit,
  };
};

export const lifeOf = (run: CanaryRun, ctx: OperationContext): LifecycleOptions => ({ steps: run.steps, pause: ctx.env.canary.pause });

const fmtMs = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

function describeCanary(ctx: OperationContext, p: Omit<CanaryPlan, 'lines'>): string[] {
  const a = p.analysis;
  const limits = [
    `error rate ≤ ${(a.maxErrorRate * 100).toFixed(1)}%`,
    `p95 ≤ ${a.maxP95Ms}ms`,
    ...(a.maxP99Ms != null ? [`p99 ≤ ${a.maxP99Ms}ms`] : []),
    ...(a.compareToStable !== false ? ['not significantly worse than stable'] : []),
  ].join(', ');
  const pauseText = (i: number) => {
    const pause = pauseAfter(p.pause, i);
    return pause === 'indefinite' ? 'then wait to be promoted' : pause > 0 ? `then pause ${fmtMs(pause)}` : 'then go on';
  };
  return [
    ctx.env.release
      ? `release ${p.version} onto ${p.canaryColour} (${ctx.env.release.command.join(' ')})`
      : `expect ${p.version} on ${p.canaryColour}`,
    `wait until ${p.canaryColour} is healthy ${ctx.env.health.healthyThreshold}× running ${p.version}`,
    ...p.steps.map(
      (s, i) =>
        `step ${i + 1}: ${s}% to ${p.canaryColour}, ${100 - s}% to ${p.stableColour}` +
        (s === 100 ? ' — promoted' : `; analyse every ${fmtMs(p.intervalMs)} (${p.provider}), ${pauseText(i)}`),
    ),
    `pass: ${limits} with ≥ ${a.minRequests} requests; abort after ${a.failureLimit + 1} failed interval(s)`,
  ];
}

export function planFrom(
  ctx: OperationContext,
  run: Pick<CanaryRun, 'version' | 'canaryColour' | 'stableColour' | 'stableVersion' | 'steps' | 'intervalMs'>,
  provider: string,
): CanaryPlan {
  const p = {
    version: run.version,
    canaryColour: run.canaryColour,
    stableColour: run.stableColour,
    stableVersion: run.stableVersion,
    steps: run.steps,
    weights: run.steps.map((s) => stepWeights(s, run.canaryColour, run.stableColour)),
    intervalMs: run.intervalMs,
    pause: ctx.env.canary.pause,
    analysis: rulesOf(ctx),
    provider,
  };
  return { ...p, lines: describeCanary(ctx, p) };
}

/** The weights for `percent` to the canary; every other target of the environment gets none. */
export function weightsFor(ctx: OperationContext, run: Pick<CanaryRun, 'canaryColour' | 'stableColour'>, percent: number): Weights {
  const w: Weights = Object.fromEntries(Object.keys(ctx.env.targets).map((c) => [c, 0]));
  return { ...w, ...stepWeights(percent, run.canaryColour, run.stableColour) };
}

export function metricTarget(ctx: OperationContext, colour: string): MetricTarget {
  const t = targetOf(ctx, colour);
  return { colour, url: t.url, excludeRoutes: probeRoutes(t) };
}

/**
 * Plans a canary of `version`: stable is the live colour, the canary the other one. Validates
 * everything a user can get wrong before anything is touched.
 */
export async function planRun(
  ctx: OperationContext,
  rt: Runtime,
  envState: EnvironmentState,
  version: string,
  router: TrafficRouter,
): Promise<CanaryRun> {
  validateVersion(version);
  const { active: d } = await planRelease(ctx, rt, envState, { version, strategy: 'blue-green', router, id: randomUUID().slice(0, 8) });
  if (!d.fromColour) {
    throw new ProdxError(
      'no-stable',
      `no colour is live in ${ctx.envName} to compare a canary with: do a first deploy with \`prodx deploy <version>\`, then release canaries.`,
    );
  }
  return {
    id: d.id,
    revision: nextRevision(envState),
    version,
    by: d.by,
    startedAt: d.startedAt,
    canaryColour: d.toColour,
    stableColour: d.fromColour,
    stableVersion: d.fromVersion,
    steps: [...ctx.env.canary.steps],
    intervalMs: ctx.env.canary.interval,
    setup: ctx.env.release ? 'releasing' : 'verifying',
    state: startCanary(d.startedAt),
    weightsBefore: d.weightsBefore,
    analysis: [],
  };
}
