import { describe, expect, it } from 'vitest';
import { applyProbe, initialHealth, overallStatus } from '../../../../src/core/health/status.js';
import type { ProbeResult, TargetHealth } from '../../../../src/core/health/types.js';

const t = { healthyThreshold: 2, unhealthyThreshold: 3, slowMs: 2000 };
const ok = (at: number, latencyMs = 10, version?: string): ProbeResult => ({
  at,
  ok: true,
  statusCode: 200,
  latencyMs,
  ...(version ? { version } : {}),
});
const fail = (at: number, error = 'connection refused'): ProbeResult => ({ at, ok: false, latencyMs: 1, error });
const fold = (probes: ProbeResult[], from: TargetHealth = initialHealth) => probes.reduce((h, p) => applyProbe(h, p, t), from);

describe('applyProbe (rise/fall)', () => {
  it('takes a never-probed target as healthy on its first success, with its version', () => {
    const h = fold([ok(1, 12, '1.0.0')]);
    expect(h).toMatchObject({ status: 'healthy', version: '1.0.0', consecutiveSuccesses: 1, since: 1 });
    expect(h.reason).toBe('HTTP 200 in 12ms');
  });

  it('is degraded below the unhealthy threshold and down at it, naming the failure', () => {
    const steps = [ok(1), fail(2), fail(3), fail(4)].map((_, i, all) => fold(all.slice(0, i + 1)).status);
    expect(steps).toEqual(['healthy', 'degraded', 'degraded', 'down']);
    const down = fold([ok(1), fail(2), fail(3), fail(4, 'timed out after 1000ms')]);
    expect(down.reason).toBe('timed out after 1000ms (3 consecutive failures)');
    expect(down.since).toBe(4);
  });

  it('a single success between failures resets the count (one blip is not down)', () => {
    expect(fold([ok(1), fail(2), fail(3), ok(4), fail(5), fail(6)]).status).toBe('degraded');
  });

  it('needs healthyThreshold successes to come back from down, and falls straight back on a failure while rising', () => {
    const down = fold([fail(1), fail(2), fail(3)]);
    expect(down.status).toBe('down');
    const rising = applyProbe(down, ok(4), t);
    expect(rising.status).toBe('degraded');
    expect(rising.reason).toMatch(/recovering \(1 of 2/);
    expect(applyProbe(rising, fail(5), t).status).toBe('down');
    expect(applyProbe(rising, ok(5), t).status).toBe('healthy');
  });

  it('marks a slow success degraded with the measured value and the limit', () => {
    const h = fold([ok(1, 2500)]);
    expect(h.status).toBe('degraded');
    expect(h.reason).toBe('slow: 2500ms > 2000ms');
  });

  it('keeps the last known version when a failed probe reports none', () => {
    expect(fold([ok(1, 5, '2.0.0'), fail(2)]).version).toBe('2.0.0');
  });
});

describe('overallStatus', () => {
  it('is the worst of its targets', () => {
    expect(overallStatus(['healthy', 'degraded'])).toBe('degraded');
    expect(overallStatus(['healthy', 'down', 'degraded'])).toBe('down');
    expect(overallStatus(['healthy', 'healthy'])).toBe('healthy');
    expect(overallStatus(['healthy', 'unknown'])).toBe('unknown');
    expect(overallStatus([])).toBe('unknown');
  });
});
