// The post-promotion window of a blue-green deploy: every postPromotion.interval, a health
// probe of the new colour and what it served, read through the environment's metric provider
// (scrape, Prometheus or the builtin router's counters, as a canary reads it). More failed
// checks than failureLimit, or the colour going down, fails the window.
import { diff, type MetricProvider, type Snapshot } from '../../core/canary/metrics.js';
import { isMissing } from '../../core/canary/judge.js';
import { judgeSample, windowVerdict, type CheckResult, type GateVerdict, type WindowSample } from '../../core/deploy/gates.js';
import type { ActiveDeployment } from '../../core/state/schema.js';
import { probeRoutes, targetOf, type OperationContext } from '../context.js';
import { signalOf, type Runtime } from '../runtime.js';

async function sample(rt: Runtime, provider: MetricProvider, ctx: OperationContext, colour: string, windowMs: number): Promise<Snapshot> {
  const t = targetOf(ctx, colour);
  try {
    return await provider.sample({ colour, url: t.url, excludeRoutes: probeRoutes(t) }, rt.signal, windowMs);
  } catch (err) {
    return { kind: 'unavailable', colour, at: rt.clock.now(), reason: err instanceof Error ? err.message : String(err) };
  }
}

/** Watches the new colour for the window; resolves with the verdict (pending only when stopped). */
export async function watchWindow(ctx: OperationContext, rt: Runtime, a: ActiveDeployment, checks: CheckResult[]): Promise<GateVerdict> {
  const pp = ctx.env.postPromotion;
  const provider = await rt.metrics();
  const target = targetOf(ctx, a.toColour);
  const limits = {
    colour: a.toColour,
    maxErrorRate: pp.maxErrorRate,
    minRequests: pp.minRequests,
    failureLimit: pp.failureLimit,
    unhealthyThreshold: ctx.env.health.unhealthyThreshold,
  };
  const end = rt.clock.now() + pp.window;
  const samples: WindowSample[] = [];
  let before = await sample(rt, provider, ctx, a.toColour, pp.interval);
  for (;;) {
    await rt.clock.sleep(Math.min(pp.interval, Math.max(0, end - rt.clock.now())), rt.signal);
    if (rt.signal?.aborted) return { status: 'pending', reason: 'stopped' };
    const probe = await rt.probe(target, { timeoutMs: ctx.env.health.timeout, now: () => rt.clock.now(), ...signalOf(rt) });
    const after = await sample(rt, provider, ctx, a.toColour, pp.interval);
    if (rt.signal?.aborted) return { status: 'pending', reason: 'stopped' };
    const served = diff(before, after);
    const s: WindowSample = isMissing(served)
      ? { at: rt.clock.now(), probe, requests: null, errors: null, metricsError: served.missing }
      : { at: rt.clock.now(), probe, requests: served.requests, errors: served.errors };
    before = after;
    samples.push(s);
    const check = judgeSample(s, limits);
    checks.push(check);
    rt.emit({ type: 'check', check });
    const verdict = windowVerdict(samples, checks, limits, rt.clock.now() >= end);
    if (verdict.status !== 'pending') return verdict;
  }
}
