// `prodx deploy`: blue-green (release onto the idle colour, verify, switch, watch, or switch
// back) and standard (release onto the live colour, verify). Each phase is written to
// .prodx/state.json before it is acted on, so `--resume` and `rollback` can finish the job
// after prodx was killed at any point.
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { readState } from '../adapters/state/stateFile.js';
import { judgeSample, windowVerdict, type CheckResult, type WindowSample } from '../core/deploy/gates.js';
import { describePlan, planDeploy, validateVersion, type Strategy } from '../core/deploy/plan.js';
import { liveColourOf, type TrafficRouter } from '../core/deploy/router.js';
import { ExitCode, ProdxError } from '../core/errors.js';
import type { RequestCounts } from '../adapters/metrics/scrape.js';
import { delta } from '../adapters/metrics/scrape.js';
import type { ActiveDeployment, HistoryEntry } from '../core/state/schema.js';
import type { OperationContext } from './context.js';
import {
  enterPhase,
  envStateOf,
  refuseIfUnfinished,
  takeLock,
  targetOf,
  updateEnvState,
  waitForGate,
  whoAmI,
  type DeployDeps,
} from './deployRuntime.js';

export interface DeployOptions {
  version?: string;
  strategy: Strategy;
  dryRun?: boolean;
  resume?: boolean;
}

export interface DeployResult {
  ok: boolean;
  result: 'succeeded' | 'failed' | 'rolled-back' | 'planned';
  reason?: string;
  deployment: Pick<ActiveDeployment, 'id' | 'version' | 'strategy' | 'fromColour' | 'toColour' | 'weightsBefore' | 'weightsAfter'>;
  plan: string[];
  live: { colour: string; version: string } | null;
  checks: CheckResult[];
  durationMs: number;
}

function planSteps(ctx: OperationContext, a: ActiveDeployment): string[] {
  return describePlan(a, {
    hook: ctx.env.release?.command ?? null,
    healthyThreshold: ctx.env.health.healthyThreshold,
    smokePath: ctx.env.prePromotion.smokePath,
    windowMs: ctx.env.postPromotion.window,
    maxErrorRate: ctx.env.postPromotion.maxErrorRate,
  });
}

async function routerFor(ctx: OperationContext, deps: DeployDeps, strategy: Strategy): Promise<TrafficRouter | null> {
  const router = await deps.router(ctx);
  if (!router && strategy === 'blue-green') {
    throw new ProdxError(
      'no-router',
      `environments.${ctx.envName}.router is not set: blue-green needs a traffic router (nginx, haproxy, builtin or command) to switch traffic. Configure one, or use --strategy standard.`,
    );
  }
  return router;
}

export async function deploy(ctx: OperationContext, opts: DeployOptions, deps: DeployDeps): Promise<DeployResult> {
  if (!opts.resume) validateVersion(opts.version ?? '');
  const started = deps.now();
  const current = envStateOf(ctx, readState(ctx.stateDir));
  if (opts.dryRun) {
    const router = await routerFor(ctx, deps, opts.strategy);
    const weights = router ? await router.read({ ...(deps.signal ? { signal: deps.signal } : {}) }) : null;
    const plan = planDeploy({
      envState: current,
      colours: Object.keys(ctx.env.targets),
      version: opts.version!,
      strategy: opts.strategy,
      routerWeights: weights,
      id: 'dry-run',
      by: whoAmI(),
      now: started,
    });
    const steps = [...planSteps(ctx, plan), ...(router && opts.strategy === 'blue-green' ? router.describe(plan.weightsAfter) : [])];
    deps.onEvent({ type: 'plan', deployment: plan, steps });
    return { ok: true, result: 'planned', deployment: plan, plan: steps, live: current.live, checks: [], durationMs: 0 };
  }

  const lock = takeLock(ctx, deps, opts.resume ? 'deploy --resume' : `deploy ${opts.version}`, started);
  try {
    const envState = envStateOf(ctx, readState(ctx.stateDir));
    let active: ActiveDeployment;
    if (opts.resume) {
      if (!envState.active)
        throw new ProdxError(
          'nothing-to-resume',
          `no interrupted deployment in ${ctx.envName}: nothing to resume. Run prodx status to see the state.`,
          ExitCode.failed,
        );
      active = envState.active;
      deps.onEvent({
        type: 'warning',
        message: `resuming the deploy of ${active.version} to ${active.toColour} from phase ${active.phase}`,
      });
    } else {
      refuseIfUnfinished(ctx, envState);
      const router = await routerFor(ctx, deps, opts.strategy);
      const weights = router ? await router.read({ ...(deps.signal ? { signal: deps.signal } : {}) }) : null;
      const routerLive = liveColourOf(weights);
      if (envState.live && routerLive && routerLive !== envState.live.colour) {
        deps.onEvent({
          type: 'warning',
          message: `the state says ${envState.live.colour} is live but the router sends most traffic to ${routerLive}; planning from the router`,
        });
      }
      active = planDeploy({
        envState,
        colours: Object.keys(ctx.env.targets),
        version: opts.version!,
        strategy: opts.strategy,
        routerWeights: weights,
        id: randomUUID().slice(0, 8),
        by: whoAmI(),
        now: started,
      });
      deps.onEvent({ type: 'plan', deployment: active, steps: planSteps(ctx, active) });
      await updateEnvState(ctx, (s) => ({ ...s, active }));
      deps.onEvent({ type: 'phase', phase: 'releasing', at: started });
    }
    return await runPhases(ctx, deps, active, started);
  } finally {
    lock.release();
  }
}

async function finish(
  ctx: OperationContext,
  deps: DeployDeps,
  a: ActiveDeployment,
  result: HistoryEntry['result'],
  reason: string | undefined,
  extra: { live?: boolean } = {},
) {
  const now = deps.now();
  const entry: HistoryEntry = {
    id: a.id,
    kind: 'deploy',
    version: a.version,
    strategy: a.strategy,
    by: a.by,
    startedAt: a.startedAt,
    endedAt: now,
    result,
    fromColour: a.fromColour ?? undefined,
    toColour: a.toColour,
    ...(reason ? { reason } : {}),
  };
  const s = await updateEnvState(ctx, (s) => ({
    ...s,
    active: null,
    history: [...s.history, entry].slice(-200),
    ...(extra.live
      ? {
          live: { colour: a.toColour, version: a.version, since: now },
          colours: { ...s.colours, [a.toColour]: { version: a.version, updatedAt: now } },
          previous:
            a.fromColour && a.fromColour !== a.toColour && a.fromVersion
              ? { colour: a.fromColour, version: a.fromVersion, until: now + ctx.env.scaleDownDelay }
              : s.previous,
        }
      : {}),
  }));
  deps.onEvent({
    type: 'phase',
    phase: result === 'succeeded' ? 'complete' : result === 'rolled-back' ? 'rolled-back' : 'failed',
    at: now,
    ...(reason ? { reason } : {}),
  });
  return s.live ? { colour: s.live.colour, version: s.live.version } : null;
}

async function runPhases(ctx: OperationContext, deps: DeployDeps, start: ActiveDeployment, started: number): Promise<DeployResult> {
  let a = start;
  const checks: CheckResult[] = [];
  const result = (ok: boolean, r: DeployResult['result'], live: DeployResult['live'], reason?: string): DeployResult => ({
    ok,
    result: r,
    ...(reason ? { reason } : {}),
    deployment: {
      id: a.id,
      version: a.version,
      strategy: a.strategy,
      fromColour: a.fromColour,
      toColour: a.toColour,
      weightsBefore: a.weightsBefore,
      weightsAfter: a.weightsAfter,
    },
    plan: planSteps(ctx, a),
    live,
    checks,
    durationMs: deps.now() - started,
  });
  const router = await routerFor(ctx, deps, a.strategy);
  const routerOpts = deps.signal ? { signal: deps.signal } : {};
  const rollBack = async (reason: string): Promise<DeployResult> => {
    if (a.phase !== 'rolling-back') a = await enterPhase(ctx, deps, a, 'rolling-back', reason);
    if (router) await router.apply(a.weightsBefore, routerOpts);
    return result(false, 'rolled-back', await finish(ctx, deps, a, 'rolled-back', reason), reason);
  };
  try {
    if (a.phase === 'rolling-back') return await rollBack(a.reason ?? 'an interrupted rollback was resumed');
    if (a.phase === 'releasing') {
      const hook = ctx.env.release;
      if (hook) {
        const target = targetOf(ctx, a.toColour);
        await deps.runHook({
          command: hook.command,
          env: { PRODX_VERSION: a.version, PRODX_TARGET: a.toColour, PRODX_TARGET_URL: target.url, PRODX_ENV: ctx.envName },
          timeoutMs: hook.timeout,
          cwd: dirname(ctx.configPath),
          onLine: (line, stream) => deps.onEvent({ type: 'hook', line, stream }),
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
      }
      a = await enterPhase(ctx, deps, a, 'verifying');
    }
    if (a.phase === 'verifying') {
      const gate = await waitForGate(ctx, deps, a.toColour, a.version, ctx.env.prePromotion.timeout);
      if (gate.status !== 'pass') return result(false, 'failed', await finish(ctx, deps, a, 'failed', gate.reason), gate.reason);
      const smoke = ctx.env.prePromotion.smokePath;
      if (smoke) {
        const t = targetOf(ctx, a.toColour);
        const p = await deps.probe(
          { ...t, healthPath: smoke, versionPath: null },
          { timeoutMs: ctx.env.health.timeout * 5, now: deps.now },
        );
        if (!p.ok) {
          const reason = `smoke request GET ${smoke} on ${a.toColour} failed: ${p.error}`;
          return result(false, 'failed', await finish(ctx, deps, a, 'failed', reason), reason);
        }
      }
      if (a.strategy === 'standard') return result(true, 'succeeded', await finish(ctx, deps, a, 'succeeded', undefined, { live: true }));
      a = await enterPhase(ctx, deps, a, 'switching');
    }
    if (a.phase === 'switching') {
      try {
        await router!.apply(a.weightsAfter, routerOpts);
      } catch (err) {
        const reason = `switching traffic failed: ${err instanceof Error ? err.message : String(err)}`;
        // a router that fails with a ProdxError has left the old weights in place (the
        // TrafficRouter contract); when they read back unchanged, or the router cannot be read
        // at all, nothing moved and there is nothing to roll back
        const now = await router!.read(routerOpts).catch(() => null);
        const unchanged = now ? Object.entries(a.weightsBefore).every(([c, w]) => (now[c] ?? 0) === w) : err instanceof ProdxError;
        if (unchanged) {
          return result(false, 'failed', await finish(ctx, deps, a, 'failed', reason), reason);
        }
        return await rollBack(reason);
      }
      a = await enterPhase(ctx, deps, a, 'monitoring');
    }
    // monitoring: the post-promotion window
    const verdict = await watchWindow(ctx, deps, a, checks);
    if (verdict.status === 'fail') return await rollBack(verdict.reason);
    return result(true, 'succeeded', await finish(ctx, deps, a, 'succeeded', undefined, { live: true }));
  } catch (err) {
    if (err instanceof ProdxError && a.phase !== 'switching' && a.phase !== 'monitoring') {
      // the release or verification failed: traffic never moved
      return result(false, 'failed', await finish(ctx, deps, a, 'failed', err.message), err.message);
    }
    throw err;
  }
}

async function watchWindow(ctx: OperationContext, deps: DeployDeps, a: ActiveDeployment, checks: CheckResult[]) {
  const pp = ctx.env.postPromotion;
  const target = targetOf(ctx, a.toColour);
  const limits = {
    colour: a.toColour,
    maxErrorRate: pp.maxErrorRate,
    minRequests: pp.minRequests,
    failureLimit: pp.failureLimit,
    unhealthyThreshold: ctx.env.health.unhealthyThreshold,
  };
  const metricsPath = ctx.env.metrics.type === 'scrape' ? ctx.env.metrics.path : '/metrics';
  const scrape = async (): Promise<RequestCounts | string> => {
    try {
      // prodx's own probes are not the app's traffic: leave them out of the error rate
      const probeRoutes = [target.healthPath, ...(target.versionPath ? [target.versionPath] : [])];
      return await deps.scrape(target.url, metricsPath, ctx.env.health.timeout, deps.signal, probeRoutes);
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  };
  const end = deps.now() + pp.window;
  const samples: WindowSample[] = [];
  let before = await scrape();
  for (;;) {
    await deps.sleep(Math.min(pp.interval, Math.max(0, end - deps.now())), deps.signal);
    const probe = await deps.probe(target, { timeoutMs: ctx.env.health.timeout, now: deps.now });
    const after = await scrape();
    const counts = typeof before !== 'string' && typeof after !== 'string' ? delta(before, after) : null;
    const sample: WindowSample = {
      at: deps.now(),
      probe,
      requests: counts?.requests ?? null,
      errors: counts?.errors ?? null,
      ...(counts ? {} : { metricsError: typeof after === 'string' ? after : String(before) }),
    };
    before = after;
    samples.push(sample);
    const check = judgeSample(sample, limits);
    checks.push(check);
    deps.onEvent({ type: 'check', check });
    const verdict = windowVerdict(samples, checks, limits, deps.now() >= end);
    if (verdict.status !== 'pending' || deps.signal?.aborted) return verdict;
  }
}
