// Runs one canary to its end: setup (release hook, health gate), the steps with their analysis,
// and the outcome. Every transition is written to the state before it is acted on, and the
// router always gets absolute weights, so a killed prodx resumes the same step and re-applies
// the same weights (never lost, never doubled). While it waits it answers operators' requests
// from the mailbox: it is the only writer of the run.
import type { CanaryRequest } from '../../core/canary/control.js';
import { judgeInterval, stepVerdict } from '../../core/canary/judge.js';
import { canaryPercent, startCanary, transition, type CanaryState } from '../../core/canary/lifecycle.js';
import { diff, type MetricProvider, type Snapshot } from '../../core/canary/metrics.js';
import type { TrafficRouter } from '../../core/deploy/router.js';
import { ProdxError } from '../../core/errors.js';
import type { CanaryInterval, CanaryRun } from '../../core/state/schema.js';
import { canaryInstalled } from '../../core/state/transitions.js';
import type { OperationContext } from '../context.js';
import { executeRollback } from '../rollback.js';
import { planFor } from '../rollbackPlan.js';
import { signalOf, type Runtime } from '../runtime.js';
import { releaseOnto, waitForGate } from '../shared.js';
import { applyRequest, completePromotion, completeRestore, persist } from './outcome.js';
import { lifeOf, metricTarget, rulesOf, weightsFor } from './plan.js';

/** analysis intervals kept in the state (the newest); a long canary at 1s would grow without end */
export const MAX_INTERVALS = 500;
/** how often a runner looks for operators' requests while it waits */
const MAILBOX_POLL_MS = 100;

interface Baseline {
  canary: Snapshot;
  stable: Snapshot;
  at: number;
}

export class CanaryRunner {
  private applied: number | null = null;

  constructor(
    private readonly ctx: OperationContext,
    private readonly rt: Runtime,
    private readonly router: TrafficRouter,
    private readonly provider: MetricProvider,
    public current: CanaryRun,
  ) {}

  private get stopped() {
    return this.rt.signal?.aborted === true;
  }

  async run(): Promise<CanaryRun> {
    try {
      return await this.walk();
    } catch (err) {
      // stopped on purpose (Ctrl-C) mid-request: the state already says where the canary is
      if (this.stopped) return this.current;
      throw err;
    }
  }

  private async walk(): Promise<CanaryRun> {
    if (this.current.setup !== 'ready' && this.current.state.phase === 'progressing' && !(await this.setup())) return this.current;
    for (;;) {
      if (this.stopped) return this.current;
      const s = this.current.state;
      if (s.phase === 'progressing') await this.analyseStep();
      else if (s.phase === 'paused') await this.holdPause(s.until);
      else if (s.phase === 'promoting') await this.promote();
      else if (s.phase === 'aborted' || s.phase === 'rolled-back') {
        await this.restoreStable();
        return this.current;
      } else return this.current;
    }
  }

  /** Installs the version on the canary colour and waits for its health gate. */
  private async setup(): Promise<boolean> {
    const { ctx, rt } = this;
    try {
      if (this.current.setup === 'releasing') {
        rt.emit({ type: 'phase', phase: 'releasing', at: rt.clock.now() });
        await releaseOnto(ctx, rt, this.current.canaryColour, this.current.version);
        const next = { ...this.current, setup: 'verifying' as const };
        this.current = await persist(ctx, rt, next, (s) => canaryInstalled(s, next, rt.clock.now()));
      }
      rt.emit({ type: 'phase', phase: 'verifying', at: rt.clock.now() });
      const gate = await waitForGate(ctx, rt, this.current.canaryColour, this.current.version, ctx.env.prePromotion.timeout);
      if (this.stopped) return false;
      if (gate.status !== 'pass') {
        await this.abort(`before any traffic: ${gate.reason}`);
        return false;
      }
    } catch (err) {
      if (this.stopped) return false;
      if (!(err instanceof ProdxError)) throw err;
      await this.abort(`before any traffic: ${err.message}`);
      return false;
    }
    this.current = await persist(ctx, rt, { ...this.current, setup: 'ready', state: startCanary(rt.clock.now()) });
    return true;
  }

  /** Sets the router to `percent` for the canary, unless it already is. */
  private async setWeights(percent: number): Promise<void> {
    if (this.applied === percent) return;
    await this.router.apply(weightsFor(this.ctx, this.current, percent), signalOf(this.rt));
    this.applied = percent;
  }

  private async moveTo(next: CanaryState, cause: string): Promise<void> {
    const from = this.current.state;
    this.current = await persist(this.ctx, this.rt, { ...this.current, state: next });
    this.emitTransition(from, cause);
  }

  private emitTransition(from: CanaryState, cause: string) {
    const to = this.current.state;
    const weights = weightsFor(this.ctx, this.current, canaryPercent(to, this.current.steps));
    this.rt.emit({ type: 'transition', from: from.phase, state: to, weights, cause, at: this.rt.clock.now() });
  }

  private async sample(base: Baseline | null): Promise<Baseline> {
    const windowMs = base ? this.rt.clock.now() - base.at : this.current.intervalMs;
    const take = async (colour: string): Promise<Snapshot> => {
      try {
        return await this.provider.sample(metricTarget(this.ctx, colour), this.rt.signal, windowMs);
      } catch (err) {
        if (this.stopped) throw err;
        return { kind: 'unavailable', colour, at: this.rt.clock.now(), reason: err instanceof Error ? err.message : String(err) };
      }
    };
    const [canary, stable] = await Promise.all([take(this.current.canaryColour), take(this.current.stableColour)]);
    return { canary, stable, at: this.rt.clock.now() };
  }

  /**
   * Waits until `until` (or for ever when null) while answering operators' requests; returns
   * true when a request changed the state, so the caller starts over from the new state.
   */
  private async waitOrRequest(until: number | null): Promise<boolean> {
    for (;;) {
      let changed = false;
      for (const r of await this.rt.mailbox.take(this.ctx.envName)) changed = (await this.handle(r)) || changed;
      if (changed) return true;
      const left = until === null ? MAILBOX_POLL_MS : until - this.rt.clock.now();
      if (left <= 0 || this.stopped) return false;
      await this.rt.clock.sleep(Math.min(MAILBOX_POLL_MS, left), this.rt.signal);
    }
  }

  /** One interval judged: the diff of two samples, every rule, the step's verdict, persisted. */
  private async judge(base: Baseline, now: Baseline, percent: number): Promise<{ interval: CanaryInterval; next: CanaryState } | null> {
    const cur = this.current.state;
    if (cur.phase !== 'progressing') return null;
    const rules = rulesOf(this.ctx);
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
    this.current = await persist(this.ctx, this.rt, {
      ...this.current,
      state: next,
      analysis: [...this.current.analysis, interval].slice(-MAX_INTERVALS),
    });
    this.rt.emit({ type: 'interval', interval });
    if (next.phase !== 'progressing' || next.step !== cur.step) this.emitTransition(cur, verdict.reason);
    return { interval, next };
  }

  /** One step: its weights, then an interval at a time until the step is left. */
  private async analyseStep(): Promise<void> {
    const s = this.current.state;
    if (s.phase !== 'progressing') return;
    const percent = this.current.steps[s.step]!;
    await this.setWeights(percent);
    let base = await this.sample(null);
    let tick = base.at;
    for (;;) {
      tick += this.current.intervalMs;
      if ((await this.waitOrRequest(tick)) || this.stopped) return;
      const now = await this.sample(base);
      const judged = await this.judge(base, now, percent);
      if (!judged || judged.next.phase !== 'progressing' || judged.next.step !== s.step) return;
      // too little evidence: keep collecting from the same start, so a slow trickle of requests
      // still adds up to a verdict; a verdict (pass or fail) starts the next window afresh
      const { interval } = judged;
      const collecting = interval.action === 'hold' && !interval.results.some((r) => r.verdict === 'fail');
      const keep = (b: Snapshot, n: Snapshot) => (b.kind === 'unavailable' ? n : b);
      base = collecting ? { canary: keep(base.canary, now.canary), stable: keep(base.stable, now.stable), at: base.at } : now;
      tick = Math.max(tick, this.rt.clock.now() - this.current.intervalMs);
    }
  }

  private async holdPause(until: number | null): Promise<void> {
    const s = this.current.state;
    if (s.phase !== 'paused') return;
    await this.setWeights(this.current.steps[s.step]!);
    if ((await this.waitOrRequest(until)) || until === null || this.stopped) return;
    const t = transition(this.current.state, { type: 'pause-elapsed' }, lifeOf(this.current, this.ctx), this.rt.clock.now());
    if (t.ok) await this.moveTo(t.state, 'the pause ended');
  }

  private async promote(): Promise<void> {
    const from = this.current.state;
    await this.setWeights(100);
    this.current = await completePromotion(this.ctx, this.rt, this.current);
    if (this.current.state !== from)
      this.emitTransition(from, `all traffic on ${this.current.canaryColour} (${this.current.version}): it is the live colour`);
  }

  private async restoreStable(): Promise<void> {
    await this.setWeights(0);
    this.current = await completeRestore(this.ctx, this.rt, this.current);
  }

  private async abort(reason: string): Promise<void> {
    const t = transition(this.current.state, { type: 'abort', reason }, lifeOf(this.current, this.ctx), this.rt.clock.now());
    if (!t.ok) return;
    await this.moveTo(t.state, reason);
    await this.restoreStable();
  }

  /** A rollback asked of this runner: the one rollback operation, with this runner's router. */
  private async rollBack(r: CanaryRequest): Promise<{ ok: boolean; message: string }> {
    const plan = planFor(this.ctx, await this.rt.store.read(this.ctx.envName));
    if (plan.kind !== 'undo-canary') return { ok: false, message: plan.reason };
    const out = await executeRollback(this.ctx, this.rt, this.router, plan, { startedAt: r.at, ...(r.reason ? { reason: r.reason } : {}) });
    this.current = (await this.rt.store.read(this.ctx.envName)).canary ?? this.current;
    if (out.ok) this.applied = 0;
    return out.ok
      ? { ok: true, message: `rolled back: ${plan.to.colour} has all traffic again` }
      : { ok: false, message: out.reason ?? 'rollback failed' };
  }

  /** An operator's request: applied, acknowledged, and whether the state changed. */
  async handle(r: CanaryRequest): Promise<boolean> {
    const res =
      r.type === 'rollback'
        ? await this.rollBack(r)
        : await applyRequest(
            this.ctx,
            this.rt,
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
    await this.rt.mailbox.ack(this.ctx.envName, { id: r.id, ok: res.ok, message: res.message, at: this.rt.clock.now() });
    return res.ok;
  }
}
