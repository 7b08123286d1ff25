// `prodx health`: probe every target of the environment. One-shot mode re-probes a failing
// target until the unhealthy threshold decides it (one blip is not `down`); watch mode folds
// every round into the same rise/fall state the dashboard uses.
import type { Clock } from '../core/clock.js';
import { applyProbe, initialHealth, overallStatus } from '../core/health/status.js';
import type { HealthStatus, HealthThresholds, Prober, TargetHealth } from '../core/health/types.js';
import { probeTargets, type OperationContext } from './context.js';

export interface TargetHealthReport {
  name: string;
  url: string;
  status: HealthStatus;
  reason: string;
  statusCode: number | null;
  latencyMs: number | null;
  version: string | null;
  probes: number;
}

export interface HealthReport {
  ok: boolean;
  environment: string;
  overall: HealthStatus;
  checkedAt: number;
  targets: TargetHealthReport[];
}

export interface HealthDeps {
  probe: Prober;
  clock: Clock;
}

export function thresholdsOf(ctx: OperationContext): HealthThresholds {
  return {
    healthyThreshold: ctx.env.health.healthyThreshold,
    unhealthyThreshold: ctx.env.health.unhealthyThreshold,
    slowMs: ctx.config.alerts.responseTime,
  };
}

function toReport(name: string, url: string, h: TargetHealth, probes: number): TargetHealthReport {
  return {
    name,
    url,
    status: h.status,
    reason: h.reason,
    statusCode: h.last?.statusCode ?? null,
    latencyMs: h.last ? Math.round(h.last.latencyMs * 10) / 10 : null,
    version: h.version ?? null,
    probes,
  };
}

function summarize(ctx: OperationContext, reports: TargetHealthReport[], at: number): HealthReport {
  const overall = overallStatus(reports.map((r) => r.status));
  return { ok: reports.every((r) => r.status !== 'down'), environment: ctx.envName, overall, checkedAt: at, targets: reports };
}

export async function checkHealth(ctx: OperationContext, deps: HealthDeps, signal?: AbortSignal): Promise<HealthReport> {
  const t = thresholdsOf(ctx);
  const { interval, timeout } = ctx.env.health;
  const now = () => deps.clock.now();
  const reports = await Promise.all(
    probeTargets(ctx).map(async (target) => {
      let health = initialHealth;
      let probes = 0;
      for (;;) {
        health = applyProbe(health, await deps.probe(target, { timeoutMs: timeout, now, ...(signal ? { signal } : {}) }), t);
        probes++;
        const undecided = !health.last?.ok && health.status !== 'down';
        if (!undecided || signal?.aborted) break;
        await deps.clock.sleep(interval, signal);
      }
      return toReport(target.name, target.url, health, probes);
    }),
  );
  return summarize(ctx, reports, now());
}

/** One report per round of probes, every health interval, until the signal aborts. */
export async function watchHealth(
  ctx: OperationContext,
  onReport: (r: HealthReport) => void,
  signal: AbortSignal,
  deps: HealthDeps,
): Promise<void> {
  const t = thresholdsOf(ctx);
  const targets = probeTargets(ctx);
  const now = () => deps.clock.now();
  const health = new Map(targets.map((x) => [x.name, { h: initialHealth, probes: 0 }]));
  while (!signal.aborted) {
    const started = now();
    const round = await Promise.all(targets.map((target) => deps.probe(target, { timeoutMs: ctx.env.health.timeout, signal, now })));
    if (signal.aborted) break;
    const reports = targets.map((target, i) => {
      const entry = health.get(target.name)!;
      entry.h = applyProbe(entry.h, round[i]!, t);
      entry.probes++;
      return toReport(target.name, target.url, entry.h, entry.probes);
    });
    onReport(summarize(ctx, reports, now()));
    await deps.clock.sleep(Math.max(0, ctx.env.health.interval - (now() - started)), signal);
  }
}
