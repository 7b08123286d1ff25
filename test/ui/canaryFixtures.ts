// Canary runs for the Canary screen tests. Intervals are judged by the real judge (judge.ts), so
// the results, verdicts and reasons on screen are the ones a real run would record.
import { judgeInterval, stepVerdict, type AnalysisRules, type Observation } from '../../src/core/canary/judge.js';
import type { CanaryInterval, CanaryRun } from '../../src/core/state/schema.js';

export const INTERVAL_MS = 60_000;
export const STEPS = [5, 10, 25, 50, 100];
export const RULES: AnalysisRules = { maxErrorRate: 0.02, maxP95Ms: 300, maxP99Ms: 800, minRequests: 50 };
export const FAILURE_LIMIT = 1;

export const served = (requests: number, errors: number, p95Ms: number | null = 120, p99Ms: number | null = 240): Observation => ({
  requests,
  errors,
  p95Ms,
  p99Ms,
});

/** One interval at step `step`, judged like the operation judges it. */
export function judged(at: number, step: number, canary: Observation, stable: Observation | null, failedSoFar = 0): CanaryInterval {
  const results = judgeInterval(canary, stable, RULES);
  const v = stepVerdict(results, failedSoFar, FAILURE_LIMIT);
  return {
    at,
    step,
    weight: STEPS[step]!,
    windowMs: INTERVAL_MS,
    canary,
    stable,
    results,
    action: v.action,
    failed: v.failed,
    reason: v.reason,
  };
}

export function canaryRun(overrides: Partial<CanaryRun> = {}, now = Date.now()): CanaryRun {
  return {
    id: 'c1',
    version: '1.2.0',
    by: 'alice@laptop',
    startedAt: now - 10 * INTERVAL_MS,
    canaryColour: 'green',
    stableColour: 'blue',
    stableVersion: '1.0.0',
    steps: STEPS,
    intervalMs: INTERVAL_MS,
    setup: 'ready',
    state: { phase: 'progressing', step: 0, failed: 0, since: now - 5_000 },
    weightsBefore: { blue: 100, green: 0 },
    analysis: [],
    ...overrides,
  };
}

/**
 * Steps 5% and 10% passed (10% after an inconclusive interval with too little traffic); at 25%
 * one interval failed its error rate, tolerated by failureLimit 1. The next analysis is 42s away.
 */
export function progressingRun(now = Date.now()): CanaryRun {
  const t = (minutesAgo: number) => now - minutesAgo * INTERVAL_MS;
  const analysis = [
    judged(t(5), 0, served(400, 1, 110, 210), served(7600, 20, 105, 200)),
    judged(t(4), 1, served(30, 0, 115, 220), served(800, 2, 100, 190)),
    judged(t(3), 1, served(820, 2, 118, 230), served(7400, 19, 104, 201)),
    judged(now - 18_000, 2, served(1900, 59, 140, 320), served(5700, 14, 102, 198)),
  ];
  return canaryRun(
    { analysis, state: { phase: 'progressing', step: 2, failed: 1, since: t(3) + 1000 }, startedAt: now - 7 * INTERVAL_MS },
    now,
  );
}

export function pausedRun(now = Date.now()): CanaryRun {
  const run = progressingRun(now);
  return { ...run, state: { phase: 'paused', step: 2, failed: 1, until: null, then: 'same' } };
}

export const ABORT_REASON = 'failed (2) > failureLimit (1): error rate 4.1% > 2.0%';

/** The second failed interval at 25% aborted the run. */
export function abortedRun(now = Date.now()): CanaryRun {
  const run = progressingRun(now);
  const second = judged(now - 2000, 2, served(2000, 82, 150, 330), served(6000, 15, 101, 199), 1);
  return {
    ...run,
    endedAt: now - 1000,
    analysis: [...run.analysis, second],
    state: { phase: 'aborted', step: 2, reason: second.reason, at: now - 1000 },
  };
}

/** A long run at 50%: thirty intervals of slowly rising latency, enough for the charts. */
export function longRun(now = Date.now()): CanaryRun {
  const analysis: CanaryInterval[] = [];
  for (let i = 0; i < 30; i++) {
    const step = i < 6 ? 0 : i < 12 ? 1 : i < 20 ? 2 : 3;
    const at = now - (30 - i) * INTERVAL_MS;
    analysis.push(
      judged(at, step, served(300 + i * 40, i % 7 === 0 ? 4 : 1, 110 + i * 4, 220 + i * 6), served(8000, 20, 100 + (i % 5), 200)),
    );
  }
  return canaryRun(
    { analysis, startedAt: now - 31 * INTERVAL_MS, state: { phase: 'progressing', step: 3, failed: 0, since: now - 10 * INTERVAL_MS } },
    now,
  );
}
