// `prodx canary deploy`: a progressive release. The version is installed on the idle colour (the
// canary) and proven healthy; then the router gives it 5, 10, 25, 50 and 100 percent of the
// traffic, and every analysis interval the judge compares what it served with its limits and
// with the stable colour (src/operations/canary/runner.ts). This module plans, resumes and
// retries runs, holding the environment's lock as its canary runner.
import { randomUUID } from 'node:crypto';
import { canaryPercent, transition } from '../../core/canary/lifecycle.js';
import { canaryWords, isUnfinished } from '../../core/canary/view.js';
import { validateVersion } from '../../core/deploy/plan.js';
import type { TrafficRouter } from '../../core/deploy/router.js';
import { ExitCode, ProdxError } from '../../core/errors.js';
import type { CanaryRun, EnvironmentState } from '../../core/state/schema.js';
import { nextRevision } from '../../core/state/transitions.js';
import { say } from '../../core/words.js';
import type { OperationContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { requireRouter, withLock } from '../shared.js';
import { refuseIfUnfinished } from '../unfinished.js';
import { persist } from './outcome.js';
import { lifeOf, planFrom, planRun, type CanaryPlan } from './plan.js';
import { preflight } from './preflight.js';
import { CanaryRunner } from './runner.js';

export interface CanaryOptions {
  version?: string;
  dryRun?: boolean;
  /** continue the canary a killed prodx left */
  resume?: boolean;
  /** start the aborted or rolled-back canary again from the first step */
  retry?: boolean;
}

export interface CanaryResult {
  ok: boolean;
  /** interrupted: stopped (Ctrl-C) with the canary left at its step, for `--resume` or `abort` */
  result: 'planned' | 'promoted' | 'aborted' | 'rolled-back' | 'interrupted';
  reason?: string;
  plan: CanaryPlan;
  /** the run as stored: state, every analysis interval with its values */
  run: CanaryRun | null;
  /** where it ended: the step index and the canary's share of traffic (100 promoted, 0 aborted) */
  step: { index: number; percent: number } | null;
  durationMs: number;
}

async function dryRun(ctx: OperationContext, rt: Runtime, version: string, router: TrafficRouter, provider: string): Promise<CanaryResult> {
  const run = await planRun(ctx, rt, await rt.store.read(ctx.envName), version, router);
  const plan = planFrom(ctx, run, provider);
  const routerLines = plan.weights.flatMap((w, i) => router.describe(w).map((l) => `step ${i + 1}: ${l}`));
  return { ok: true, result: 'planned', plan: { ...plan, lines: [...plan.lines, ...routerLines] }, run: null, step: null, durationMs: 0 };
}

function resumable(ctx: OperationContext, s: EnvironmentState): CanaryRun {
  if (!isUnfinished(s.canary)) {
    throw new ProdxError(
      'nothing-to-resume',
      `no unfinished canary in ${ctx.envName}: nothing to resume. Run \`prodx canary status\` to see the last one.`,
      ExitCode.failed,
    );
  }
  return s.canary;
}

/** The aborted or rolled-back run, started over: the version is already on the canary colour. */
async function retried(ctx: OperationContext, rt: Runtime, s: EnvironmentState): Promise<CanaryRun> {
  const last = s.canary;
  if (!last || (last.state.phase !== 'aborted' && last.state.phase !== 'rolled-back')) {
    throw new ProdxError(
      'nothing-to-retry',
      last
        ? `the last canary (${last.version}) is ${say(last.state.phase)}; only an aborted or rolled-back canary can be retried.`
        : `no canary has run in ${ctx.envName}: start one with \`prodx canary deploy <version>\`.`,
      ExitCode.failed,
    );
  }
  const now = rt.clock.now();
  const t = transition(last.state, { type: 'retry' }, lifeOf(last, ctx), now);
  if (!t.ok) throw new ProdxError('cannot-retry', t.reason, ExitCode.failed);
  const { endedAt: _ended, ...rest } = last;
  const run: CanaryRun = {
    ...rest,
    id: randomUUID().slice(0, 8),
    revision: nextRevision(s),
    by: rt.actor,
    startedAt: now,
    setup: 'verifying',
    state: t.state,
    analysis: [],
  };
  return persist(ctx, rt, run);
}

function outcomeOf(final: CanaryRun, plan: CanaryPlan, durationMs: number, now: number): CanaryResult {
  const s = final.state;
  const ended = s.phase === 'promoted' || s.phase === 'aborted' || s.phase === 'rolled-back';
  const reason =
    s.phase === 'aborted' || s.phase === 'rolled-back'
      ? s.reason
      : s.phase !== 'promoted'
        ? `stopped at ${canaryWords(final, now)}; the weights stay: \`prodx canary deploy --resume\` goes on, \`prodx canary abort\` ends it`
        : undefined;
  return {
    ok: s.phase === 'promoted',
    result: ended ? s.phase : 'interrupted',
    ...(reason ? { reason } : {}),
    plan,
    run: final,
    step: { index: 'step' in s ? s.step : final.steps.length - 1, percent: canaryPercent(s, final.steps) },
    durationMs,
  };
}

export async function canaryDeploy(ctx: OperationContext, rt: Runtime, opts: CanaryOptions): Promise<CanaryResult> {
  const started = rt.clock.now();
  if (!opts.resume && !opts.retry) validateVersion(opts.version ?? '');
  const router = await requireRouter(ctx, rt, 'a canary');
  const provider = await rt.metrics();
  if (opts.dryRun) return dryRun(ctx, rt, opts.version!, router, provider.kind);
  const operation = `canary ${opts.resume ? '--resume' : opts.retry ? 'retry' : opts.version}`;
  return withLock(ctx, rt, 'canary-runner', operation, async () => {
    const envState = await rt.store.read(ctx.envName);
    let run: CanaryRun;
    if (opts.resume) {
      run = resumable(ctx, envState);
      rt.emit({ type: 'warning', message: `resuming the canary of ${run.version} on ${run.canaryColour} (${canaryWords(run, started)})` });
    } else if (opts.retry) run = await retried(ctx, rt, envState);
    else {
      refuseIfUnfinished(ctx, envState);
      run = await planRun(ctx, rt, envState, opts.version!, router);
      await preflight(ctx, rt, provider, run);
      run = await persist(ctx, rt, run);
    }
    const plan = planFrom(ctx, run, provider.kind);
    rt.emit({ type: 'canary-plan', plan });
    const final = await new CanaryRunner(ctx, rt, router, provider, run).run();
    return outcomeOf(final, plan, rt.clock.now() - started, rt.clock.now());
  });
}
