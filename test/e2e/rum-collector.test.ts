// The collector as a site meets it: the built `prodx collect` on a free loopback port, real HTTP
// requests shaped like sendBeacon's, and `prodx rum report --json` reading what it stored.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnProdx, type ProdxChild } from '../support/canary.js';
import { prodx } from '../support/cli.js';
import { rumProject } from '../support/rum.js';
import { burstThenSigterm, send } from '../support/http.js';

const ORIGIN = 'https://weather.example';

const project = (collector: Record<string, unknown> = {}) => rumProject({ allowedOrigins: [ORIGIN], ...collector });

const running: ProdxChild[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) {
    c.child.kill('SIGKILL');
    await c.exited;
  }
});

async function collector(collectorConfig: Record<string, unknown> = {}) {
  const p = project(collectorConfig);
  const child = spawnProdx(['collect', '--json', '--config', p.config]);
  running.push(child);
  const line = await child.waitForLine((l) => typeof l['url'] === 'string', 'the collector to listen');
  return { ...p, child, url: line['url'] as string };
}

let ids = 0;
const vital = (name: string, value: number, extra: Record<string, unknown> = {}) => ({
  name,
  value,
  rating: 'good',
  delta: value,
  id: `v6-${Date.now()}-${ids++}`,
  navigationType: 'navigate',
  navigationId: 1,
  navigationURL: 'https://weather.example/radar',
  device: 'desktop',
  sessionId: 's1',
  ...extra,
});
const beacon = { 'content-type': 'text/plain;charset=UTF-8' };
const report = async (config: string) =>
  JSON.parse((await prodx(['rum', 'report', '--json', '--window', '1h', '--config', config])).stdout) as {
    events: number;
    metrics: { name: string; count: number; p75: number }[];
  };

describe('prodx collect', () => {
  it('stores sendBeacon text/plain, application/json, typeless bodies and NDJSON; GET / answers its status', async () => {
    const c = await collector();
    expect((await send(c.url, { body: JSON.stringify([vital('LCP', 1000), vital('CLS', 0.01)]), headers: beacon })).status).toBe(200);
    expect((await send(c.url, { body: JSON.stringify(vital('LCP', 2000)), headers: { 'content-type': 'application/json' } })).status).toBe(
      200,
    );
    expect((await send(c.url, { body: JSON.stringify(vital('LCP', 3000)) })).status).toBe(200);
    const nd = [vital('INP', 80), vital('INP', 120)].map((e) => JSON.stringify(e)).join('\n');
    expect((await send(c.url, { body: nd, headers: { 'content-type': 'application/x-ndjson' } })).body).toEqual({ ok: true, accepted: 2 });
    expect((await send(c.url, { body: '{}', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    const st = await send(c.url, { method: 'GET', path: '/' });
    expect(st.body).toMatchObject({ ok: true, service: 'prodx-collector', stored: 6, rejected: 0 });
    const r = await report(c.config);
    expect(Object.fromEntries(r.metrics.map((m) => [m.name, m.count]))).toEqual({ LCP: 3, INP: 2, CLS: 1 });
  });

  it('answers a preflight with the exact origin and credentials, never *; refuses other origins', async () => {
    const c = await collector();
    const pre = await send(c.url, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(pre.headers['access-control-allow-credentials']).toBe('true');
    expect(String(pre.headers['access-control-allow-headers'])).toContain('content-type');
    const post = await send(c.url, { body: JSON.stringify([vital('LCP', 900)]), headers: { ...beacon, origin: ORIGIN } });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe(ORIGIN);
    const evil = await send(c.url, { body: JSON.stringify([vital('LCP', 1)]), headers: { ...beacon, origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('400 for bad JSON and unknown shapes, storing the valid events of the batch and counting the rest by reason', async () => {
    const c = await collector();
    const mixed = JSON.stringify([
      vital('LCP', 1500),
      vital('TBT', 10),
      vital('LCP', Number.MAX_VALUE),
      { nope: 1 },
      vital('CLS', -1),
      vital('LCP', 1700),
    ]);
    const a = await send(c.url, { body: mixed, headers: beacon });
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({
      ok: false,
      accepted: 2,
      rejected: 4,
      reasons: { 'unknown-metric': 1, 'out-of-range': 2, 'unknown-type': 1 },
    });
    const truncated = `${JSON.stringify(vital('LCP', 1600))}\n{"name":"LCP","val`;
    expect((await send(c.url, { body: truncated, headers: beacon })).body).toMatchObject({
      accepted: 1,
      rejected: 1,
      reasons: { 'bad-json': 1 },
    });
    expect((await send(c.url, { body: 'NaN', headers: beacon })).status).toBe(400);
    const huge = JSON.stringify([vital('LCP', 1000, { id: 'x'.repeat(100_000) })]);
    expect((await send(c.url, { body: huge, headers: beacon })).body).toMatchObject({ accepted: 0, reasons: { 'too-long': 1 } });
    const r = await report(c.config);
    expect(r.metrics).toEqual([expect.objectContaining({ name: 'LCP', count: 3 })]);
    const st = await send(c.url, { method: 'GET', path: '/' });
    expect(st.body).toMatchObject({
      stored: 3,
      rejectedBy: { 'unknown-metric': 1, 'out-of-range': 2, 'unknown-type': 1, 'bad-json': 2, 'too-long': 1 },
    });
  });

  it('413 over maxBodyBytes, 401 without the token (header or ?token=), 429 over the rate with Retry-After', async () => {
    const c = await collector({ token: 's3cret', maxBodyBytes: 65_536, ratePerClient: 1, burst: 3 });
    const big = JSON.stringify(Array.from({ length: 400 }, () => vital('LCP', 1000, { page: 'p'.repeat(150) })));
    expect(big.length).toBeGreaterThan(65_536);
    expect((await send(c.url, { path: '/v1/rum?token=s3cret', body: big, headers: beacon })).status).toBe(413);
    expect((await send(c.url, { body: JSON.stringify([vital('LCP', 1)]), headers: beacon })).status).toBe(401);
    expect((await send(c.url, { body: JSON.stringify([vital('LCP', 1)]), headers: { ...beacon, 'x-prodx-token': 'wrong' } })).status).toBe(
      401,
    );
    expect((await send(c.url, { path: '/v1/rum?token=s3cret', body: JSON.stringify([vital('LCP', 1)]), headers: beacon })).status).toBe(
      200,
    );
    const statuses: number[] = [];
    let retryAfter: unknown;
    for (let i = 0; i < 6; i++) {
      const a = await send(c.url, { body: JSON.stringify([vital('LCP', 1)]), headers: { ...beacon, authorization: 'Bearer s3cret' } });
      statuses.push(a.status);
      if (a.status === 429) retryAfter = a.headers['retry-after'];
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('takes concurrent keep-alive clients, and SIGTERM during a burst loses nothing it answered 200', async () => {
    const c = await collector({ ratePerClient: 100_000, burst: 100_000 });
    const { answered, exit } = await burstThenSigterm(
      c.child,
      async (agent) => {
        const batch = Array.from({ length: 10 }, () => vital('LCP', 500 + Math.random() * 3000));
        const a = await send(c.url, { body: JSON.stringify(batch), headers: beacon, agent });
        return a.status === 200 ? ((a.body['accepted'] as number) ?? 0) : 0;
      },
      2000,
    );
    expect(exit.code).toBe(0);
    expect(answered).toBeGreaterThanOrEqual(2000);
    const r = await report(c.config);
    // every answered event is stored; nothing is counted twice
    expect(r.metrics[0]!.count).toBe(answered);
  });
});
