// What deploy and rollback need from the world, behind one object so tests can replace the
// clock or the router, and the pieces both share: persisting an environment's state, waiting
// for a colour to pass its health gate, and who is doing the deploy.
import { hostname, userInfo } from 'node:os';
import { dirname } from 'node:path';
import { probeTarget, type ProbeOptions, type ProbeTarget } from '../adapters/http/probe.js';
import { runReleaseHook } from '../adapters/release/hook.js';
import { scrapeRequestCounts, type RequestCounts } from '../adapters/metrics/scrape.js';
import { writeState } from '../adapters/state/stateFile.js';
import { acquireLock, type HeldLock } from '../adapters/state/lock.js';
import type { TrafficRouter, Weights } from '../core/deploy/router.js';
import type { CanaryState } from '../core/canary/lifecycle.js';
import type { CanaryPlan } from './canary.js';
import { preGate, preGateTimedOut, type GateVerdict } from '../core/deploy/gates.js';
import type { CheckResult } from '../core/deploy/gates.js';
import type { ProbeResult } from '../core/health/types.js';
import { ExitCode, ProdxError } from '../core/errors.js';
import {
  emptyEnvironmentState,
  type CanaryInterval,
  type ActiveDeployment,
  type DeployPhase,
  type EnvironmentState,
} from '../core/state/schema.js';
import { probeTargets, type OperationContext } from './context.js';

export type DeployEvent =
  | { type: 'plan'; deployment: ActiveDeployment; steps: string[] }
  | { type: 'phase'; phase: DeployPhase | 'complete' | 'failed' | 'rolled-back'; at: number; reason?: string }
  | { type: 'hook'; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'probe'; colour: string; probe: ProbeResult; verdict: GateVerdict }
  | { type: 'check'; check: CheckResult }
  | { type: 'warning'; message: string }
  /** a canary's plan, when it starts or resumes */
  | { type: 'canary-plan'; plan: CanaryPlan }
  /** a canary's lifecycle moved (persisted first, weights applied): why, and the weights now */
  | { type: 'transition'; from: string; state: CanaryState; weights: Weights; cause: string; at: number }
  /** one analysis interval of a canary, with every rule's value, limit and verdict */
  | { type: 'interval'; interval: CanaryInterval };

export interface DeployDeps {
  /** the environment's traffic router, or null when none is configured */
  router(ctx: OperationContext): Promise<TrafficRouter | null>;
  probe(target: ProbeTarget, opts: ProbeOptions): Promise<ProbeResult>;
  scrape(baseUrl: string, path: string, timeoutMs: number, signal?: AbortSignal, excludeRoutes?: readonly string[]): Promise<RequestCounts>;
  runHook: typeof runReleaseHook;
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  onEvent(e: DeployEvent): void;
  signal?: AbortSignal;
}

export function systemDeployDeps(onEvent: (e: DeployEvent) => void = () => undefined): DeployDeps {
  return {
    router: async (ctx) => {
      if (!ctx.env.router) return null;
      const { createRouter } = await import('../adapters/routers/index.js');
      const targets = Object.fromEntries(Object.entries(ctx.env.targets).map(([c, t]) => [c, t.url]));
      return createRouter(ctx.env.router, targets, { cwd: dirname(ctx.configPath), env: ctx.envName });
    },
    probe: probeTarget,
    scrape: scrapeRequestCounts,
    runHook: runReleaseHook,
    now: () => Date.now(),
    // the listener goes when the timer fires: a canary sleeps every 100ms on one signal
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const done = () => {
          clearTimeout(t);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const t = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
      }),
    onEvent,
  };
}

/** who runs the deploy, for the history: the CI actor when there is one, else user@host */
export function whoAmI(env: NodeJS.ProcessEnv = process.env): string {
  if (env['GITHUB_ACTOR']) return `${env['GITHUB_ACTOR']} (github run ${env['GITHUB_RUN_ID'] ?? '?'})`;
  if (env['GITLAB_USER_LOGIN']) return `${env['GITLAB_USER_LOGIN']} (gitlab job ${env['CI_JOB_ID'] ?? '?'})`;
  let user = env['USER'] ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (containers): keep $USER */
  }
  return `${user}@${hostname()}`;
}

export function envStateOf(ctx: OperationContext, state: { environments: Record<string, EnvironmentState> }): EnvironmentState {
  return { ...emptyEnvironmentState(), ...state.environments[ctx.envName] };
}

/** Rewrites this environment's part of state.json atomically. */
export async function updateEnvState(ctx: OperationContext, update: (s: EnvironmentState) => EnvironmentState): Promise<EnvironmentState> {
  let out: EnvironmentState | undefined;
  await writeState(ctx.stateDir, (state) => {
    out = update({ ...emptyEnvironmentState(), ...state.environments[ctx.envName] });
    return { ...state, environments: { ...state.environments, [ctx.envName]: out } };
  });
  return out!;
}

/** A new deploy or canary refuses to start over an unfinished one, saying how to end it. */
export function refuseIfUnfinished(ctx: OperationContext, envState: EnvironmentState): void {
  const a = envState.active;
  if (a) {
    throw new ProdxError(
      'deploy-interrupted',
      `a deploy of ${a.version} to ${a.toColour} stopped in phase ${a.phase}: finish it with \`prodx deploy --resume\` or undo it with \`prodx rollback\` first.`,
      ExitCode.failed,
    );
  }
  const c = envState.canary;
  if (c && c.endedAt === undefined) {
    throw new ProdxError(
      'canary-running',
      `a canary of ${c.version} is ${c.state.phase} in ${ctx.envName}: let it finish (\`prodx canary status --watch\`; \`prodx canary deploy --resume\` if no prodx runs it), or end it with \`prodx canary abort\` first.`,
      ExitCode.failed,
    );
  }
}

/** The environment's operation lock; taking over a dead owner's lock is said as a warning. */
export function takeLock(ctx: OperationContext, deps: DeployDeps, operation: string, now: number): HeldLock {
  const lock = acquireLock(ctx.stateDir, operation, ctx.envName, now);
  const dead = lock.takenOver;
  if (dead)
    deps.onEvent({
      type: 'warning',
      message: `took over a stale lock from pid ${dead.pid} on ${dead.host} (${dead.operation}), whose process is gone`,
    });
  return lock;
}

/** Persists a phase change of the active deployment, before the phase is acted on. */
export async function enterPhase(
  ctx: OperationContext,
  deps: DeployDeps,
  active: ActiveDeployment,
  phase: DeployPhase,
  reason?: string,
): Promise<ActiveDeployment> {
  const next: ActiveDeployment = { ...active, phase, phaseStartedAt: deps.now(), ...(reason !== undefined ? { reason } : {}) };
  await updateEnvState(ctx, (s) => ({ ...s, active: next }));
  deps.onEvent({ type: 'phase', phase, at: next.phaseStartedAt, ...(reason !== undefined ? { reason } : {}) });
  return next;
}

export function targetOf(ctx: OperationContext, colour: string): ProbeTarget & { name: string } {
  const t = probeTargets(ctx).find((x) => x.name === colour);
  if (!t) throw new Error(`no target named ${colour}`);
  return t;
}

/**
 * Probes `colour` every health interval until it is healthy `healthyThreshold` times in a row
 * running `version`, it fails `unhealthyThreshold` times in a row, or `timeoutMs` passes.
 */
export async function waitForGate(
  ctx: OperationContext,
  deps: DeployDeps,
  colour: string,
  version: string,
  timeoutMs: number,
): Promise<GateVerdict> {
  const target = targetOf(ctx, colour);
  const { healthyThreshold, unhealthyThreshold, interval, timeout } = ctx.env.health;
  const limits = { colour, version, healthyThreshold, unhealthyThreshold };
  const deadline = deps.now() + timeoutMs;
  const probes: ProbeResult[] = [];
  for (;;) {
    const probe = await deps.probe(target, { timeoutMs: timeout, now: deps.now, ...(deps.signal ? { signal: deps.signal } : {}) });
    probes.push(probe);
    const verdict = preGate(probes, limits);
    deps.onEvent({ type: 'probe', colour, probe, verdict });
    if (verdict.status !== 'pending') return verdict;
    if (deps.now() + interval > deadline || deps.signal?.aborted) return preGateTimedOut(verdict, limits, timeoutMs);
    await deps.sleep(interval, deps.signal);
  }
}
