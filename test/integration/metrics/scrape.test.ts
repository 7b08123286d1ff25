// The scrape provider against two real sample apps: measured error rate and p95 from real
// /metrics scrapes, a restarted target's counter reset, and targets whose /metrics is missing,
// not Prometheus text, or unreachable — each an explained, inconclusive interval.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleTarget, type SampleTarget } from '../../../src/demo/sampleTarget.js';
import { createScrapeProvider } from '../../../src/adapters/metrics/scrapeProvider.js';
import { diff, type MetricTarget, type Snapshot } from '../../../src/core/canary/metrics.js';
import { judgeInterval, stepVerdict, type Measurement } from '../../../src/core/canary/judge.js';

/** `n` GETs of `/`, ten at a time; returns how many answered 5xx. */
async function drive(url: string, n: number): Promise<number> {
  let errors = 0;
  for (let sent = 0; sent < n; sent += 10) {
    const batch = Array.from({ length: Math.min(10, n - sent) }, async () => {
      const res = await fetch(`${url}/?city=Oslo`);
      await res.arrayBuffer();
      if (res.status >= 500) errors++;
    });
    await Promise.all(batch);
  }
  return errors;
}

describe('scrape provider against real sample apps', () => {
  let stable: SampleTarget;
  let canary: SampleTarget;
  const started: SampleTarget[] = [];
  const provider = createScrapeProvider({ env: 'production', timeoutMs: 2_000 });
  const as = (colour: string, t: SampleTarget): MetricTarget => ({ colour, url: t.url });

  beforeAll(async () => {
    [stable, canary] = await Promise.all([
      startSampleTarget({ name: 'blue', version: '1.0.0' }),
      startSampleTarget({ name: 'green', version: '1.1.0' }),
    ]);
    started.push(stable, canary);
  });
  afterAll(async () => {
    await Promise.all(started.map((t) => t.stop()));
  });

  it('measures the error rate and p95 of one interval, and the judge fails a 20% canary', async () => {
    await canary.setFaults({ errorRatio: 0.2, latencyMs: 120 });
    const before = await Promise.all([provider.sample(as('blue', stable)), provider.sample(as('green', canary))]);
    const served = await Promise.all([drive(stable.url, 200), drive(canary.url, 100)]);
    const after = await Promise.all([provider.sample(as('blue', stable)), provider.sample(as('green', canary))]);
    const [s, c] = [diff(before[0], after[0]), diff(before[1], after[1])] as [Measurement, Measurement];

    expect(served).toEqual([0, 20]);
    expect(s).toMatchObject({ requests: 200, errors: 0 });
    expect(c).toMatchObject({ requests: 100, errors: 20 });
    // every canary request took 120ms+: all in the (0.1s, 0.25s] bucket, so p95 interpolates to
    // 0.1 + 0.15 * 0.95 s
    expect(c.p95Ms).toBeCloseTo((0.1 + 0.15 * 0.95) * 1000, 6);
    expect(s.p95Ms!).toBeLessThan(100);

    const results = judgeInterval(c, s, { maxErrorRate: 0.02, maxP95Ms: 2000, minRequests: 50 });
    expect(results.find((r) => r.rule === 'error-rate')).toMatchObject({ verdict: 'fail', value: 0.2, reason: 'error rate 20.0% > 2.0%' });
    expect(stepVerdict(results, 1, 1)).toMatchObject({ action: 'abort' });
    await canary.setFaults({ errorRatio: 0, latencyMs: 0 });
  });

  it('handles a restarted target: unreachable while down, then the reset counters are the interval', async () => {
    const t = await startSampleTarget({ name: 'restarting', version: '1.0.0' });
    started.push(t);
    const target = as('green', t);
    await drive(t.url, 60);
    const before = await provider.sample(target);
    expect(before).toMatchObject({ kind: 'cumulative', requests: 60 });

    await t.stop();
    const down = await provider.sample(target);
    expect(down.kind).toBe('unavailable');
    // refused on a new connection; reset when the kept-alive one the last scrape used is closed
    // under it (which of the two depends on when the client sees the close: both are the truth)
    expect((down as { reason: string }).reason).toMatch(
      new RegExp(`^${t.url.replace(/\./g, '\\.')}/metrics is unreachable \\(connection (refused|reset by the target)\\)$`),
    );
    expect(diff(before, down)).toEqual({ missing: (down as { reason: string }).reason });

    // the restarted process comes back on a new free port (reusing the old one could race with
    // other tests' servers); for the provider it is the same colour with counters back at zero
    const again = await startSampleTarget({ name: 'restarting', version: '1.0.1' });
    started.push(again);
    await drive(again.url, 25);
    const after = await provider.sample({ ...target, url: again.url });
    expect(after).toMatchObject({ kind: 'cumulative', requests: 25 });
    // 60 before, 25 after: a reset, not -35 requests
    expect(diff(before, after)).toMatchObject({ requests: 25, errors: 0 });
  });

  it('explains a missing /metrics, a body that is not Prometheus text, and no traffic — never a pass', async () => {
    const rules = { maxErrorRate: 0.02, maxP95Ms: 2000, minRequests: 0 };
    const missing = await createScrapeProvider({ env: 'production', path: '/nothing-here' }).sample(as('green', canary));
    expect(missing).toMatchObject({
      kind: 'unavailable',
      reason: `${canary.url}/nothing-here answered HTTP 404: serve Prometheus metrics there or correct environments.production.metrics.path`,
    });
    const json = await createScrapeProvider({ env: 'production', path: '/version' }).sample(as('green', canary));
    expect(json.kind).toBe('unavailable');
    expect((json as { reason: string }).reason).toMatch(
      /\/version is not Prometheus text \(application\/json\): point environments\.production\.metrics\.path/,
    );

    for (const s of [missing, json]) {
      const results = judgeInterval(diff(s, s), diff(null, s), rules);
      expect(results.every((r) => r.verdict === 'inconclusive')).toBe(true);
      expect(stepVerdict(results, 0, 0).action).toBe('hold');
    }

    const idle: Snapshot = await provider.sample(as('blue', stable));
    const quiet = diff(idle, await provider.sample(as('blue', stable)));
    expect(quiet).toMatchObject({ requests: 0, errors: 0, p95Ms: null });
    const results = judgeInterval(quiet, quiet, rules);
    expect(results.map((r) => r.verdict)).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
    expect(results[0]!.reason).toBe('no traffic to the canary this interval');
  });
});
