// What the tests through real routers (test/e2e/canary-routers.test.ts and
// test/e2e/deploy-routers.test.ts) share between their nginx and their HAProxy block: a table of
// the two routers (each started in the foreground on free loopback ports, with the prodx router
// config that drives it, prodx's own reader of its weights, how to tell that only the current
// weights serve traffic, and how many reloads it did), the environment prodx runs the canary in
// (two sample targets, blue 1.0.0 live, the real release hook), and the request counters of the
// sample app itself.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHaproxyRouter, runtimeCommand } from '../../src/adapters/routers/haproxy.js';
import { createNginxRouter } from '../../src/adapters/routers/nginx.js';
import { renderUpstreamFile } from '../../src/adapters/routers/nginxConfig.js';
import type { SampleTarget } from '../../src/demo/sampleTarget.js';
import { readCanary, type CanaryRun, type ProdxChild, type Weights } from './canary.js';
import { childrenOf, waitUntil, type RetryPolicy } from './load.js';
import { NGINX, NGINX_WORKERS, nginxReloadsLogged, reloadCounter, startHaproxy, startNginx } from './servers.js';
import { writeDeployConfig } from './deployEnv.js';

/** A router running for the test, and what the test needs to know about it. */
export interface RouterUnderTest {
  /** its public port: the load and the samples go through it */
  url: string;
  /** environments.production.router in prodx.config.json */
  config: Record<string, unknown>;
  /** the weights as prodx reads them (the nginx upstream file, HAProxy's runtime API) */
  weights(): Promise<Weights | null>;
  /** Resolves once only the weights prodx last applied serve requests (nginx: the old workers exited). */
  settled(): Promise<void>;
  /** reloads prodx made the router do so far (nginx: each switch is one; HAProxy never reloads) */
  reloads(): number;
  /** reloads the router itself logged so far, prodx's and bare ones (nginx: SIGHUPs in its error.log; HAProxy none) */
  reloadsLogged(): number;
  /** the files prodx rewrites to switch (nginx: the upstream file; HAProxy none, its weights live in the process) */
  files: string[];
  /** Sessions the router has sent to a server since it started, where it counts them (HAProxy: `show stat`, column stot). */
  sessionsTo?: (server: 'blue' | 'green') => Promise<number>;
  /** A reload outside prodx (`nginx -s reload`), to measure what one costs the load; none for HAProxy. */
  bareReload?: () => Promise<void>;
  stop(): Promise<void>;
}

export interface RouterKind {
  name: 'nginx' | 'haproxy';
  /**
   * The policy of the load client a router is judged by: every nginx reload closes idle
   * keep-alive connections, and a GET sent on one just then is reset, so the client retries such
   * a request once on a new connection (what browsers do); HAProxy switches weights without a
   * reload and must lose nothing even without retries.
   */
  retry: RetryPolicy;
  /** reloads one switch of the weights costs: nginx 1 (rewrite the upstream file, reload), HAProxy 0 (runtime API) */
  reloadsPerSwitch: number;
  start(dir: string, blue: SampleTarget, green: SampleTarget): Promise<RouterUnderTest>;
}

const targetsOf = (blue: SampleTarget, green: SampleTarget) => ({ blue: blue.url, green: green.url });

/** nginx's worker pids of its latest (re)configuration, from the `start worker process N` lines of its log. */
function latestWorkers(prefix: string): number[] {
  const log = readFileSync(join(prefix, 'error.log'), 'utf8');
  const since = Math.max(0, log.lastIndexOf('signal 1 (SIGHUP) received'));
  return [...log.slice(since).matchAll(/start worker process (\d+)/g)].map((m) => Number(m[1]));
}

async function startNginxRouter(dir: string, blue: SampleTarget, green: SampleTarget): Promise<RouterUnderTest> {
  const prefix = join(dir, 'nginx');
  const conf = join(prefix, 'nginx.conf');
  const upstreamFile = join(prefix, 'weather-upstream.conf');
  const counter = reloadCounter(dir, join(dir, 'reloads.log'));
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  chmodSync(dir, 0o755); // nginx workers run as nobody when the test runs as root
  chmodSync(prefix, 0o755);
  const targets = targetsOf(blue, green);
  writeFileSync(upstreamFile, renderUpstreamFile({ upstream: 'weather', weights: { blue: 100, green: 0 }, targets }));
  const nginx = await startNginx(prefix, conf, upstreamFile);
  const reader = createNginxRouter({ upstreamFile, upstream: 'weather', test: [], reload: [] }, targets);
  let bare = 0;
  return {
    url: `http://127.0.0.1:${nginx.port}/`,
    config: {
      type: 'nginx',
      upstreamFile,
      upstream: 'weather',
      test: [NGINX, '-p', prefix, '-c', conf, '-t', '-q'],
      reload: [...counter.argv, NGINX, '-p', prefix, '-c', conf, '-s', 'reload'],
    },
    weights: () => reader.read(),
    async settled() {
      const master = nginx.child.pid!;
      await waitUntil(
        () => {
          // every reload that was asked for reached the master, and only its workers are left
          if (nginxReloadsLogged(prefix) !== counter.count() + bare) return false;
          const latest = latestWorkers(prefix);
          const now = childrenOf(master);
          return latest.length === NGINX_WORKERS && now.length === NGINX_WORKERS && now.every((p) => latest.includes(p));
        },
        'nginx to run only the workers of its latest reload',
        30_000,
      );
      // read the closes the old workers sent before the caller starts counting requests
      await new Promise((resolve) => setImmediate(resolve));
    },
    reloads: () => counter.count(),
    reloadsLogged: () => nginxReloadsLogged(prefix),
    files: [upstreamFile],
    async bareReload() {
      bare += 1;
      await promisify(execFile)(NGINX, ['-p', prefix, '-c', conf, '-s', 'reload']);
    },
    stop: () => nginx.stop(),
  };
}

async function startHaproxyRouter(dir: string, blue: SampleTarget, green: SampleTarget): Promise<RouterUnderTest> {
  const haproxy = await startHaproxy(dir, blue, green);
  const servers = { blue: 'blue', green: 'green' };
  const reader = createHaproxyRouter({ socket: haproxy.socket, backend: 'weather', servers });
  return {
    url: `http://127.0.0.1:${haproxy.port}/`,
    config: { type: 'haproxy', socket: haproxy.socket, backend: 'weather', servers },
    weights: () => reader.read(),
    // a runtime-API weight applies to the next request, and prodx has read it back before it goes on
    settled: async () => undefined,
    reloads: () => 0,
    reloadsLogged: () => 0,
    files: [],
    async sessionsTo(server) {
      const lines = (await runtimeCommand(haproxy.socket, 'show stat')).split('\n');
      const header = lines[0]!.replace(/^# /, '').split(',');
      const row = lines.map((l) => l.split(',')).find((f) => f[0] === 'weather' && f[1] === servers[server]);
      if (!row) throw new Error(`show stat has no weather/${servers[server]}`);
      return Number(row[header.indexOf('stot')]);
    },
    stop: () => haproxy.stop(),
  };
}

export const ROUTER_KINDS: RouterKind[] = [
  { name: 'nginx', retry: 'reused-reset-once', reloadsPerSwitch: 1, start: startNginxRouter },
  { name: 'haproxy', retry: 'never', reloadsPerSwitch: 0, start: startHaproxyRouter },
];

export interface CanaryEnv {
  configPath: string;
  stateDir: string;
  /** rewrites parts of the production environment's config; undefined restores a key's base value */
  configure(patch: Record<string, unknown>): void;
}

/** prodx.config.json naming the router and the canary settings, and state saying blue 1.0.0 is live. */
export async function writeCanaryEnv(
  dir: string,
  blue: SampleTarget,
  green: SampleTarget,
  router: Record<string, unknown>,
  canary: Record<string, unknown>,
): Promise<CanaryEnv> {
  const { configPath, stateDir, configure } = await writeDeployConfig(dir, blue, green, router, {
    prePromotion: { timeout: '5s' },
    ...canary,
  });
  return { configPath, stateDir, configure };
}

/**
 * Waits until the canary run in state.json satisfies `match`; fails at once, with what the runner
 * printed, when the runner exits first.
 */
export async function waitForCanary(
  stateDir: string,
  runner: ProdxChild,
  match: (run: CanaryRun) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<CanaryRun> {
  let exited = false;
  void runner.exited.then(() => (exited = true));
  let found: CanaryRun | null = null;
  await waitUntil(
    () => {
      const run = readCanary(stateDir);
      if (run && match(run)) found = run;
      else if (exited) throw new Error(`prodx exited before ${what}: ${runner.stdout().slice(-2000)} ${runner.stderr().slice(-2000)}`);
      return found !== null;
    },
    what,
    timeoutMs,
  );
  return found!;
}

/** The sample app's own count of requests to "/" since it started (its http_requests_total), optionally of one status. */
export async function appRequests(target: SampleTarget, status?: number): Promise<number> {
  const text = await (await fetch(new URL('/metrics', target.url))).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('http_requests_total{') && l.includes('route="/"'))
    .filter((l) => status === undefined || l.includes(`status_code="${status}"`))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

/** The versions the router serves right now, over fresh connections (no pooled socket a reload may close). */
export async function servedVersions(url: string, n = 20): Promise<Set<string>> {
  const one = () =>
    new Promise<string>((resolve, reject) => {
      const req = http.get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          try {
            resolve(`${res.statusCode === 200 ? '' : `HTTP ${res.statusCode} `}${(JSON.parse(body) as { version: string }).version}`);
          } catch {
            resolve(`HTTP ${res.statusCode} (not JSON)`);
          }
        });
      });
      req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
    });
  const out = new Set<string>();
  for (let i = 0; i < n; i++) out.add(await one());
  return out;
}

/**
 * Loose bounds (percent) on the canary's share of the answers while a step's weights hold. Both
 * routers split by weighted round-robin, per nginx worker and per HAProxy backend, so the share
 * lands within a request or two of the weight; the bounds only keep neighbouring steps apart
 * (5 from 25, 25 from 50) and leave room for anything that is not exact.
 */
export const SPLIT_BOUNDS: Record<number, readonly [number, number]> = {
  5: [2, 10],
  10: [5, 18],
  25: [15, 37],
  50: [38, 62],
};
