import type { HealthThresholds, ProbeResult, TargetHealth } from './types.js';

export const initialHealth: TargetHealth = {
  status: 'unknown',
  consecutiveSuccesses: 0,
  consecutiveFailures: 0,
  recovering: false,
  reason: 'not probed yet',
};

/**
 * Folds one probe into a target's health, with HAProxy's rise/fall semantics: a target that
 * has never been probed is taken as up on its first success; it goes `down` only after
 * `unhealthyThreshold` consecutive failures (`degraded` before that) and comes back `healthy`
 * only after `healthyThreshold` consecutive successes (`degraded` while it recovers).
 * A success slower than `slowMs` counts as a success but shows the target `degraded`.
 */
export function applyProbe(prev: TargetHealth, probe: ProbeResult, t: HealthThresholds): TargetHealth {
  const successes = probe.ok ? prev.consecutiveSuccesses + 1 : 0;
  const failures = probe.ok ? 0 : prev.consecutiveFailures + 1;
  const version = probe.version ?? prev.version;
  let status: TargetHealth['status'];
  let reason: string;
  let recovering = prev.recovering;
  if (!probe.ok) {
    if (failures >= t.unhealthyThreshold || prev.status === 'down' || prev.recovering) {
      status = 'down';
      recovering = true;
      reason = `${probe.error ?? 'probe failed'} (${failures} consecutive failure${failures === 1 ? '' : 's'})`;
    } else {
      status = 'degraded';
      reason = `${probe.error ?? 'probe failed'} (${failures} of ${t.unhealthyThreshold} failures before down)`;
    }
  } else {
    if (prev.recovering && successes < t.healthyThreshold) {
      status = 'degraded';
      reason = `recovering (${successes} of ${t.healthyThreshold} successes before healthy)`;
    } else if (probe.latencyMs > t.slowMs) {
      recovering = false;
      status = 'degraded';
      reason = `slow: ${Math.round(probe.latencyMs)}ms > ${t.slowMs}ms`;
    } else {
      recovering = false;
      status = 'healthy';
      reason = `HTTP ${probe.statusCode ?? 200} in ${Math.round(probe.latencyMs)}ms`;
    }
  }
  return {
    status,
    consecutiveSuccesses: successes,
    consecutiveFailures: failures,
    recovering,
    last: probe,
    ...(version !== undefined ? { version } : {}),
    reason,
    since: status === prev.status && prev.since !== undefined ? prev.since : probe.at,
  };
}

/** The worst status among targets, for the header and for `prodx health`'s exit code. */
export function overallStatus(statuses: readonly TargetHealth['status'][]): TargetHealth['status'] {
  if (statuses.length === 0) return 'unknown';
  const rank = { down: 3, degraded: 2, unknown: 1, healthy: 0 } as const;
  return statuses.reduce((worst, s) => (rank[s] > rank[worst] ? s : worst), 'healthy' as TargetHealth['status']);
}
