// The demo traffic generator against real weather-app child processes: exact accounting,
// bounded concurrency, and surviving (then following) a target that goes away.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSampleTarget, type SampleTarget } from '../../src/demo/sampleTarget.js';
import { startTraffic, type TrafficGenerator, type TrafficStats } from '../../src/demo/traffic.js';

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const settled = (s: TrafficStats) => s.ok + s.errors + s.failed === s.sent && s.inFlight === 0;

describe('startTraffic', () => {
  let app: SampleTarget;
  const generators: TrafficGenerator[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    app = await startSampleTarget({ version: '1.0.0' });
  });
  afterEach(async () => {
    await Promise.all(generators.splice(0).map((g) => g.stop()));
    await app.setFaults({ errorRatio: 0, latencyMs: 0, failHealth: false });
    expect(unhandled).toEqual([]);
  });
  afterAll(async () => {
    await app?.stop();
    process.off('unhandledRejection', onUnhandled);
  });

  it('sends a bounded, fully accounted stream of requests', async () => {
    const traffic = startTraffic({
      target: () => app.url,
      rps: 100,
      maxRequests: 100,
      paths: ['/', '/healthz', '/?city=Oslo'],
    });
    generators.push(traffic);
    await waitFor(() => traffic.stats().sent >= 100 && settled(traffic.stats()), '100 settled requests');
    const stats = traffic.stats();
    expect(stats.sent).toBe(100);
    expect(stats.ok).toBe(stats.sent - stats.errors);
    expect(stats).toMatchObject({ errors: 0, failed: 0, dropped: 0, byStatus: { '200': 100 } });
    await traffic.stop();
  });

  it('counts HTTP errors separately from network failures', async () => {
    await app.setFaults({ errorRatio: 0.2 });
    const traffic = startTraffic({ target: () => app.url, rps: 200, maxRequests: 100 });
    generators.push(traffic);
    await waitFor(() => traffic.stats().sent >= 100 && settled(traffic.stats()), '100 settled requests');
    expect(traffic.stats()).toMatchObject({
      sent: 100,
      ok: 80,
      errors: 20,
      failed: 0,
      byStatus: { '200': 80, '500': 20 },
    });
  });

  it('caps in-flight requests against a slow target', async () => {
    await app.setFaults({ latencyMs: 300 });
    const traffic = startTraffic({ target: () => app.url, rps: 200, maxInFlight: 5 });
    generators.push(traffic);
    let maxSeen = 0;
    await waitFor(() => {
      maxSeen = Math.max(maxSeen, traffic.stats().inFlight);
      return traffic.stats().dropped > 0 && traffic.stats().ok > 0;
    }, 'dropped requests');
    expect(maxSeen).toBeLessThanOrEqual(5);
    await traffic.stop();
    expect(traffic.stats()).toMatchObject({ inFlight: 0, failed: 0 });
    expect(traffic.stats().sent).toBe(traffic.stats().ok);
  });

  it('survives a target that goes away and follows a new one', async () => {
    const first = await startSampleTarget({ version: '1.1.0' });
    const second = await startSampleTarget({ version: '1.2.0' });
    try {
      let current: string | undefined = first.url;
      const traffic = startTraffic({ target: () => current, rps: 100, timeoutMs: 2_000 });
      generators.push(traffic);
      await waitFor(() => traffic.stats().ok >= 5, 'successful requests');

      await first.stop();
      await waitFor(() => traffic.stats().failed >= 3, 'failed requests after the target stopped');
      expect(traffic.stats().errors).toBe(0);

      current = second.url;
      const okBefore = traffic.stats().ok;
      await waitFor(() => traffic.stats().ok >= okBefore + 5, 'requests to the new target');

      await expect(traffic.stop()).resolves.toBeUndefined();
      const final = traffic.stats();
      expect(final.inFlight).toBe(0);
      expect(final.ok + final.errors + final.failed).toBe(final.sent);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  }, 20_000);

  it('sends nothing while the target is undefined', async () => {
    let calls = 0;
    const traffic = startTraffic({ target: () => (++calls <= 10 ? undefined : app.url), rps: 200 });
    generators.push(traffic);
    await waitFor(() => traffic.stats().ok >= 5, 'requests once a target is set');
    // Read in the same tick as `calls`: every call after the first 10 produced one request.
    const { sent, dropped } = traffic.stats();
    expect(sent + dropped).toBe(calls - 10);
  });

  it('rejects a non-positive rate', () => {
    expect(() => startTraffic({ target: () => app.url, rps: 0 })).toThrow(RangeError);
  });
});
