// Runs a deploy's phases from wherever it stands (a new deploy starts at releasing; `--resume`
// at the phase a killed prodx left). The pure machine (core/deploy/machine.ts) says what each
// outcome leads to; every step is one state write, made before it is acted on. Stopping on
// purpose (Ctrl-C, SIGTERM) writes nothing: the phase stays for `--resume` or `rollback`.
import { deployStep, type DeployEvent } from '../../core/deploy/machine.js';
import type { CheckResult } from '../../core/deploy/gates.js';
import type { TrafficRouter } from '../../core/deploy/router.js';
import { ProdxError } from '../../core/errors.js';
import type { ActiveDeployment } from '../../core/state/schema.js';
import { planRollback } from '../../core/rollback/plan.js';
import { recordRollback } from '../../core/rollback/record.js';
import { completeDeploy, endDeploy, installed, withActive } from '../../core/state/transitions.js';
import { targetOf, type OperationContext } from '../context.js';
import { signalOf, type Runtime } from '../runtime.js';
import { releaseOnto, waitForGate } from '../shared.js';
import { watchWindow } from './window.js';

export type DeployOutcome =
  | { result: 'succeeded' | 'failed' | 'rolled-back'; reason?: string; active: ActiveDeployment }
  | { result: 'interrupted'; reason: string; active: ActiveDeployment };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

class PhaseRunner {
  readonly checks: CheckResult[] = [];
  constructor(
    private readonly ctx: OperationContext,
    private readonly rt: Runtime,
    private readonly router: TrafficRouter | null,
    public a: ActiveDeployment,
  ) {}

  private interrupted(): DeployOutcome {
    const reason = `stopped in phase ${this.a.phase}: \`prodx deploy --resume\` goes on, \`prodx rollback\` undoes it`;
    this.rt.emit({ type: 'phase', phase: 'interrupted', at: this.rt.clock.now(), reason });
    return { result: 'interrupted', reason, active: this.a };
  }

  /** Applies one event: the next phase is written (with `extra`) before it is acted on, or the deploy ends. */
  private async step(event: DeployEvent, extra = false): Promise<DeployOutcome | null> {
    const { ctx, rt } = this;
    const next = deployStep(this.a, event);
    const now = rt.clock.now();
    if (next.kind === 'invalid') throw new Error(next.reason);
    const install = (s: Parameters<typeof installed>[0]) => (extra ? installed(s, this.a.toColour, this.a.version, now) : s);
    if (next.kind === 'phase') {
      this.a = { ...this.a, phase: next.phase, phaseStartedAt: now, ...(next.reason !== undefined ? { reason: next.reason } : {}) };
      await rt.store.update(ctx.envName, (s) => withActive(install(s), this.a));
      rt.emit({ type: 'phase', phase: next.phase, at: now, ...(next.reason !== undefined ? { reason: next.reason } : {}) });
      return null;
    }
    const a = this.a;
    await rt.store.update(ctx.envName, (s) =>
      next.result === 'succeeded'
        ? completeDeploy(install(s), a, now, ctx.env.scaleDownDelay)
        : endDeploy(s, a, next.result, next.reason ?? 'failed', now),
    );
    const phase = next.result === 'succeeded' ? 'complete' : next.result;
    rt.emit({ type: 'phase', phase, at: now, ...(next.reason ? { reason: next.reason } : {}) });
    return { result: next.result, ...(next.reason ? { reason: next.reason } : {}), active: a };
  }

  private fail(reason: string, trafficMoved: boolean) {
    return this.step({ type: 'failed', reason, trafficMoved });
  }

  async release(): Promise<DeployOutcome | null> {
    try {
      await releaseOnto(this.ctx, this.rt, this.a.toColour, this.a.version);
    } catch (err) {
      if (this.rt.signal?.aborted) return this.interrupted();
      if (!(err instanceof ProdxError)) throw err;
      return this.fail(err.message, false);
    }
    return this.step({ type: 'released' }, true);
  }

  async verify(): Promise<DeployOutcome | null> {
    const { ctx, rt, a } = this;
    const gate = await waitForGate(ctx, rt, a.toColour, a.version, ctx.env.prePromotion.timeout);
    if (rt.signal?.aborted) return this.interrupted();
    if (gate.status !== 'pass') return this.fail(gate.reason, false);
    const smoke = ctx.env.prePromotion.smokePath;
    if (smoke) {
      const t = targetOf(ctx, a.toColour);
      const p = await rt.probe({ ...t, healthPath: smoke, versionPath: null }, { timeoutMs: ctx.env.health.timeout * 5, ...signalOf(rt) });
      if (rt.signal?.aborted) return this.interrupted();
      if (!p.ok) return this.fail(`smoke request GET ${smoke} on ${a.toColour} failed: ${p.error}`, false);
    }
    return this.step({ type: 'verified' });
  }

  async switch(): Promise<DeployOutcome | null> {
    const router = this.router!;
    try {
      await router.apply(this.a.weightsAfter, signalOf(this.rt));
    } catch (err) {
      if (this.rt.signal?.aborted) return this.interrupted();
      const reason = `switching traffic failed: ${message(err)}`;
      // a router that fails with a ProdxError has left the old weights in place (the
      // TrafficRouter contract); when they read back unchanged, or the router cannot be read
      // at all, nothing moved and there is nothing to roll back
      const now = await router.read(signalOf(this.rt)).catch(() => null);
      const unchanged = now ? Object.entries(this.a.weightsBefore).every(([c, w]) => (now[c] ?? 0) === w) : err instanceof ProdxError;
      return this.fail(reason, !unchanged);
    }
    return this.step({ type: 'switched' });
  }

  async monitor(): Promise<DeployOutcome | null> {
    const verdict = await watchWindow(this.ctx, this.rt, this.a, this.checks);
    if (this.rt.signal?.aborted) return this.interrupted();
    if (verdict.status === 'fail') return this.fail(verdict.reason, true);
    return this.step({ type: 'watched' });
  }

  /** Back to the weights from before the switch, once the colour they favour passes its gate. */
  async restore(): Promise<DeployOutcome | null> {
    const { ctx, rt, a } = this;
    if (a.fromColour && a.fromColour !== a.toColour) {
      const gate = await waitForGate(ctx, rt, a.fromColour, a.fromVersion, ctx.env.prePromotion.timeout);
      if (rt.signal?.aborted) return this.interrupted();
      if (gate.status !== 'pass') {
        const reason = `${a.reason ?? 'the deploy failed'}; rolling back failed: ${gate.reason}. Traffic stays on ${a.toColour}: fix ${a.fromColour}, then run \`prodx rollback\``;
        await this.recordFailedRollback(gate.reason);
        rt.emit({ type: 'phase', phase: 'failed', at: rt.clock.now(), reason });
        return { result: 'failed', reason, active: a };
      }
    }
    if (this.router) await this.router.apply(a.weightsBefore, signalOf(rt));
    return this.step({ type: 'restored' });
  }

  /** The automatic rollback could not happen: it goes in the history; the deploy stays, rolling back. */
  private async recordFailedRollback(why: string): Promise<void> {
    const { ctx, rt, a } = this;
    const now = rt.clock.now();
    await rt.store.update(ctx.envName, (s) => {
      const plan = planRollback(s, { environment: ctx.envName, colours: Object.keys(ctx.env.targets) });
      if (plan.kind === 'nothing') return s;
      const record = { ok: false, reason: why, by: rt.actor, startedAt: a.phaseStartedAt, now, keepMs: ctx.env.scaleDownDelay };
      return recordRollback(s, plan, record);
    });
  }

  async run(): Promise<DeployOutcome> {
    for (;;) {
      if (this.rt.signal?.aborted) return this.interrupted();
      const phase = this.a.phase;
      const out =
        phase === 'releasing'
          ? await this.release()
          : phase === 'verifying'
            ? await this.verify()
            : phase === 'switching'
              ? await this.switch()
              : phase === 'monitoring'
                ? await this.monitor()
                : await this.restore();
      if (out) return out;
    }
  }
}

/** Runs the deploy to its end (or until stopped); the checks of its post-promotion window go into `checks`. */
export async function runPhases(
  ctx: OperationContext,
  rt: Runtime,
  start: ActiveDeployment,
  router: TrafficRouter | null,
  checks: CheckResult[],
): Promise<DeployOutcome> {
  const runner = new PhaseRunner(ctx, rt, router, start);
  try {
    return await runner.run();
  } finally {
    checks.push(...runner.checks);
  }
}
