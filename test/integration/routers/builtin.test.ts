// The builtin router in front of real sample apps (child processes): weights, a switch and an
// upstream death under keep-alive load, WebSocket pass-through, the admin endpoint, the weights
// file, the TrafficRouter client, and `prodx router` as a real child process.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { WebSocket, WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltinRouter, type BuiltinRouter, type BuiltinRouterOptions } from '../../../src/adapters/routers/builtin/server.js';
import { createBuiltinRouterClient, readBuiltinStats } from '../../../src/adapters/routers/builtin/client.js';
import { writeState } from '../../../src/adapters/state/stateFile.js';
import { emptyEnvironmentState } from '../../../src/core/state/schema.js';
import { ProdxError } from '../../../src/core/errors.js';
import { startSampleTarget, type SampleTarget } from '../../../src/demo/sampleTarget.js';
import { startRouterProcess } from '../../../src/demo/router.js';
import { expectNoStack, prodx, tempDir, writeConfig } from '../../support/cli.js';

interface Reply {
  status: number;
  body: string;
  version?: string;
  socket?: Socket;
}

function send(url: string, opts: { method?: string; body?: string; agent?: http.Agent } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', agent: opts.agent ?? false }, (res) => {
      const socket = res.socket; // taken now: a keep-alive socket is detached once the body ends
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const version = /"version":"([^"]+)"/.exec(body)?.[1];
        resolve({ status: res.statusCode ?? 0, body, ...(version ? { version } : {}), socket });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const tally = (versions: (string | undefined)[]) =>
  versions.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v ?? '?']: (acc[v ?? '?'] ?? 0) + 1 }), {});
const sequential = async (url: string, n: number) => {
  const replies: Reply[] = [];
  for (let i = 0; i < n; i++) replies.push(await send(url));
  return replies;
};

/**
 * A steady keep-alive load that never retries: `perTick` requests every 10ms until `count` are
 * sent. Requests sent after mark() are flagged, to check where traffic goes after a change.
 */
function startLoad(url: string, count: number, perTick = 3) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const r = { sent: 0, ok: 0, failed: 0, failures: [] as string[], versions: [] as string[], afterMark: [] as string[] };
  let marked = false;
  const done = new Promise<typeof r>((resolve) => {
    const timer = setInterval(() => {
      for (let i = 0; i < perTick && r.sent < count; i++) {
        r.sent += 1;
        const after = marked;
        const failed = (why: string) => {
          r.failed += 1;
          r.failures.push(why);
        };
        send(url, { agent }).then(
          (reply) => {
            if (reply.status !== 200 || !reply.version) return failed(`HTTP ${reply.status} ${reply.body}`);
            r.ok += 1;
            r.versions.push(reply.version);
            if (after) r.afterMark.push(reply.version);
          },
          (err: Error) => failed(err.message),
        );
      }
      if (r.sent >= count && r.ok + r.failed === count) {
        clearInterval(timer);
        agent.destroy();
        resolve(r);
      }
    }, 10);
  });
  return { done, sent: () => r.sent, mark: () => (marked = true) };
}

const dirs: string[] = [];
/** A config (in a fresh folder) whose production environment has the given router. */
function configWithRouter(targets: Record<string, string>, router: Record<string, unknown>): string {
  const path = writeConfig(targets);
  dirs.push(dirname(path));
  const config = JSON.parse(readFileSync(path, 'utf8')) as { environments: { production: Record<string, unknown> } };
  config.environments.production['router'] = router;
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const adminOf = (router: { adminUrl: string }) => new URL(router.adminUrl).host;
const local = { host: '127.0.0.1', port: 0 };

describe('builtin router', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let blue: SampleTarget;
  let green: SampleTarget;
  let router: BuiltinRouter;
  const start = async (o: Partial<BuiltinRouterOptions> = {}) => {
    const r = await startBuiltinRouter({
      listen: local,
      admin: local,
      upstreams: { blue: blue.url, green: green.url },
      weights: { blue: 100, green: 0 },
      ...o,
    });
    cleanups.push(() => r.close());
    return r;
  };
  const client = () => createBuiltinRouterClient({ admin: adminOf(router) });

  beforeAll(async () => {
    [blue, green] = await Promise.all([
      startSampleTarget({ name: 'blue', version: '1.0.0' }),
      startSampleTarget({ name: 'green', version: '2.0.0' }),
    ]);
    cleanups.push(
      () => blue.stop(),
      () => green.stop(),
    );
    router = await start();
  });
  afterAll(async () => {
    for (const stop of cleanups.reverse()) await stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('sends every request to blue at 100/0, many of them over one client connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const replies = await Promise.all(Array.from({ length: 50 }, () => send(router.url, { agent })));
    agent.destroy();
    expect(tally(replies.map((r) => r.version))).toEqual({ '1.0.0': 50 });
    const sockets = new Set(replies.map((r) => r.socket));
    expect(sockets.size).toBe(1);
    expect([...sockets][0]).toBeTruthy();
  });

  it('switches to green under keep-alive load without a single failed request', async () => {
    const load = startLoad(router.url, 900);
    await waitFor(() => load.sent() >= 300, '300 requests sent before the switch');
    await client().apply({ blue: 0, green: 100 });
    load.mark();
    const r = await load.done;
    console.log(`switch under load: ${r.sent} sent, ${r.ok} ok, ${r.failed} failed`, tally(r.versions));
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({ sent: 900, ok: 900, failed: 0 });
    expect(Object.keys(tally(r.versions)).sort()).toEqual(['1.0.0', '2.0.0']);
    expect(r.afterMark.length).toBeGreaterThan(100);
    expect(tally(r.afterMark)).toEqual({ '2.0.0': r.afterMark.length });
    expect(tally((await sequential(router.url, 20)).map((x) => x.version))).toEqual({ '2.0.0': 20 });
  });

  it('splits 10/90 into exactly 10 and 90 of 100 requests, and counts them per upstream', async () => {
    await client().apply({ blue: 10, green: 90 });
    const before = await readBuiltinStats({ admin: adminOf(router) });
    const replies = await sequential(router.url, 100);
    expect(tally(replies.map((r) => r.version))).toEqual({ '1.0.0': 10, '2.0.0': 90 });
    const after = await readBuiltinStats({ admin: adminOf(router) });
    const delta = (c: string) => after.upstreams[c]!.requests - before.upstreams[c]!.requests;
    expect([delta('blue'), delta('green')]).toEqual([10, 90]);
    expect(after.weights).toEqual({ blue: 10, green: 90 });
    expect(after.upstreams['green']).toMatchObject({ errors: 0, failures: 0, p50Ms: expect.any(Number), p99Ms: expect.any(Number) });
    expect(after.upstreams['green']!.byStatus['2xx']! - (before.upstreams['green']!.byStatus['2xx'] ?? 0)).toBe(90);
    expect(after.uptimeSeconds).toBeGreaterThan(0);
  });

  it('rejects bad admin input with 400 and keeps the weights', async () => {
    const put = (body: string) => send(`${router.adminUrl}/weights`, { method: 'PUT', body });
    const cases: [string, RegExp][] = [
      ['{"blue": 60, "green": 30}', /add up to 100, got 90/],
      ['{"blue": 50, "purple": 50}', /unknown colour "purple"/],
      ['{"blue": ', /not valid JSON/],
      ['[100]', /JSON object of colour/],
      ['{"blue": "100"}', /whole number/],
    ];
    for (const [body, error] of cases) {
      const reply = await put(body);
      expect(reply.status, body).toBe(400);
      expect((JSON.parse(reply.body) as { error: string }).error).toMatch(error);
    }
    expect(JSON.parse((await send(`${router.adminUrl}/weights`)).body)).toEqual({ blue: 10, green: 90 });
    await expect(client().apply({ blue: 50, purple: 50 })).rejects.toMatchObject({ code: 'router-rejected' });
    await expect(client().apply({ blue: 50, green: 40 })).rejects.toMatchObject({ code: 'weights-invalid' });
    expect(await client().read()).toEqual({ blue: 10, green: 90 });
    expect((await send(`${router.adminUrl}/nope`)).status).toBe(404);
    expect((await send(`${router.adminUrl}/stats`, { method: 'DELETE' })).status).toBe(405);
  });

  it('serves Prometheus text with per-upstream counters, and a health check', async () => {
    const stats = await readBuiltinStats({ admin: adminOf(router) });
    const metrics = (await send(`${router.adminUrl}/metrics`)).body;
    for (const c of ['blue', 'green']) {
      expect(metrics).toContain(`prodx_router_requests_total{upstream="${c}"} ${stats.upstreams[c]!.requests}\n`);
      expect(metrics).toContain(
        `prodx_router_responses_total{upstream="${c}",status_class="2xx"} ${stats.upstreams[c]!.byStatus['2xx']}\n`,
      );
      expect(metrics).toContain(`prodx_router_errors_total{upstream="${c}",reason="proxy"} 0\n`);
      expect(metrics).toMatch(new RegExp(`prodx_router_request_duration_seconds_bucket\\{le="0.1",upstream="${c}"\\} \\d+`));
    }
    expect(metrics).toContain('prodx_router_weight{upstream="green"} 90\n');
    expect(JSON.parse((await send(`${router.adminUrl}/healthz`)).body)).toEqual({ status: 'ok' });
  });

  it('retries GETs on blue when green dies under load, and counts the failures on green', async () => {
    const doomed = await startSampleTarget({ name: 'doomed', version: '3.0.0' });
    cleanups.push(() => doomed.stop());
    const r2 = await start({ upstreams: { blue: blue.url, green: doomed.url }, weights: { blue: 50, green: 50 } });
    const load = startLoad(r2.url, 900);
    await waitFor(() => load.sent() >= 300, '300 requests sent before green dies');
    await doomed.stop();
    load.mark();
    const r = await load.done;
    const stats = await readBuiltinStats({ admin: adminOf(r2) });
    const g = stats.upstreams['green']!;
    console.log(`green dies under load: ${r.sent} sent, ${r.ok} ok, ${r.failed} failed; green failures ${g.failures}`, tally(r.versions));
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({ sent: 900, ok: 900, failed: 0 });
    expect(tally(r.afterMark)).toEqual({ '1.0.0': r.afterMark.length });
    expect(g.failures).toBeGreaterThan(0);
    expect(g.errors).toBe(g.failures);
    expect(g.requests).toBe((g.byStatus['2xx'] ?? 0) + g.failures); // every attempt accounted for
    expect(stats.upstreams['blue']!.failures).toBe(0);
    expect((stats.upstreams['blue']!.byStatus['2xx'] ?? 0) + (g.byStatus['2xx'] ?? 0)).toBe(900); // one answer per request
    // Not retried: a POST (not idempotent), and a GET with no other colour that has weight.
    await createBuiltinRouterClient({ admin: adminOf(r2) }).apply({ blue: 0, green: 100 });
    for (const method of ['POST', 'GET']) {
      const reply = await send(r2.url, { method, body: method === 'POST' ? '{}' : undefined });
      expect(reply.status).toBe(502);
      expect(JSON.parse(reply.body)).toEqual({ error: expect.stringMatching(/green failed \(ECONNREFUSED\)/) });
    }
  });

  it('passes WebSocket upgrades through to the upstream', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (ws) => ws.on('message', (data) => ws.send(`echo ${String(data)}`)));
    await new Promise((resolve) => wss.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => wss.close(resolve)));
    const r3 = await start({ upstreams: { echo: `http://127.0.0.1:${(wss.address() as AddressInfo).port}` }, weights: { echo: 100 } });
    const ws = new WebSocket(r3.url.replace('http:', 'ws:'));
    const received: string[] = [];
    ws.on('message', (data) => received.push(String(data)));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    for (const m of ['one', 'two', 'three']) ws.send(m);
    await waitFor(() => received.length === 3, 'three echoes');
    expect(received).toEqual(['echo one', 'echo two', 'echo three']);
    ws.close();
    expect((await readBuiltinStats({ admin: adminOf(r3) })).upstreams['echo']).toMatchObject({ requests: 1, failures: 0 });
  });

  it('keeps its weights across a restart through the weights file', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const weightsFile = join(dir, 'state', 'router-production.json');
    const first = await start({ weightsFile });
    await createBuiltinRouterClient({ admin: adminOf(first) }).apply({ blue: 30, green: 70 });
    expect(JSON.parse(readFileSync(weightsFile, 'utf8'))).toMatchObject({ weights: { blue: 30, green: 70 } });
    await first.close();
    const second = await start({ weightsFile, weights: { blue: 100, green: 0 } });
    expect(await createBuiltinRouterClient({ admin: adminOf(second) }).read()).toEqual({ blue: 30, green: 70 });
    writeFileSync(weightsFile, '{"weights": {"blue": 30');
    await expect(start({ weightsFile })).rejects.toMatchObject({
      code: 'router-weights-invalid',
      message: expect.stringContaining(weightsFile),
    });
  });

  it('client: reads, describes, verifies, and names the admin address and the fix when the router is down', async () => {
    await client().apply({ blue: 20, green: 80 });
    expect(await client().read()).toEqual({ blue: 20, green: 80 });
    expect(client().describe({ blue: 0, green: 100 })[0]).toContain(`PUT http://${adminOf(router)}/weights {"blue":0,"green":100}`);
    const gone = await startBuiltinRouter({ listen: local, admin: local, upstreams: { blue: blue.url }, weights: { blue: 100 } });
    await gone.close();
    const err: unknown = await createBuiltinRouterClient({ admin: adminOf(gone), env: 'staging' })
      .read()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProdxError);
    expect(err).toMatchObject({ code: 'router-unreachable', exitCode: 1 });
    expect((err as Error).message).toContain(`${adminOf(gone)} is not answering (connection refused)`);
    expect((err as Error).message).toContain('prodx router --env staging');
    // apply() verifies by reading back: an admin endpoint that ignores the PUT is caught.
    const ignoring = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"blue":100}'));
    await new Promise<void>((resolve) => ignoring.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => ignoring.close(resolve)));
    const fake = createBuiltinRouterClient({ admin: `127.0.0.1:${(ignoring.address() as AddressInfo).port}` });
    await expect(fake.apply({ blue: 0, green: 100 })).rejects.toMatchObject({ code: 'router-verify-failed' });
  });

  it('runs as `prodx router` in a child process: live colour first, then its own weights file', async () => {
    const configPath = configWithRouter(
      { blue: blue.url, green: green.url },
      { type: 'builtin', listen: '127.0.0.1:0', admin: '127.0.0.1:0' },
    );
    const stateDir = join(configPath, '..', '.prodx');
    await writeState(stateDir, (s) => ({
      ...s,
      environments: { production: { ...emptyEnvironmentState(), live: { colour: 'green', version: '2.0.0', since: 1 } } },
    }));
    const child = await startRouterProcess({ configPath, env: 'production' });
    cleanups.push(() => child.stop());
    expect(tally((await sequential(child.url, 5)).map((r) => r.version))).toEqual({ '2.0.0': 5 });
    await createBuiltinRouterClient({ admin: adminOf(child) }).apply({ blue: 100, green: 0 });
    // SIGTERM while a slow request is in flight: it still gets its answer, then the process exits.
    await blue.setFaults({ latencyMs: 300 });
    const slow = send(child.url);
    const blueRequests = async () => (await readBuiltinStats({ admin: adminOf(child) })).upstreams['blue']!.requests;
    await waitFor(async () => (await blueRequests()) === 1, 'the slow request to reach blue');
    await child.stop();
    await blue.setFaults({ latencyMs: 0 });
    expect(await slow).toMatchObject({ status: 200, version: '1.0.0' });
    expect(() => process.kill(child.pid, 0)).toThrow();
    const again = await startRouterProcess({ configPath, env: 'production', listen: '127.0.0.1:0' });
    cleanups.push(() => again.stop());
    expect(tally((await sequential(again.url, 5)).map((r) => r.version))).toEqual({ '1.0.0': 5 });
    expect(readFileSync(join(stateDir, 'router-production.json'), 'utf8')).toContain('"blue": 100');
  });

  it('refuses to run for an environment whose router is not builtin (exit 2, naming the path)', async () => {
    const configPath = configWithRouter({ blue: blue.url }, { type: 'nginx', upstreamFile: '/tmp/x.conf', upstream: 'weather' });
    const run = await prodx(['router', '--config', configPath]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('environments.production.router.type is "nginx"');
    expect(expectNoStack(run.stderr)).toBe(true);
    await expect(startRouterProcess({ configPath, env: 'production' })).rejects.toMatchObject({ code: 'router-start-failed' });
  });
});
