// `prodx canary deploy`: a progressive release. The version is installed on the idle colour
// (the canary) and proven healthy; then the router gives it 5, 10, 25, 50 and 100 percent of
// the traffic, and every analysis interval the judge compares what it served with its limits
// and with the stable colour. Failed intervals beyond the limit abort (canary weight 0 at once);
// passing steps advance; too little evidence holds the step and keeps collecting. Every
// transition is written to state.json before it is acted on, so a killed prodx resumes the
// same step and re-applies the same absolute weights (never lost, never doubled).
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { readState } from '../adapters/state/stateFile.js';
import { readLock, pidAlive } from '../adapters/state/lock.js';
import { postRequest, takeAck, takeRequests, withdrawRequest, writeAck } from '../adapters/state/mailbox.js';
import type { MetricProvider, MetricTarget, Snapshot } from '../adapters/metrics/provider.js';
import { diff } from '../adapters/metrics/provider.js';
import { requestEvent, type CanaryRequest, type CanaryRequestType } from '../core/canary/control.js';
import { judgeInterval, stepVerdict, type AnalysisRules } from '../core/canary/judge.js';
import { canaryPercent, pauseAfter, startCanary, transition, type CanaryState, type LifecycleOptions } from '../core/canary/lifecycle.js';
import { stepWeights, validatePauses, validateSteps } from '../core/canary/plan.js';
import { planDeploy, validateVersion } from '../core/deploy/plan.js';
import type { TrafficRouter, Weights } from '../core/deploy/router.js';
import { ExitCode, ProdxError } from '../core/errors.js';
import type { CanaryInterval, CanaryRun, EnvironmentState, HistoryEntry } from '../core/state/schema.js';
import { hostname } from 'node:os';
import type { OperationContext } from './context.js';
import {
  envStateOf,
  refuseIfUnfinished,
  takeLock,
  targetOf,
  updateEnvState,
  waitForGate,
  whoAmI,
  type DeployDeps,
} from './deployRuntime.js';

/** analysis intervals kept in the state (the newest); a long canary at 1s would grow without end */
export const MAX_INTERVALS = 500;
/** how often a runner looks for operators' requests while it waits */
const MAILBOX_POLL_MS = 100;
/** how long `canary promote|abort|…` waits for the runner to answer */
const ACK_TIMEOUT_MS = 15_000;

export interface CanaryDeps extends DeployDeps {
  /** the environment's metric provider (scrape, prometheus or builtin) */
  metrics(ctx: OperationContext): Promise<MetricProvider>;
}

export function systemCanaryDeps(base: DeployDeps): CanaryDeps {
  return {
    ...base,
    metrics: async (ctx) => {
      const { createMetricProvider } = await import('../adapters/metrics/index.js');
      return createMetricProvider(ctx.env.metrics, {
        env: ctx.envName,
        intervalMs: ctx.env.canary.interval,
        router: ctx.env.router,
        timeoutMs: Math.max(ctx.env.health.timeout, Math.min(5_000, ctx.env.canary.interval)),
      });
    },
  };
}

export interface CanaryPlan {
  version: string;
  canaryColour: string;
  stableColour: string;
  stableVersion: string | null;
  steps: number[];
  /** the router weights at each step */
  weights: Weights[];
  intervalMs: number;
  pause: LifecycleOptions['pause'];
  analysis: AnalysisRules & { failureLimit: number };
  provider: string;
  /** the plan in words, one line per step */
  lines: string[];
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

export const isTerminal = (s: CanaryState) => s.phase === 'promoted' || s.phase === 'aborted' || s.phase === 'rolled-back';
/** A run whose outcome has not been fully carried out yet (a killed prodx left it). */
export const isUnfinished = (run: CanaryRun | null | undefined): run is CanaryRun & { endedAt: undefined } =>
  !!run && run.endedAt === undefined;

const rulesOf = (ctx: OperationContext): AnalysisRules & { failureLimit: number } => {
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

const lifeOf = (run: CanaryRun, ctx: OperationContext): LifecycleOptions => ({ steps: run.steps, pause: ctx.env.canary.pause });

const fmtMs = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

function describeCanary(ctx: OperationContext, p: Omit<CanaryPlan, 'lines'>, hasHook: boolean): string[] {
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
    hasHook
      ? `release ${p.version} onto ${p.canaryColour} (${ctx.env.release!.command.join(' ')})`
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

function planFrom(
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
  return { ...p, lines: describeCanary(ctx, p, !!ctx.env.release) };
}

async function routerOf(ctx: OperationContext, deps: DeployDeps): Promise<TrafficRouter> {
  const router = await deps.router(ctx);
  if (!router) {
    throw new ProdxError(
      'no-router',
      `environments.${ctx.envName}.router is not set: a canary needs a traffic router (nginx, haproxy, builtin or command) to shift traffic. Configure one.`,
    );
  }
  return router;
}

/** The weights for `percent` to the canary; every other target of the environment gets none. */
function weightsFor(ctx: OperationContext, run: CanaryRun, percent: number): Weights {
  const w: Weights = Object.fromEntries(Object.keys(ctx.env.targets).map((c) => [c, 0]));
  return { ...w, ...stepWeights(percent, run.canaryColour, run.stableColour) };
}

function metricTarget(ctx: OperationContext, colour: string): MetricTarget {
  const t = targetOf(ctx, colour);
  return { colour, url: t.url, excludeRoutes: [t.healthPath, ...(t.versionPath ? [t.versionPath] : [])] };
}

async function persist(
  ctx: OperationContext,
  run: CanaryRun,
  extra?: (s: EnvironmentState) => Partial<EnvironmentState>,
): Promise<CanaryRun> {
  await updateEnvState(ctx, (s) => ({ ...s, ...(extra ? extra(s) : {}), canary: run }));
  return run;
}

function historyEntry(run: CanaryRun, result: HistoryEntry['result'], reason: string | undefined, now: number): HistoryEntry {
  return {
    id: run.id,
    kind: 'deploy',
    version: run.version,
    strategy: 'canary',
    by: run.by,
    startedAt: run.startedAt,
    endedAt: now,
    result,
    fromColour: run.stableColour,
    toColour: run.canaryColour,
    ...(reason ? { reason } : {}),
  };
}

/**
 * Plans a canary of `version`: stable is the live colour, the canary the other one. Validates
 * everything a user can get wrong before anything is touched.
 */
async function planRun(ctx: OperationContext, deps: CanaryDeps, version: string, router: TrafficRouter): Promise<CanaryRun> {
  validateVersion(version);
  const steps = validateSteps(ctx.env.canary.steps, ctx.envName);
  const envState = envStateOf(ctx, readState(ctx.stateDir));
  const weights = await router.read(deps.signal ? { signal: deps.signal } : {});
  const d = planDeploy({
    envState,
    colours: Object.keys(ctx.env.targets),
    version,
    strategy: 'blue-green',
    routerWeights: weights,
    id: randomUUID().slice(0, 8),
    by: whoAmI(),
    now: deps.now(),
  });
  if (!d.fromColour) {
    throw new ProdxError(
      'no-stable',
      `no colour is live in ${ctx.envName} to compare a canary with: do a first deploy with \`prodx deploy <version>\`, then release canaries.`,
    );
  }
  return {
    id: d.id,
    version,
    by: d.by,
    startedAt: d.startedAt,
    canaryColour: d.toColour,
    stableColour: d.fromColour,
    stableVersion: d.fromVersion,
    steps,
    intervalMs: ctx.env.canary.interval,
    setup: ctx.env.release ? 'releasing' : 'verifying',
    state: startCanary(d.startedAt),
    weightsBefore: d.weightsBefore,
    analysis: [],
  };
}

/** After the router sent all traffic to the canary: it is the live colour, and the stable one is kept as previous. */
async function completePromotion(ctx: OperationContext, deps: DeployDeps, run: CanaryRun): Promise<CanaryRun> {
  const now = deps.now();
  const t = transition(run.state, { type: 'promotion-complete' }, lifeOf(run, ctx), now);
  if (!t.ok) return run;
  const done = { ...run, state: t.state, endedAt: now };
  return persist(ctx, done, (s) => ({
    live: { colour: done.canaryColour, version: done.version, since: now },
    colours: { ...s.colours, [done.canaryColour]: { version: done.version, updatedAt: now } },
    previous: done.stableVersion
      ? { colour: done.stableColour, version: done.stableVersion, until: now + ctx.env.scaleDownDelay }
      : s.previous,
    history: [...s.history, historyEntry(done, 'succeeded', undefined, now)].slice(-200),
  }));
}

/** After the router gave the stable colour all traffic back (aborted, rolled back): the outcome in the history, once. */
async function completeRestore(ctx: OperationContext, deps: DeployDeps, run: CanaryRun): Promise<CanaryRun> {
  const s = run.state;
  if (!isUnfinished(run) || (s.phase !== 'aborted' && s.phase !== 'rolled-back')) return run;
  const now = deps.now();
  const done = { ...run, endedAt: now };
  return persist(ctx, done, (st) => ({
    history: [...st.history, historyEntry(done, s.phase === 'aborted' ? 'aborted' : 'rolled-back', s.reason, now)].slice(-200),
  }));
}

export interface CanaryOptions {
  version?: string;
  dryRun?: boolean;
  /** continue the canary a killed prodx left */
  resume?: boolean;
  /** start the aborted or rolled-back canary again from the first step */
  retry?: boolean;
}

export async function canaryDeploy(ctx: OperationContext, opts: CanaryOptions, deps: CanaryDeps): Promise<CanaryResult> {
  const started = deps.now();
  if (!opts.resume && !opts.retry) validateVersion(opts.version ?? '');
  validatePauses(ctx.env.canary.pause, validateSteps(ctx.env.canary.steps, ctx.envName), ctx.envName);
  const router = await routerOf(ctx, deps);
  const provider = await deps.metrics(ctx);
  if (opts.dryRun) {
    const run = await planRun(ctx, deps, opts.version!, router);
    const plan = planFrom(ctx, run, provider.kind);
    const routerLines = plan.weights.flatMap((w, i) => router.describe(w).map((l) => `step ${i + 1}: ${l}`));
    return { ok: true, result: 'planned', plan: { ...plan, lines: [...plan.lines, ...routerLines] }, run: null, step: null, durationMs: 0 };
  }
  const lock = takeLock(ctx, deps, `canary ${opts.resume ? '--resume' : opts.retry ? 'retry' : opts.version}`, started);
  try {
    const envState = envStateOf(ctx, readState(ctx.stateDir));
    let run: CanaryRun;
    if (opts.resume) {
      if (!isUnfinished(envState.canary)) {
        throw new ProdxError(
          'nothing-to-resume',
          `no unfinished canary in ${ctx.envName}: nothing to resume. Run \`prodx canary status\` to see the last one.`,
          ExitCode.failed,
        );
      }
      run = envState.canary;
      deps.onEvent({ type: 'warning', message: `resuming the canary of ${run.version} on ${run.canaryColour} (${describeState(run)})` });
    } else if (opts.retry) {
      const last = envState.canary;
      if (!last || (last.state.phase !== 'aborted' && last.state.phase !== 'rolled-back')) {
        throw new ProdxError(
          'nothing-to-retry',
          last
            ? `the last canary (${last.version}) is ${last.state.phase}; only an aborted or rolled-back canary can be retried.`
            : `no canary has run in ${ctx.envName}: start one with \`prodx canary deploy <version>\`.`,
          ExitCode.failed,
        );
      }
      const t = transition(last.state, { type: 'retry' }, lifeOf(last, ctx), started);
      if (!t.ok) throw new ProdxError('cannot-retry', t.reason, ExitCode.failed);
      const { endedAt: _ended, ...rest } = last;
      // the version is already on the canary colour: prove it healthy again, then start over
      run = await persist(ctx, {
        ...rest,
        id: randomUUID().slice(0, 8),
        by: whoAmI(),
        startedAt: started,
        setup: 'verifying',
        state: t.state,
        analysis: [],
      });
    } else {
      refuseIfUnfinished(ctx, envState);
      run = await planRun(ctx, deps, opts.version!, router);
      await preflight(ctx, deps, provider, run);
      run = await persist(ctx, run);
    }
    const plan = planFrom(ctx, run, provider.kind);
    deps.onEvent({ type: 'canary-plan', plan });
    const final = await new Runner(ctx, deps, router, provider, run).run();
    const s = final.state;
    const reason =
      s.phase === 'aborted' || s.phase === 'rolled-back'
        ? s.reason
        : s.phase !== 'promoted'
          ? `stopped at ${describeState(final)}; the weights stay: \`prodx canary deploy --resume\` goes on, \`prodx canary abort\` ends it`
          : undefined;
    return {
      ok: s.phase === 'promoted',
      result: s.phase === 'promoted' || s.phase === 'aborted' || s.phase === 'rolled-back' ? s.phase : 'interrupted',
      ...(reason ? { reason } : {}),
      plan,
      run: final,
      step: { index: 'step' in s ? s.step : final.steps.length - 1, percent: canaryPercent(s, final.steps) },
      durationMs: deps.now() - started,
    };
  } finally {
    lock.release();
  }
}

/**
 * Before any traffic moves: both colours' metrics must be readable at all. A 404, a page that
 * is not Prometheus text or a query Prometheus rejects would leave every interval inconclusive,
 * so it is refused up front with the reason (exit 2, nothing changed).
 */
async function preflight(ctx: OperationContext, deps: CanaryDeps, provider: MetricProvider, run: CanaryRun): Promise<void> {
  const snaps = await Promise.all(
    [run.canaryColour, run.stableColour].map((c) => provider.sample(metricTarget(ctx, c), deps.signal, run.intervalMs)),
  );
  const bad = snaps.find((s) => s.kind === 'unavailable' && s.permanent);
  if (bad && bad.kind === 'unavailable') {
    throw new ProdxError('metrics-unusable', `cannot analyse a canary: the metrics of ${bad.colour} are unusable: ${bad.reason}`);
  }
  for (const s of snaps) {
    if (s.kind === 'unavailable')
      deps.onEvent({
        type: 'warning',
        message: `metrics of ${s.colour} unavailable for now (${s.reason}); intervals stay inconclusive until they are`,
      });
  }
}

export function describeState(run: CanaryRun, now = Date.now()): string {
  const s = run.state;
  if (run.setup !== 'ready' && s.phase === 'progressing') return run.setup;
  switch (s.phase) {
    case 'progressing':
      return `step ${s.step + 1}/${run.steps.length} at ${run.steps[s.step]}%`;
    case 'paused':
      return `paused at step ${s.step + 1}/${run.steps.length} (${run.steps[s.step]}%)${s.until === null ? ' until promoted or resumed' : `, ${Math.max(0, Math.ceil((s.until - now) / 1000))}s left`}`;
    default:
      return s.phase;
  }
}

interface Baseline {
  canary: Snapshot;
  stable: Snapshot;
  at: number;
}

/** Runs one canary to its end: setup, the steps with their analysis, and the outcome. */
class Runner {
  private applied: number | null = null;

  constructor(
    private readonly ctx: OperationContext,
    private readonly deps: CanaryDeps,
    private readonly router: TrafficRouter,
    private readonly provider: MetricProvider,
    private current: CanaryRun,
  ) {}

  private get ropts() {
    return this.deps.signal ? { signal: this.deps.signal } : {};
  }

  async run(): Promise<CanaryRun> {
    try {
      return await this.walk();
    } catch (err) {
      // stopped on purpose (Ctrl-C) mid-request: the state already says where the canary is
      if (this.deps.signal?.aborted) return this.current;
      throw err;
    }
  }

  private async walk(): Promise<CanaryRun> {
    if (this.current.setup !== 'ready' && this.current.state.phase === 'progressing') {
      const ok = await this.setup();
      if (!ok) return this.current;
    }
    for (;;) {
      if (this.deps.signal?.aborted) return this.current;
      const s = this.current.state;
      switch (s.phase) {
        case 'progressing':
          await this.analyseStep();
          break;
        case 'paused':
          await this.holdPause(s.until);
          break;
        case 'promoting':
          await this.promote();
          break;
        case 'aborted':
        case 'rolled-back':
          await this.restoreStable();
          return this.current;
        case 'promoted':
          return this.current;
      }
    }
  }

  /** Installs the version on the canary colour and waits for its health gate. */
  private async setup(): Promise<boolean> {
    const { ctx, deps } = this;
    try {
      if (this.current.setup === 'releasing') {
        const hook = ctx.env.release!;
        const target = targetOf(ctx, this.current.canaryColour);
        deps.onEvent({ type: 'phase', phase: 'releasing', at: deps.now() });
        await deps.runHook({
          command: hook.command,
          env: {
            PRODX_VERSION: this.current.version,
            PRODX_TARGET: this.current.canaryColour,
            PRODX_TARGET_URL: target.url,
            PRODX_ENV: ctx.envName,
          },
          timeoutMs: hook.timeout,
          cwd: dirname(ctx.configPath),
          onLine: (line, stream) => deps.onEvent({ type: 'hook', line, stream }),
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
        this.current = await persist(ctx, { ...this.current, setup: 'verifying' }, (s) => ({
          colours: { ...s.colours, [this.current.canaryColour]: { version: this.current.version, updatedAt: deps.now() } },
        }));
      }
      deps.onEvent({ type: 'phase', phase: 'verifying', at: deps.now() });
      const gate = await waitForGate(ctx, deps, this.current.canaryColour, this.current.version, ctx.env.prePromotion.timeout);
      if (gate.status !== 'pass') {
        await this.abort(`before any traffic: ${gate.reason}`);
        return false;
      }
    } catch (err) {
      if (!(err instanceof ProdxError)) throw err;
      await this.abort(`before any traffic: ${err.message}`);
      return false;
    }
    const now = this.deps.now();
    this.current = await persist(ctx, { ...this.current, setup: 'ready', state: startCanary(now) });
    return true;
  }

  /** Sets the router to `percent` for the canary, unless it already is. */
  private async setWeights(percent: number): Promise<void> {
    if (this.applied === percent) return;
    await this.router.apply(weightsFor(this.ctx, this.current, percent), this.ropts);
    this.applied = percent;
  }

  private async moveTo(next: CanaryState, cause: string): Promise<void> {
    const from = this.current.state;
    this.current = await persist(this.ctx, { ...this.current, state: next });
    this.emitTransition(from, cause);
  }

  private emitTransition(from: CanaryState, cause: string) {
    const to = this.current.state;
    const percent = canaryPercent(to, this.current.steps);
    this.deps.onEvent({
      type: 'transition',
      from: from.phase,
      state: to,
      weights: weightsFor(this.ctx, this.current, percent),
      cause,
      at: this.deps.now(),
    });
  }

  private async sample(base: Baseline | null): Promise<Baseline> {
    const windowMs = base ? this.deps.now() - base.at : this.current.intervalMs;
    const take = async (colour: string): Promise<Snapshot> => {
      try {
        return await this.provider.sample(metricTarget(this.ctx, colour), this.deps.signal, windowMs);
      } catch (err) {
        if (this.deps.signal?.aborted) throw err;
        return { kind: 'unavailable', colour, at: this.deps.now(), reason: err instanceof Error ? err.message : String(err) };
      }
    };
    const [canary, stable] = await Promise.all([take(this.current.canaryColour), take(this.current.stableColour)]);
    return { canary: canary!, stable: stable!, at: this.deps.now() };
  }

  /**
   * Waits until `until` (or for ever when null) while answering operators' requests; returns
   * true when a request changed the state, so the caller starts over from the new state.
   */
  private async waitOrRequest(until: number | null): Promise<boolean> {
    for (;;) {
      const requests = takeRequests(this.ctx.stateDir);
      if (requests.length > 0) {
        let changed = false;
        for (const r of requests) changed = (await this.handle(r)) || changed;
        if (changed) return true;
      }
      const left = until === null ? MAILBOX_POLL_MS : until - this.deps.now();
      if (left <= 0 || this.deps.signal?.aborted) return false;
      await this.deps.sleep(Math.min(MAILBOX_POLL_MS, left), this.deps.signal);
    }
  }

  /** One step: its weights, then an interval at a time until the step is left. */
  private async analyseStep(): Promise<void> {
    const s = this.current.state;
    if (s.phase !== 'progressing') return;
    const percent = this.current.steps[s.step]!;
    await this.setWeights(percent);
    const rules = rulesOf(this.ctx);
    let base = await this.sample(null);
    let tick = base.at;
    for (;;) {
      tick += this.current.intervalMs;
      if (await this.waitOrRequest(tick)) return;
      if (this.deps.signal?.aborted) return;
      const now = await this.sample(base);
      const cur = this.current.state;
      if (cur.phase !== 'progressing') return;
      const canary = diff(base.canary, now.canary);
      const stable = diff(base.stable, now.stable);
      const results = judgeInterval(canary, stable, rules);
      const verdict = stepVerdict(results, cur.failed, rules.failureLimit);
      const interval: CanaryInterval = {
        at: now.at,
        step: cur.step,
        weight: percent,
        windowMs: now.at - base.at,
        canary,
        stable,
        results,
        action: verdict.action,
        failed: verdict.failed,
        reason: verdict.reason,
      };
      const t = transition(cur, { type: 'interval', verdict }, lifeOf(this.current, this.ctx), now.at);
      const next = t.ok ? t.state : cur;
      const from = cur;
      this.current = await persist(this.ctx, {
        ...this.current,
        state: next,
        analysis: [...this.current.analysis, interval].slice(-MAX_INTERVALS),
      });
      this.deps.onEvent({ type: 'interval', interval });
      if (next.phase !== 'progressing' || next.step !== cur.step) {
        this.emitTransition(from, verdict.reason);
        return;
      }
      // too little evidence: keep collecting from the same start, so a slow trickle of requests
      // still adds up to a verdict; a verdict (pass or fail) starts the next window afresh
      const collecting = verdict.action === 'hold' && !results.some((r) => r.verdict === 'fail');
      const keep = (b: Snapshot, n: Snapshot) => (b.kind === 'unavailable' ? n : b);
      base = collecting ? { canary: keep(base.canary, now.canary), stable: keep(base.stable, now.stable), at: base.at } : now;
      tick = Math.max(tick, this.deps.now() - this.current.intervalMs);
    }
  }

  private async holdPause(until: number | null): Promise<void> {
    const s = this.current.state;
    if (s.phase !== 'paused') return;
    await this.setWeights(this.current.steps[s.step]!);
    if (await this.waitOrRequest(until)) return;
    if (until === null || this.deps.signal?.aborted) return;
    const t = transition(this.current.state, { type: 'pause-elapsed' }, lifeOf(this.current, this.ctx), this.deps.now());
    if (t.ok) await this.moveTo(t.state, 'the pause ended');
  }

  private async promote(): Promise<void> {
    const from = this.current.state;
    await this.setWeights(100);
    this.current = await completePromotion(this.ctx, this.deps, this.current);
    if (this.current.state !== from)
      this.emitTransition(from, `all traffic on ${this.current.canaryColour} (${this.current.version}): it is the live colour`);
  }

  private async restoreStable(): Promise<void> {
    await this.setWeights(0);
    this.current = await completeRestore(this.ctx, this.deps, this.current);
  }

  private async abort(reason: string): Promise<void> {
    const t = transition(this.current.state, { type: 'abort', reason }, lifeOf(this.current, this.ctx), this.deps.now());
    if (!t.ok) return;
    await this.moveTo(t.state, reason);
    await this.restoreStable();
  }

  /** An operator's request: applied, acknowledged, and whether the state changed. */
  async handle(r: CanaryRequest): Promise<boolean> {
    const res = await applyRequest(
      this.ctx,
      this.deps,
      this.current,
      r,
      (next, cause) => this.moveTo(next, cause),
      async () => {
        const s = this.current.state;
        if (s.phase === 'aborted' || s.phase === 'rolled-back') await this.restoreStable();
        else if (s.phase === 'promoting') await this.promote();
        else if (s.phase === 'progressing' || s.phase === 'paused') await this.setWeights(this.current.steps[s.step]!);
      },
    );
    writeAck(this.ctx.stateDir, { id: r.id, ok: res.ok, message: res.message, at: this.deps.now() });
    return res.ok;
  }
}

/**
 * Applies one operator request to `run`: persist the new state first (`moveTo`), then act on it
 * (`act`: weights, promotion, restoring stable). Shared by the runner and by a request made when
 * no runner is alive.
 */
async function applyRequest(
  ctx: OperationContext,
  deps: DeployDeps,
  run: CanaryRun,
  r: Pick<CanaryRequest, 'type' | 'by' | 'reason'>,
  moveTo: (next: CanaryState, cause: string) => Promise<void>,
  act: () => Promise<void>,
): Promise<{ ok: boolean; message: string }> {
  if (r.type === 'rollback' && run.state.phase === 'promoted') {
    return { ok: false, message: `the canary of ${run.version} was promoted: \`prodx rollback\` puts ${run.stableColour} back live` };
  }
  if (run.setup !== 'ready' && run.state.phase === 'progressing' && r.type !== 'abort' && r.type !== 'rollback') {
    return { ok: false, message: `the canary is still ${run.setup} ${run.version} on ${run.canaryColour}; wait for its first step` };
  }
  const t = transition(run.state, requestEvent(r), { steps: run.steps, pause: ctx.env.canary.pause }, deps.now());
  if (!t.ok) return { ok: false, message: t.reason };
  const cause = `${r.type} by ${r.by}${r.reason ? `: ${r.reason}` : ''}`;
  await moveTo(t.state, cause);
  await act();
  const s = t.state;
  const message =
    s.phase === 'progressing' || s.phase === 'paused'
      ? `${r.type}: ${s.phase} at step ${s.step + 1}/${run.steps.length} (${run.steps[s.step]}% to ${run.canaryColour})`
      : s.phase === 'promoting'
        ? `${r.type}: ${run.canaryColour} (${run.version}) promoted to 100%`
        : `${r.type}: ${run.stableColour} has all traffic again (${s.phase})`;
  return { ok: true, message };
}

/** Whether a live prodx process runs this environment's canary (holds the lock as `canary …`). */
function liveRunner(ctx: OperationContext): { pid: number; host: string } | null {
  const lock = readLock(ctx.stateDir);
  if (!lock || !lock.operation.startsWith('canary ') || lock.environment !== ctx.envName) return null;
  if (lock.host === hostname() && !pidAlive(lock.pid)) return null;
  return lock;
}

/**
 * `prodx canary promote|abort|pause|resume` and `rollback` of a canary: handed to the prodx
 * that runs the canary (through the mailbox), or applied here when none runs.
 */
export async function canaryControl(
  ctx: OperationContext,
  deps: DeployDeps,
  type: CanaryRequestType,
  reason?: string,
): Promise<{ ok: boolean; message: string; run: CanaryRun | null }> {
  const envState = envStateOf(ctx, readState(ctx.stateDir));
  const run = envState.canary;
  if (!run || (isTerminal(run.state) && !isUnfinished(run) && type !== 'rollback')) {
    throw new ProdxError(
      'no-canary',
      run
        ? `the last canary in ${ctx.envName} (${run.version}) is already ${run.state.phase}: there is nothing to ${type}.`
        : `no canary is running in ${ctx.envName}: start one with \`prodx canary deploy <version>\`.`,
      ExitCode.failed,
    );
  }
  const request: CanaryRequest = { id: randomUUID(), type, by: whoAmI(), at: deps.now(), ...(reason ? { reason } : {}) };
  const runner = liveRunner(ctx);
  if (runner) {
    postRequest(ctx.stateDir, request);
    const deadline = deps.now() + ACK_TIMEOUT_MS;
    for (;;) {
      const ack = takeAck(ctx.stateDir, request.id);
      if (ack) return { ok: ack.ok, message: ack.message, run: envStateOf(ctx, readState(ctx.stateDir)).canary ?? null };
      if (deps.now() > deadline) {
        withdrawRequest(ctx.stateDir, request.id);
        throw new ProdxError(
          'runner-silent',
          `the prodx running this canary (pid ${runner.pid} on ${runner.host}) did not answer within ${ACK_TIMEOUT_MS / 1000}s; nothing was changed. Try again, or stop that process and run this again.`,
          ExitCode.failed,
        );
      }
      await deps.sleep(50, deps.signal);
    }
  }
  // nobody runs it (prodx was killed): apply the request here, under the lock
  const lock = takeLock(ctx, deps, `canary ${type}`, deps.now());
  try {
    const router = await routerOf(ctx, deps);
    let current = envStateOf(ctx, readState(ctx.stateDir)).canary!;
    const res = await applyRequest(
      ctx,
      deps,
      current,
      request,
      async (next) => {
        current = await persist(ctx, { ...current, state: next });
      },
      async () => {
        const s = current.state;
        await router.apply(weightsFor(ctx, current, canaryPercent(s, current.steps)), deps.signal ? { signal: deps.signal } : {});
        current = s.phase === 'promoting' ? await completePromotion(ctx, deps, current) : await completeRestore(ctx, deps, current);
      },
    );
    const idle = current.state.phase === 'progressing' || current.state.phase === 'paused';
    return {
      ok: res.ok,
      message: idle && res.ok ? `${res.message}; no prodx is analysing it: run \`prodx canary deploy --resume\` to go on` : res.message,
      run: current,
    };
  } finally {
    lock.release();
  }
}
