// The gates of a blue-green deploy, pure: before the switch (is the new colour healthy and
// running the new version?) and after it (does it stay healthy with a low error rate?).
// Every verdict carries a reason that names the measured value and the limit.
import type { ProbeResult } from '../health/types.js';

export type GateStatus = 'pass' | 'fail' | 'pending';

export interface GateVerdict {
  status: GateStatus;
  reason: string;
}

export interface PreGateLimits {
  colour: string;
  /** the version it must report; null accepts any (prodx never learned what it runs) */
  version: string | null;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

/**
 * Pre-promotion: `healthyThreshold` healthy probes in a row that report the new version.
 * Like a startup probe, failures while the new version boots (503, connection refused) only
 * count once it has answered healthy: before that the gate waits, up to its timeout.
 */
export function preGate(probes: readonly ProbeResult[], l: PreGateLimits): GateVerdict {
  const last = probes.at(-1);
  if (!last) return { status: 'pending', reason: `waiting for the first probe of ${l.colour}` };
  let failures = 0;
  for (let i = probes.length - 1; i >= 0 && !probes[i]!.ok; i--) failures++;
  const runs = (p: ProbeResult) => p.ok && (l.version === null || p.version === l.version);
  const started = probes.some(runs);
  if (started && failures >= l.unhealthyThreshold) {
    return {
      status: 'fail',
      reason: `${l.colour} failed its health gate: ${last.error ?? 'probe failed'} (${failures} consecutive failures)`,
    };
  }
  let good = 0;
  for (let i = probes.length - 1; i >= 0 && runs(probes[i]!); i--) good++;
  if (good >= l.healthyThreshold)
    return { status: 'pass', reason: `${l.colour} healthy ${good} times in a row${l.version === null ? '' : `, running ${l.version}`}` };
  if (last.ok && l.version !== null && last.version !== l.version) {
    return { status: 'pending', reason: `${l.colour} reports version ${last.version ?? 'none'}, not ${l.version}` };
  }
  if (!last.ok)
    return {
      status: 'pending',
      reason: `${l.colour}: ${last.error ?? 'probe failed'} (${failures} consecutive failure${failures === 1 ? '' : 's'})`,
    };
  return { status: 'pending', reason: `${l.colour} healthy ${good} of ${l.healthyThreshold} times` };
}

/** The gate's verdict when its time is up: what the colour last showed, as the failure. */
export function preGateTimedOut(verdict: GateVerdict, l: PreGateLimits, timeoutMs: number): GateVerdict {
  return {
    status: 'fail',
    reason: `${l.colour} did not pass its health gate${l.version === null ? '' : ` running ${l.version}`} within ${Math.round(timeoutMs / 100) / 10}s: ${verdict.reason.replace(`${l.colour}: `, '')}`,
  };
}

export interface WindowLimits {
  colour: string;
  maxErrorRate: number;
  minRequests: number;
  failureLimit: number;
  unhealthyThreshold: number;
}

/** One post-promotion check: traffic the new colour served since the last check, and a probe. */
export interface WindowSample {
  at: number;
  /** requests and 5xx responses in this check, or null when metrics could not be read */
  requests: number | null;
  errors: number | null;
  probe: ProbeResult;
  /** why metrics were missing, when they were */
  metricsError?: string;
}

export interface CheckResult {
  at: number;
  verdict: 'pass' | 'fail' | 'inconclusive';
  errorRate: number | null;
  requests: number | null;
  reason: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function judgeSample(s: WindowSample, l: WindowLimits): CheckResult {
  if (s.requests === null || s.errors === null) {
    return { at: s.at, verdict: 'inconclusive', errorRate: null, requests: null, reason: `no metrics: ${s.metricsError ?? 'unavailable'}` };
  }
  if (s.requests < l.minRequests) {
    return {
      at: s.at,
      verdict: 'inconclusive',
      errorRate: s.requests ? s.errors / s.requests : null,
      requests: s.requests,
      reason: `${s.requests} requests < ${l.minRequests} needed for a verdict`,
    };
  }
  const rate = s.errors / s.requests;
  return rate > l.maxErrorRate
    ? { at: s.at, verdict: 'fail', errorRate: rate, requests: s.requests, reason: `error rate ${pct(rate)} > ${pct(l.maxErrorRate)}` }
    : { at: s.at, verdict: 'pass', errorRate: rate, requests: s.requests, reason: `error rate ${pct(rate)} ≤ ${pct(l.maxErrorRate)}` };
}

/**
 * Post-promotion verdict over the checks so far: fail as soon as the new colour is down
 * (unhealthyThreshold failed probes in a row) or more checks failed than failureLimit allows;
 * pass when the window is over; otherwise pending.
 */
export function windowVerdict(
  samples: readonly WindowSample[],
  checks: readonly CheckResult[],
  l: WindowLimits,
  windowOver: boolean,
): GateVerdict {
  let down = 0;
  for (let i = samples.length - 1; i >= 0 && !samples[i]!.probe.ok; i--) down++;
  if (down >= l.unhealthyThreshold) {
    return {
      status: 'fail',
      reason: `${l.colour} is down after the switch: ${samples.at(-1)!.probe.error ?? 'probe failed'} (${down} consecutive failures)`,
    };
  }
  const failed = checks.filter((c) => c.verdict === 'fail');
  if (failed.length > l.failureLimit) {
    const worst = Math.max(...failed.map((c) => c.errorRate ?? 0));
    return {
      status: 'fail',
      reason: `error rate ${pct(worst)} > ${pct(l.maxErrorRate)} for ${failed.length} checks (failureLimit ${l.failureLimit})`,
    };
  }
  if (windowOver) {
    const judged = checks.filter((c) => c.verdict !== 'inconclusive').length;
    return {
      status: 'pass',
      reason: `${l.colour} stayed healthy for the window (${judged} of ${checks.length} checks had enough traffic for an error-rate verdict)`,
    };
  }
  return { status: 'pending', reason: `${checks.length} checks, ${failed.length} failed` };
}
