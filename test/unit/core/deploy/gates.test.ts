import { describe, expect, it } from 'vitest';
import { judgeSample, preGate, preGateTimedOut, windowVerdict, type WindowSample } from '../../../../src/core/deploy/gates.js';
import type { ProbeResult } from '../../../../src/core/health/types.js';

const ok = (version: string, at = 0): ProbeResult => ({ at, ok: true, statusCode: 200, latencyMs: 5, version });
const fail = (error = 'HTTP 503', at = 0): ProbeResult => ({ at, ok: false, latencyMs: 5, error });
const L = { colour: 'green', version: '1.1.0', healthyThreshold: 2, unhealthyThreshold: 3 };

describe('preGate', () => {
  it('passes after healthyThreshold healthy probes in a row running the new version', () => {
    expect(preGate([ok('1.1.0')], L).status).toBe('pending');
    expect(preGate([ok('1.1.0'), ok('1.1.0')], L)).toEqual({ status: 'pass', reason: 'green healthy 2 times in a row, running 1.1.0' });
  });
  it('waits while the old version still answers, and says so', () => {
    expect(preGate([ok('1.0.0'), ok('1.0.0'), ok('1.0.0')], L)).toEqual({
      status: 'pending',
      reason: 'green reports version 1.0.0, not 1.1.0',
    });
    expect(preGate([ok('1.0.0'), ok('1.1.0'), ok('1.1.0')], L).status).toBe('pass');
  });
  it('a failure in between restarts the count', () => {
    expect(preGate([ok('1.1.0'), fail(), ok('1.1.0')], L).status).toBe('pending');
  });
  it('waits while the new version boots: failures before its first healthy answer do not fail the gate', () => {
    expect(preGate([fail('connection refused'), fail(), fail(), fail()], L)).toEqual({
      status: 'pending',
      reason: 'green: HTTP 503 (4 consecutive failures)',
    });
    expect(preGate([fail(), fail(), fail(), ok('1.1.0'), ok('1.1.0')], L).status).toBe('pass');
  });
  it('once it answered healthy, fails at unhealthyThreshold failures in a row with the measured failure', () => {
    expect(preGate([ok('1.1.0'), fail(), fail()], L).status).toBe('pending');
    expect(preGate([ok('1.1.0'), fail(), fail(), fail('HTTP 503')], L)).toEqual({
      status: 'fail',
      reason: 'green failed its health gate: HTTP 503 (3 consecutive failures)',
    });
  });
  it('when time is up, the failure names what the colour last showed', () => {
    const v = preGate([fail(), fail(), fail(), fail()], L);
    expect(preGateTimedOut(v, L, 3000)).toEqual({
      status: 'fail',
      reason: 'green did not pass its health gate running 1.1.0 within 3s: HTTP 503 (4 consecutive failures)',
    });
    const old = preGate([ok('1.0.0'), ok('1.0.0')], L);
    expect(preGateTimedOut(old, L, 60_000).reason).toBe(
      'green did not pass its health gate running 1.1.0 within 60s: green reports version 1.0.0, not 1.1.0',
    );
  });
});

const W = { colour: 'green', maxErrorRate: 0.02, minRequests: 20, failureLimit: 1, unhealthyThreshold: 2 };
const sample = (requests: number | null, errors: number | null, probe: ProbeResult = ok('1.1.0')): WindowSample => ({
  at: 0,
  requests,
  errors,
  probe,
});

describe('post-promotion window', () => {
  it('judges each check on its error rate, with enough traffic', () => {
    expect(judgeSample(sample(100, 7), W)).toMatchObject({ verdict: 'fail', reason: 'error rate 7.0% > 2.0%' });
    expect(judgeSample(sample(100, 2), W)).toMatchObject({ verdict: 'pass', reason: 'error rate 2.0% ≤ 2.0%' });
    expect(judgeSample(sample(10, 10), W)).toMatchObject({ verdict: 'inconclusive', reason: '10 requests < 20 needed for a verdict' });
    expect(judgeSample({ ...sample(null, null), metricsError: '/metrics answered HTTP 404' }, W)).toMatchObject({
      verdict: 'inconclusive',
      reason: 'no metrics: /metrics answered HTTP 404',
    });
  });

  it('fails when more checks failed than failureLimit, naming the worst rate and the count', () => {
    const samples = [sample(100, 3), sample(140, 10)];
    const checks = samples.map((s) => judgeSample(s, W));
    expect(windowVerdict(samples.slice(0, 1), checks.slice(0, 1), W, false).status).toBe('pending');
    expect(windowVerdict(samples, checks, W, false)).toEqual({
      status: 'fail',
      reason: 'error rate 7.1% > 2.0% for 2 checks (failureLimit 1)',
    });
  });

  it('fails at once when the new colour is down', () => {
    const samples = [sample(100, 0), sample(0, 0, fail('connection refused')), sample(0, 0, fail('connection refused'))];
    expect(
      windowVerdict(
        samples,
        samples.map((s) => judgeSample(s, W)),
        W,
        false,
      ),
    ).toEqual({ status: 'fail', reason: 'green is down after the switch: connection refused (2 consecutive failures)' });
  });

  it('passes at the end of the window, and never on missing data alone', () => {
    const samples = [sample(100, 1), sample(5, 0)];
    expect(
      windowVerdict(
        samples,
        samples.map((s) => judgeSample(s, W)),
        W,
        true,
      ),
    ).toEqual({
      status: 'pass',
      reason: 'green stayed healthy for the window (1 of 2 checks had enough traffic for an error-rate verdict)',
    });
  });
});
