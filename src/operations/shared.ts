// The pieces every release operation shares: the environment's lock, the health gate a colour
// must pass before it gets traffic, and the release hook that installs a version on a colour.
import { dirname } from 'node:path';
import { preGate, preGateTimedOut, type GateVerdict } from '../core/deploy/gates.js';
import type { TrafficRouter } from '../core/deploy/router.js';
import { ExitCode, ProdxError } from '../core/errors.js';
import type { ProbeResult } from '../core/health/types.js';
import type { LockRole } from '../core/state/lock.js';
import { targetOf, type OperationContext } from './context.js';
import { signalOf, type Runtime } from './runtime.js';

/** Runs `body` holding the environment's lock in `role`; a dead owner's lock taken over is said as a warning. */
export async function withLock<T>(
  ctx: OperationContext,
  rt: Runtime,
  role: LockRole,
  operation: string,
  body: () => Promise<T>,
): Promise<T> {
  const lock = await rt.locks.acquire(ctx.envName, role, operation, rt.clock.now());
  const dead = lock.takenOver;
  if (dead)
    rt.emit({
      type: 'warning',
      message: `took over a stale lock from pid ${dead.pid} on ${dead.host} (${dead.operation}), whose process is gone`,
    });
  try {
    return await body();
  } finally {
    await lock.release();
  }
}

/** The router, or a ProdxError saying that `what` needs one. */
export async function requireRouter(ctx: OperationContext, rt: Runtime, what: string): Promise<TrafficRouter> {
  const router = await rt.router();
  if (!router) {
    throw new ProdxError(
      'no-router',
      `environments.${ctx.envName}.router is not set: ${what} needs a traffic router (nginx, haproxy, builtin or command). Configure one.`,
    );
  }
  return router;
}

/**
 * Probes `colour` every health interval until it is healthy `healthyThreshold` times in a row
 * running `version` (any version when null), it fails `unhealthyThreshold` times in a row, or
 * `timeoutMs` passes.
 */
export async function waitForGate(
  ctx: OperationContext,
  rt: Runtime,
  colour: string,
  version: string | null,
  timeoutMs: number,
): Promise<GateVerdict> {
  const target = targetOf(ctx, colour);
  const { healthyThreshold, unhealthyThreshold, interval, timeout } = ctx.env.health;
  const limits = { colour, version, healthyThreshold, unhealthyThreshold };
  const deadline = rt.clock.now() + timeoutMs;
  const probes: ProbeResult[] = [];
  for (;;) {
    const probe = await rt.probe(target, { timeoutMs: timeout, now: () => rt.clock.now(), ...signalOf(rt) });
    if (rt.signal?.aborted) return { status: 'fail', reason: 'stopped before the health gate decided' };
    probes.push(probe);
    const verdict = preGate(probes, limits);
    rt.emit({ type: 'probe', colour, probe, verdict });
    if (verdict.status !== 'pending') return verdict;
    if (rt.clock.now() + interval > deadline) return preGateTimedOut(verdict, limits, timeoutMs);
    await rt.clock.sleep(interval, rt.signal);
  }
}

/** Runs the release hook that installs `version` on `colour`; nothing to do without one. */
export async function releaseOnto(ctx: OperationContext, rt: Runtime, colour: string, version: string): Promise<void> {
  const hook = ctx.env.release;
  if (!hook) return;
  const target = targetOf(ctx, colour);
  await rt.runHook({
    command: hook.command,
    env: { PRODX_VERSION: version, PRODX_TARGET: colour, PRODX_TARGET_URL: target.url, PRODX_ENV: ctx.envName },
    timeoutMs: hook.timeout,
    cwd: dirname(ctx.configPath),
    onLine: (line, stream) => rt.emit({ type: 'hook', line, stream }),
    ...signalOf(rt),
  });
}

/** What a live colour reports it runs, for adopting an environment prodx has no state for. */
export async function probeVersion(ctx: OperationContext, rt: Runtime, colour: string): Promise<string | null> {
  const probe = await rt.probe(targetOf(ctx, colour), { timeoutMs: ctx.env.health.timeout, ...signalOf(rt) });
  return probe.ok && probe.version !== undefined ? probe.version : null;
}

/** A failure that stopped the operation on purpose (Ctrl-C) is not a failure of the release. */
export function interruptedError(what: string): ProdxError {
  return new ProdxError('interrupted', `${what} was interrupted`, ExitCode.failed);
}
