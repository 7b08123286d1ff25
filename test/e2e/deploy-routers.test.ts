// Blue-green deploys through the real binary, in front of a REAL nginx and a REAL HAProxy (each
// on free loopback ports with its own prefix/config/pid) and two real sample targets, under a
// steady keep-alive load (~200 rps) through the router's public port. The router config in
// prodx.config.json points at that nginx (upstream file, test/reload argv) or HAProxy (admin
// socket). Counts per step are printed; HAProxy must lose nothing, nginx (which reloads) may lose
// no more than a bare `nginx -s reload` measured in the same run.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHaproxyRouter, runtimeCommand } from '../../src/adapters/routers/haproxy.js';
import { createNginxRouter } from '../../src/adapters/routers/nginx.js';
import { renderUpstreamFile } from '../../src/adapters/routers/nginxConfig.js';
import { startSampleTarget, type SampleTarget } from '../../src/demo/sampleTarget.js';
import { prodx, tempDir, type RunResult } from '../support/cli.js';
import { childrenOf, startLoad, waitUntil, type LoadClient, type PhaseSummary } from '../support/load.js';
import { writeDeployConfig } from '../support/deployEnv.js';
import {
  NGINX,
  NGINX_WORKERS,
  nginxReloadsLogged,
  reloadCounter,
  startHaproxy,
  startNginx,
  type Haproxy,
  type Nginx,
} from '../support/servers.js';

const TOTAL_RPS = 200;
const AFTER_STEP_REQUESTS = 150;
const STEP_TIMEOUT_MS = 90_000;
/** a window long enough for two failed checks even on a loaded machine */
const BAD_POST_PROMOTION = { window: '20s', interval: '250ms', maxErrorRate: 0.02, minRequests: 5, failureLimit: 1 };
const HEALTH_GATE = /^green did not pass its health gate running 1\.2\.0-broken within 3s: HTTP 503 \(\d+ consecutive failures\)$/;
const ERROR_RATE = /^error rate \d+\.\d% > 2\.0% for 2 checks \(failureLimit 1\)$/;
const STEPS = ['deploy', 'rollback', 'broken', 'bad'] as const;

interface DeployEnv {
  dir: string;
  configPath: string;
  blue: SampleTarget;
  green: SampleTarget;
  configure(patch: Record<string, unknown>): void;
}

/** Two sample targets running 1.0.0, state saying blue 1.0.0 is live, and a config naming `router`. */
async function startTargets(): Promise<[SampleTarget, SampleTarget]> {
  return Promise.all([startSampleTarget({ name: 'blue', version: '1.0.0' }), startSampleTarget({ name: 'green', version: '1.0.0' })]);
}

async function writeEnv(dir: string, blue: SampleTarget, green: SampleTarget, router: Record<string, unknown>): Promise<DeployEnv> {
  const { configPath, configure } = await writeDeployConfig(dir, blue, green, router);
  return { dir, configPath, blue, green, configure };
}

/** The versions the router serves right now, over fresh connections (no pooled socket a reload may close). */
async function servedVersions(url: string, n = 20): Promise<Set<string>> {
  const one = () =>
    new Promise<string>((resolve, reject) => {
      const req = http.get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve(`${res.statusCode === 200 ? '' : `HTTP ${res.statusCode} `}${(JSON.parse(body) as { version: string }).version}`),
        );
      });
      req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
    });
  const out = new Set<string>();
  for (let i = 0; i < n; i++) out.add(await one());
  return out;
}

const status = async (env: DeployEnv) => JSON.parse((await prodx(['status', '--json', '--config', env.configPath])).stdout);

/**
 * Runs one prodx command under load: requests started while it runs belong to `name`; once it
 * exited and `settle` says the switch is complete, requests belong to `name:after` until every
 * client has settled AFTER_STEP_REQUESTS of them.
 */
async function step(name: string, clients: LoadClient[], run: () => Promise<RunResult>, settle: () => Promise<void>) {
  for (const c of clients) c.phase(name);
  const r = await run();
  await settle();
  const after = `${name}:after`;
  for (const c of clients) c.phase(after);
  await waitUntil(() => clients.every((c) => c.settled(after) >= AFTER_STEP_REQUESTS), `${AFTER_STEP_REQUESTS} requests after ${name}`);
  return { r, after };
}

/** Every answered request of the phase came from this version, and it had some. */
function expectAllFrom(client: LoadClient, version: string, phase: string) {
  const s = client.summary(phase);
  expect(s.requests).toBeGreaterThan(0);
  expect(s.versions).toEqual({ [version]: s.requests - s.failures });
}

/** HTTP 500s a sample target itself answered on "/" since it started (its http_requests_total). */
async function app500s(target: SampleTarget): Promise<number> {
  const text = await (await fetch(new URL('/metrics', target.url))).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('http_requests_total{') && l.includes('route="/"') && l.includes('status_code="500"'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

interface StepCount {
  during: PhaseSummary;
  after: PhaseSummary;
  /** failures the router caused: every failure but the app's own HTTP 500s */
  failures: number;
  app500: number;
}

/** Counts a step's failures, given how many of the client's requests the app itself answered with 500. */
function count(client: LoadClient, name: string, app500 = 0): StepCount {
  const during = client.summary(name);
  const after = client.summary(`${name}:after`);
  return { during, after, failures: during.failures - app500 + after.failures, app500 };
}

/**
 * During the `bad` deploy 1.3.0-bad answers 20% of its "/" requests with HTTP 500: the app's
 * errors, the point of that step, counted exactly by green's own metrics (`total`, over all
 * clients). A client whose only error kind is HTTP 500 had exactly its failures of them; the
 * other client had the rest. If both also saw other errors, none is excluded (an upper bound).
 */
function splitApp500s(total: number, clients: LoadClient[]): number[] {
  const during = clients.map((c) => c.summary('bad'));
  const only500 = during.map((s) => s.errors.every((e) => e === 'HTTP 500'));
  const known = during.findIndex((_, i) => only500[i]);
  if (clients.length === 1) return [total];
  if (known === -1) return during.map(() => 0);
  const rest = total - during[known]!.failures;
  return during.map((s, i) => (i === known ? s.failures : rest / (clients.length - 1)));
}

describe('prodx deploy / rollback through a real nginx under keep-alive load', () => {
  const dir = tempDir('prodx-e2e-nginx-');
  const prefix = join(dir, 'nginx');
  const conf = join(prefix, 'nginx.conf');
  const upstreamFile = join(prefix, 'weather-upstream.conf');
  const counter = reloadCounter(dir, join(dir, 'reloads.log'));
  let blue: SampleTarget | undefined;
  let green: SampleTarget | undefined;
  let nginx: Nginx | undefined;
  let env: DeployEnv;
  let url: string;
  let clients: { never: LoadClient; retry: LoadClient } | undefined;
  const all = () => Object.values(clients!);
  let weights: () => Promise<unknown>;
  let badApp500 = 0;

  /** Call before a step; resolves once only the newest generation of workers is left. */
  const workersSettle = () => {
    const master = nginx!.child.pid!;
    const before = childrenOf(master);
    return async () => {
      await waitUntil(
        () => {
          const now = childrenOf(master);
          return now.length === NGINX_WORKERS && now.every((p) => !before.includes(p));
        },
        'the old nginx workers to exit',
        15_000,
      );
      // read the closes the old workers sent before the next phase begins
      await new Promise((resolve) => setImmediate(resolve));
    };
  };
  const noReload = () => async () => undefined;

  beforeAll(async () => {
    mkdirSync(join(prefix, 'tmp'), { recursive: true });
    chmodSync(dir, 0o755); // nginx workers run as nobody when the test runs as root
    chmodSync(prefix, 0o755);
    [blue, green] = await startTargets();
    const targets = { blue: blue.url, green: green.url };
    writeFileSync(upstreamFile, renderUpstreamFile({ upstream: 'weather', weights: { blue: 100, green: 0 }, targets }));
    nginx = await startNginx(prefix, conf, upstreamFile);
    const router = {
      type: 'nginx',
      upstreamFile,
      upstream: 'weather',
      test: [NGINX, '-p', prefix, '-c', conf, '-t', '-q'],
      reload: [...counter.argv, NGINX, '-p', prefix, '-c', conf, '-s', 'reload'],
    };
    env = await writeEnv(dir, blue, green, router);
    const reader = createNginxRouter({ upstreamFile, upstream: 'weather', test: [], reload: [] }, targets);
    weights = () => reader.read();
    url = `http://127.0.0.1:${nginx.port}/`;
    const bounds = { url, rps: TOTAL_RPS / 2, maxRequests: 40_000, maxDurationMs: 240_000 };
    clients = { never: startLoad({ ...bounds, retry: 'never' }), retry: startLoad({ ...bounds, retry: 'reused-reset-once' }) };
    await waitUntil(() => all().every((c) => c.settled('start') >= 100), 'the load to be steady');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(Object.values(clients ?? {}).map((c) => c.stop()));
    await nginx?.stop();
    await Promise.all([blue?.stop(), green?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'measures a bare nginx -s reload under the same load as the baseline',
    async () => {
      const { after } = await step(
        'baseline',
        all(),
        async () => {
          await promisify(execFile)(NGINX, ['-p', prefix, '-c', conf, '-s', 'reload']);
          return { code: 0, stdout: '', stderr: '' };
        },
        workersSettle(),
      );
      for (const c of all()) expectAllFrom(c, '1.0.0', after);
      await waitUntil(() => nginxReloadsLogged(prefix) === 1, 'nginx to log the reload');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'deploy 1.1.0 exits 0 after one reload; afterwards every response is 1.1.0',
    async () => {
      const { r, after } = await step(
        'deploy',
        all(),
        () => prodx(['deploy', '1.1.0', '--json', '--config', env.configPath]),
        workersSettle(),
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: true,
        result: 'succeeded',
        deployment: { version: '1.1.0', toColour: 'green' },
        live: { colour: 'green', version: '1.1.0' },
      });
      expect(counter.count()).toBe(1);
      await waitUntil(() => nginxReloadsLogged(prefix) === 2, 'nginx to log the reload');
      expect(await weights()).toEqual({ blue: 0, green: 100 });
      for (const c of all()) expectAllFrom(c, '1.1.0', after);
      expect(await servedVersions(url)).toEqual(new Set(['1.1.0']));
      expect((await status(env)).live).toMatchObject({ colour: 'green', version: '1.1.0' });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'rollback exits 0 after one reload; afterwards every response is 1.0.0',
    async () => {
      const { r, after } = await step('rollback', all(), () => prodx(['rollback', '--json', '--config', env.configPath]), workersSettle());
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: true,
        undid: 'previous-colour',
        from: { colour: 'green', version: '1.1.0' },
        to: { colour: 'blue', version: '1.0.0' },
      });
      expect(counter.count()).toBe(2);
      await waitUntil(() => nginxReloadsLogged(prefix) === 3, 'nginx to log the reload');
      expect(await weights()).toEqual({ blue: 100, green: 0 });
      for (const c of all()) expectAllFrom(c, '1.0.0', after);
      expect(await servedVersions(url)).toEqual(new Set(['1.0.0']));
      expect((await status(env)).live).toMatchObject({ colour: 'blue', version: '1.0.0' });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'deploy 1.2.0-broken stops at the health gate with exit 1: no reload, no traffic to green, blue stays live',
    async () => {
      const fileBefore = readFileSync(upstreamFile);
      const { r, after } = await step(
        'broken',
        all(),
        () => prodx(['deploy', '1.2.0-broken', '--json', '--config', env.configPath]),
        noReload(),
      );
      expect(r.code, r.stderr).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ ok: false, result: 'failed', live: { colour: 'blue', version: '1.0.0' } });
      expect(out.reason).toMatch(HEALTH_GATE);
      expect(readFileSync(upstreamFile).equals(fileBefore)).toBe(true);
      expect(counter.count()).toBe(2);
      expect(nginxReloadsLogged(prefix)).toBe(3);
      // green runs 1.2.0-broken now: any request nginx sent it would show that version
      for (const c of all()) for (const phase of ['broken', after]) expectAllFrom(c, '1.0.0', phase);
      expect((await status(env)).live).toMatchObject({ colour: 'blue', version: '1.0.0' });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'deploy 1.3.0-bad is switched back automatically after the switch, exit 1 naming the error rate, two reloads',
    async () => {
      env.configure({ postPromotion: BAD_POST_PROMOTION });
      try {
        const app500Before = await app500s(green!);
        const { r, after } = await step(
          'bad',
          all(),
          () => prodx(['deploy', '1.3.0-bad', '--json', '--config', env.configPath]),
          workersSettle(),
        );
        expect(r.code, r.stderr).toBe(1);
        const out = JSON.parse(r.stdout);
        expect(out).toMatchObject({ ok: false, result: 'rolled-back', live: { colour: 'blue', version: '1.0.0' } });
        expect(out.reason).toMatch(ERROR_RATE);
        expect(counter.count()).toBe(4); // the switch and the switch back
        badApp500 = (await app500s(green!)) - app500Before;
        await waitUntil(() => nginxReloadsLogged(prefix) === 5, 'nginx to log the reloads');
        expect(await weights()).toEqual({ blue: 100, green: 0 });
        for (const c of all()) expectAllFrom(c, '1.0.0', after);
        // it did get traffic, and answered some of it with errors
        for (const c of all()) expect(c.summary('bad').versions['1.3.0-bad'] ?? 0).toBeGreaterThan(0);
        expect(await servedVersions(url)).toEqual(new Set(['1.0.0']));
        expect((await status(env)).live).toMatchObject({ colour: 'blue', version: '1.0.0' });
      } finally {
        env.configure({ postPromotion: undefined });
      }
    },
    STEP_TIMEOUT_MS,
  );

  it('loses no more requests than a bare reload (retry-once client) and prints the counts', async () => {
    await Promise.all(all().map((c) => c.stop()));
    const { never, retry } = clients!;
    const baseline = { never: count(never, 'baseline'), retry: count(retry, 'baseline') };
    const reloads: Record<string, number> = { baseline: 1, deploy: 1, rollback: 1, broken: 0, bad: 2 };
    const [never500, retry500] = splitApp500s(badApp500, [never, retry]);
    const rows = ['baseline', ...STEPS].map((s) => ({
      step: s,
      never: count(never, s, s === 'bad' ? never500 : 0),
      retry: count(retry, s, s === 'bad' ? retry500 : 0),
    }));
    console.log(`nginx: prodx deploy/rollback under ${TOTAL_RPS / 2} rps x 2 keep-alive clients (router failures / requests)`);
    console.table(
      rows.map((r) => ({
        step: r.step,
        reloads: reloads[r.step],
        'no retry': `${r.never.failures}/${r.never.during.requests + r.never.after.requests}`,
        'retry-once': `${r.retry.failures}/${r.retry.during.requests + r.retry.after.requests} (retried ${r.retry.during.retries + r.retry.after.retries})`,
        'app 500s (no retry / retry-once)': `${r.never.app500} / ${r.retry.app500}`,
        errors: [...new Set([...r.never.during.errors, ...r.never.after.errors, ...r.retry.during.errors, ...r.retry.after.errors])].join(
          '; ',
        ),
      })),
    );
    console.log(`  baseline bare reload: no retry ${baseline.never.failures}, retry-once ${baseline.retry.failures}`);
    console.log(
      `  1.3.0-bad answered ${badApp500} requests with HTTP 500 itself (green's metrics)${never500! + retry500! === 0 ? ': both clients also saw other errors, so the bad row counts them all (an upper bound)' : ''}`,
    );
    for (const r of rows.slice(1))
      expect(r.retry.failures, `${r.step}: retry-once failures vs ${reloads[r.step]} x baseline`).toBeLessThanOrEqual(
        reloads[r.step]! * baseline.retry.failures,
      );
    // no reload, no loss, even without retries; and nothing was lost before the first step
    expect(rows.find((r) => r.step === 'broken')!.never.failures).toBe(0);
    expect(never.summary('start').failures + retry.summary('start').failures).toBe(0);
    // the bad version really served traffic and its own errors, all of them seen by the clients
    const bad = rows.find((r) => r.step === 'bad')!;
    expect(badApp500).toBeGreaterThan(0);
    for (const c of [bad.never, bad.retry]) expect(c.app500).toBeLessThanOrEqual(c.during.failures);
    for (const c of [bad.never, bad.retry]) expect(c.app500).toBeGreaterThanOrEqual(0);
  });
});

describe('prodx deploy / rollback through a real HAProxy under keep-alive load', () => {
  const dir = tempDir('prodx-e2e-haproxy-');
  let blue: SampleTarget | undefined;
  let green: SampleTarget | undefined;
  let haproxy: Haproxy | undefined;
  let env: DeployEnv;
  let url: string;
  let load: LoadClient | undefined;
  const servers = { blue: 'blue', green: 'green' };
  const weights = () => createHaproxyRouter({ socket: haproxy!.socket, backend: 'weather', servers }).read();
  /** sessions HAProxy has sent to a server since it started (`show stat`, column stot) */
  const sessionsTo = async (server: string): Promise<number> => {
    const lines = (await runtimeCommand(haproxy!.socket, 'show stat')).split('\n');
    const header = lines[0]!.replace(/^# /, '').split(',');
    const row = lines.map((l) => l.split(',')).find((f) => f[0] === 'weather' && f[1] === server);
    if (!row) throw new Error(`show stat has no weather/${server}`);
    return Number(row[header.indexOf('stot')]);
  };
  let badApp500 = 0;
  const settled = async () => undefined; // no reload: the switch is done when prodx has verified it

  beforeAll(async () => {
    [blue, green] = await startTargets();
    haproxy = await startHaproxy(dir, blue, green);
    env = await writeEnv(dir, blue, green, { type: 'haproxy', socket: haproxy.socket, backend: 'weather', servers });
    url = `http://127.0.0.1:${haproxy.port}/`;
    load = startLoad({ url, rps: TOTAL_RPS, retry: 'never', maxRequests: 40_000, maxDurationMs: 240_000 });
    await waitUntil(() => load!.settled('start') >= 100, 'the load to be steady');
  }, 60_000);

  afterAll(async () => {
    await load?.stop();
    await haproxy?.stop();
    await Promise.all([blue?.stop(), green?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'deploy 1.1.0 exits 0; afterwards every response is 1.1.0',
    async () => {
      const { r, after } = await step('deploy', [load!], () => prodx(['deploy', '1.1.0', '--json', '--config', env.configPath]), settled);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: true,
        result: 'succeeded',
        deployment: { version: '1.1.0', toColour: 'green' },
        live: { colour: 'green', version: '1.1.0' },
      });
      expect(await weights()).toEqual({ blue: 0, green: 100 });
      expectAllFrom(load!, '1.1.0', after);
      expect(await servedVersions(url)).toEqual(new Set(['1.1.0']));
      expect((await status(env)).live).toMatchObject({ colour: 'green', version: '1.1.0' });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'rollback exits 0; afterwards every response is 1.0.0',
    async () => {
      const { r, after } = await step('rollback', [load!], () => prodx(['rollback', '--json', '--config', env.configPath]), settled);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ok: true,
        undid: 'previous-colour',
        from: { colour: 'green', version: '1.1.0' },
        to: { colour: 'blue', version: '1.0.0' },
      });
      expect(await weights()).toEqual({ blue: 100, green: 0 });
      expectAllFrom(load!, '1.0.0', after);
      expect(await servedVersions(url)).toEqual(new Set(['1.0.0']));
      expect((await status(env)).live).toMatchObject({ colour: 'blue', version: '1.0.0' });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'deploy 1.2.0-broken stops at the health gate with exit 1: HAProxy never sends green a request, blue stays live',
    async () => {
      const greenBefore = await sessionsTo('green');
      const { r, after } = await step(
        'broken',
        [load!],
        () => prodx(['deploy', '1.2.0-broken', '--json', '--config', env.configPath]),
        settled,
      );
      expect(r.code, r.stderr).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ ok: false, result: 'failed', live: { colour: 'blue', version: '1.0.0' } });
      expect(out.reason).toMatch(HEALTH_GATE);
      expect(await sessionsTo('green')).toBe(greenBefore);
      expect(await weights()).toEqual({ blue: 100, green: 0 });
      for (const phase of ['broken', after]) expectAllFrom(load!, '1.0.0', phase);
      expect((await status(env)).live).toMatchObject({ colour: 'blue', version: '1.0.0' });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'deploy 1.3.0-bad is switched back automatically after the switch, exit 1 naming the error rate',
    async () => {
      env.configure({ postPromotion: BAD_POST_PROMOTION });
      try {
        const greenBefore = await sessionsTo('green');
        const app500Before = await app500s(green!);
        const { r, after } = await step(
          'bad',
          [load!],
          () => prodx(['deploy', '1.3.0-bad', '--json', '--config', env.configPath]),
          settled,
        );
        expect(r.code, r.stderr).toBe(1);
        const out = JSON.parse(r.stdout);
        expect(out).toMatchObject({ ok: false, result: 'rolled-back', live: { colour: 'blue', version: '1.0.0' } });
        expect(out.reason).toMatch(ERROR_RATE);
        expect(await sessionsTo('green')).toBeGreaterThan(greenBefore);
        badApp500 = (await app500s(green!)) - app500Before;
        expect(await weights()).toEqual({ blue: 100, green: 0 });
        expectAllFrom(load!, '1.0.0', after);
        expect(await servedVersions(url)).toEqual(new Set(['1.0.0']));
        expect((await status(env)).live).toMatchObject({ colour: 'blue', version: '1.0.0' });
      } finally {
        env.configure({ postPromotion: undefined });
      }
    },
    STEP_TIMEOUT_MS,
  );

  it('loses no request across all of it (client that never retries) and prints the counts', async () => {
    await load!.stop();
    const rows = STEPS.map((s) => ({ step: s, ...count(load!, s, s === 'bad' ? badApp500 : 0) }));
    console.log(`haproxy: prodx deploy/rollback under ${TOTAL_RPS} rps, one keep-alive client that never retries`);
    console.table(
      rows.map((r) => ({
        step: r.step,
        requests: r.during.requests + r.after.requests,
        'router failures': r.failures,
        'app 500s': r.app500,
        errors: [...new Set([...r.during.errors, ...r.after.errors])].join('; '),
      })),
    );
    expect(rows.map((r) => [r.step, r.failures])).toEqual(STEPS.map((s) => [s, 0]));
    expect(load!.summary('start').failures).toBe(0);
    expect(badApp500).toBeGreaterThan(0);
    expect(rows.find((r) => r.step === 'bad')!.during.errors).toEqual(['HTTP 500']);
  });
});
