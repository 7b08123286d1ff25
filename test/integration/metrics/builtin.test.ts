// The builtin provider against a real builtin router in front of two real sample apps: the
// router's per-upstream counters and latency histogram, diffed into one interval.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltinRouter, type BuiltinRouter } from '../../../src/adapters/routers/builtin/server.js';
import { startSampleTarget, type SampleTarget } from '../../../src/demo/sampleTarget.js';
import { createBuiltinProvider } from '../../../src/adapters/metrics/builtin.js';
import { diff } from '../../../src/core/canary/metrics.js';
import type { Measurement } from '../../../src/core/canary/judge.js';
import { freePort } from '../../support/load.js';

async function drive(url: string, n: number): Promise<void> {
  for (let sent = 0; sent < n; sent += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, n - sent) }, async () => {
        await (await fetch(`${url}/?city=Rome`)).arrayBuffer();
      }),
    );
  }
}

describe('builtin provider against a real builtin router', () => {
  let blue: SampleTarget;
  let green: SampleTarget;
  let router: BuiltinRouter;
  let admin = '';

  beforeAll(async () => {
    [blue, green] = await Promise.all([
      startSampleTarget({ name: 'blue', version: '1.0.0' }),
      startSampleTarget({ name: 'green', version: '1.1.0', errorRatio: 0.2, latencyMs: 120 }),
    ]);
    const local = { host: '127.0.0.1', port: 0 };
    router = await startBuiltinRouter({
      listen: local,
      admin: local,
      upstreams: { blue: blue.url, green: green.url },
      weights: { blue: 50, green: 50 },
    });
    admin = new URL(router.adminUrl).host;
  });
  afterAll(async () => {
    await router?.close();
    await Promise.all([blue?.stop(), green?.stop()]);
  });

  it("measures each upstream's requests, 5xx share and p95 over an interval", async () => {
    const provider = createBuiltinProvider({ admin, env: 'production' });
    const targets = [
      { colour: 'blue', url: blue.url },
      { colour: 'green', url: green.url },
    ];
    await drive(router.url, 20); // earlier traffic, which the interval must leave out
    const before = await Promise.all(targets.map((t) => provider.sample(t)));
    await drive(router.url, 200);
    const after = await Promise.all(targets.map((t) => provider.sample(t)));
    const [b, g] = [diff(before[0]!, after[0]!), diff(before[1]!, after[1]!)] as [Measurement, Measurement];

    expect(b.requests + g.requests).toBe(200);
    expect(g.requests).toBeGreaterThanOrEqual(90);
    expect(g.requests).toBeLessThanOrEqual(110);
    expect(b.errors).toBe(0);
    expect(g.errors / g.requests).toBeCloseTo(0.2, 1);
    // every green response took 120ms+: all in the router's (0.1s, 0.2s] bucket
    expect(g.p95Ms).toBeCloseTo((0.1 + 0.1 * 0.95) * 1000, 6);
    expect(b.p95Ms!).toBeLessThan(100);
  });

  it('explains an unknown colour and an unreachable router', async () => {
    const unknown = await createBuiltinProvider({ admin }).sample({ colour: 'red', url: 'http://127.0.0.1:1' });
    expect(unknown).toMatchObject({
      kind: 'unavailable',
      reason: `the builtin router at ${admin} has no upstream "red" (it routes to blue, green)`,
    });
    const port = await freePort();
    const down = await createBuiltinProvider({ admin: `127.0.0.1:${port}`, env: 'production' }).sample({ colour: 'blue', url: blue.url });
    expect(down.kind).toBe('unavailable');
    expect((down as { reason: string }).reason).toMatch(
      /^the builtin router's admin endpoint at 127\.0\.0\.1:\d+ is not answering \(connection refused\): start it with `prodx router --env production`/,
    );
  });
});
