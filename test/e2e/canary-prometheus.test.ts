// Canary analysis through a real Prometheus: the Debian package's server scrapes both sample
// targets every second, prodx reads them with its default PromQL (`instance="{{target}}"`,
// `[{{interval}}]`), and the real binary walks a canary through the real builtin router under a
// steady load. A healthy canary is promoted on numbers Prometheus answered; one with 20% errors
// is aborted with the rate in the reason; a query Prometheus cannot parse and a metrics.url with
// no query API (HTTP 404) are refused before any traffic moves; a query answering +Inf is no
// measurement (the step holds) rather than a pass.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, expectNoStack, prodx, type RunResult } from '../support/cli.js';
import { startDeployEnv, type DeployEnv } from '../support/deployEnv.js';
import { startLoad, waitUntil, type LoadClient } from '../support/load.js';
import { startPrometheus, type Prometheus } from '../support/prometheus.js';

interface Side {
  requests: number;
  errors: number;
  p95Ms: number | null;
}
interface Interval {
  step: number;
  weight: number;
  canary: Side | { missing: string };
  stable: Side | { missing: string };
  action: 'advance' | 'hold' | 'abort';
  reason: string;
  results: { rule: string; verdict: string; reason: string }[];
}

// Scrapes every 1s; each analysis interval is 3s, so the PromQL range [3s] holds about three
// samples of every series (increase() and rate() need at least two) even when a scrape is late
// on a loaded machine. Holding steps re-query a wider window, never a narrower one.
const SCRAPE_SECONDS = 1;
const INTERVAL = '3s';

let env: DeployEnv;
let prometheus: Prometheus;
let load: LoadClient;
const routerWeights = async () => (await fetch(`${env.router.adminUrl}/weights`)).json();
const stateText = () => readFileSync(join(env.stateDir, 'state.json'), 'utf8');
const canaryState = () =>
  (JSON.parse(stateText()) as { environments: { production: { canary?: unknown } } }).environments.production.canary;
const hostOf = (url: string) => new URL(url).host;
const metrics = () => ({ type: 'prometheus', url: prometheus.url });
/** `prodx canary deploy --watch --json` in the background: its events as they come */
function startRunner(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const events = () =>
    stdout
      .split('\n')
      .slice(0, -1) // whole lines only: the last may still be arriving
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    child,
    exited,
    events,
    intervals: () =>
      events()
        .filter((e) => e['event'] === 'interval')
        .map((e) => e['interval'] as Interval),
    output: () => `${stdout}\n${stderr}`,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
/** `prodx` with room for a whole canary on a loaded machine (the shared helper stops at 60s) */
const prodxLong = (args: string[]) =>
  new Promise<RunResult>((done) =>
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 200_000 },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );

beforeAll(async () => {
  env = await startDeployEnv();
  prometheus = await startPrometheus({ targets: [hostOf(env.blue.url), hostOf(env.green.url)], scrapeSeconds: SCRAPE_SECONDS });
  env.configure({
    metrics: metrics(),
    // three steps keep the run short; 10% of ~250 rps over 3s is ~75 requests, well over minRequests
    canary: { steps: [10, 50, 100], interval: INTERVAL, analysis: { minRequests: 20, maxP95Ms: 2000, failureLimit: 1 } },
  });
  load = startLoad({ url: env.router.url, rps: 250, retry: 'never', maxRequests: 150_000, maxDurationMs: 600_000 });
}, 120_000);
afterAll(async () => {
  await load?.stop();
  await prometheus?.stop();
  await env?.close();
});

describe('prodx canary with metrics from a real Prometheus', () => {
  /** With `metrics` in the config, `canary deploy` exits 2 in one line and changes nothing; the line is returned. */
  async function refusedBeforeTraffic(metricsConfig: Record<string, unknown>): Promise<string> {
    env.configure({ metrics: metricsConfig });
    try {
      const before = stateText();
      const weights = await routerWeights();
      const green = await fetch(`${env.green.url}/version`).then((r) => r.json());
      const r = await prodx(['canary', 'deploy', '1.1.0', '--config', env.configPath]);
      expect(r.code, r.stderr).toBe(2);
      expect(expectNoStack(r.stderr)).toBe(true);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(weights).toEqual({ blue: 100, green: 0 });
      expect(await routerWeights()).toEqual(weights);
      expect(stateText()).toBe(before);
      expect(canaryState()).toBeNull();
      // the release hook never ran either
      expect(await fetch(`${env.green.url}/version`).then((r) => r.json())).toEqual(green);
      return r.stderr.trim();
    } finally {
      env.configure({ metrics: metrics() });
    }
  }

  it('refuses a PromQL query Prometheus cannot parse before any traffic moves', { timeout: 60_000 }, async () => {
    const msg = await refusedBeforeTraffic({ ...metrics(), queries: { requests: 'sum(rate(http_requests_total[' } });
    expect(msg).toMatch(
      /^prodx: cannot analyse a canary: the metrics of (green|blue) are unusable: requests query `sum\(rate\(http_requests_total\[`: the query failed: .*parse error/,
    );
    expect(msg).toContain('(environments.production.metrics.queries.requests)');
  });

  it('refuses a metrics.url where no Prometheus API answers (HTTP 404) before any traffic moves', { timeout: 60_000 }, async () => {
    // a path prefix Prometheus does not serve, and a server that is not Prometheus at all
    for (const url of [`${prometheus.url}/not-here`, env.blue.url]) {
      const msg = await refusedBeforeTraffic({ type: 'prometheus', url });
      expect(msg).toMatch(/^prodx: cannot analyse a canary: the metrics of (green|blue) are unusable: .*answered HTTP 404/);
      expect(msg).toContain('environments.production.metrics.url');
    }
  });

  it('a latency query that answers +Inf is no measurement: the step holds, never passes', { timeout: 120_000 }, async () => {
    // x/0 is +Inf in PromQL; read as NaN it would pass every limit
    env.configure({ metrics: { ...metrics(), queries: { p95: 'vector(1/0)' } } });
    const runner = startRunner(['canary', 'deploy', '1.1.0', '--watch', '--json', '--config', env.configPath]);
    try {
      await waitUntil(() => runner.intervals().length >= 2 || runner.child.exitCode !== null, 'two analysis intervals', 90_000);
      expect(runner.child.exitCode, runner.output()).toBeNull();
      const seen = runner.intervals();
      for (const i of seen) {
        expect(i.action, i.reason).toBe('hold');
        expect(i.step).toBe(0);
        expect(i.results.find((x) => x.rule === 'p95')!.verdict).toBe('inconclusive');
      }
      // where Prometheus had the counts (a late scrape can leave an interval without), the other
      // rules were judged on them and only the latency is missing, with the reason
      const measured = seen.filter((i) => !('missing' in i.canary));
      expect(measured.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(1);
      for (const i of measured) {
        expect((i.canary as Side).requests).toBeGreaterThan(0);
        expect(i.results.find((x) => x.rule === 'p95')!.reason).toContain(
          'p95 query `vector(1/0)`: the query answered "+Inf", not a number (environments.production.metrics.queries.p95)',
        );
        expect(i.results.find((x) => x.rule === 'error-rate')!.verdict).toBe('pass');
      }
      const abort = await prodx(['canary', 'abort', '--config', env.configPath]);
      expect(abort.code, abort.stderr).toBe(0);
      expect(await runner.exited).toBe(1);
      expect(runner.events().at(-1)).toMatchObject({ ok: false, result: 'aborted' });
      expect(await routerWeights()).toEqual({ blue: 100, green: 0 });
    } finally {
      await runner.kill();
      env.configure({ metrics: metrics() });
    }
  });

  it('promotes a healthy canary on request counts Prometheus measured', { timeout: 240_000 }, async () => {
    const r = await prodxLong(['canary', 'deploy', '1.1.0', '--json', '--config', env.configPath]);
    const out = JSON.parse(r.stdout) as { result: string; plan: { provider: string }; run: { analysis: Interval[] } };
    expect(out.result, `${out.result}: ${r.stderr.slice(-2000)} ${JSON.stringify(out.run?.analysis?.slice(-3))}`).toBe('promoted');
    expect(r.code).toBe(0);
    expect(out.plan.provider).toBe('prometheus');
    const analysis = out.run.analysis;
    // every step that was left was left on a passing interval
    expect([...new Set(analysis.filter((i) => i.action === 'advance').map((i) => i.weight))]).toEqual([10, 50]);
    // every interval that reached a verdict was judged on numbers Prometheus answered
    const judged = analysis.filter((i) => !i.results.every((x) => x.verdict === 'inconclusive'));
    expect(judged.length).toBeGreaterThanOrEqual(2);
    for (const i of judged) {
      expect(i.canary).not.toHaveProperty('missing');
      expect(i.stable).not.toHaveProperty('missing');
      expect((i.canary as Side).requests).toBeGreaterThan(0);
      expect((i.stable as Side).requests).toBeGreaterThan(0);
    }
    for (const i of analysis.filter((x) => x.action === 'advance')) {
      expect((i.canary as Side).requests).toBeGreaterThanOrEqual(20);
      expect((i.canary as Side).p95Ms).not.toBeNull();
    }
    expect(await routerWeights()).toEqual({ blue: 0, green: 100 });
    // Prometheus itself saw green serve the canary's traffic
    const served = await prometheus.query(`sum(http_requests_total{instance="${hostOf(env.green.url)}",route="/"})`);
    expect(Number(served[0]?.value[1] ?? 0)).toBeGreaterThan(0);
  });

  it('aborts a canary with 20% errors and names the error rate', { timeout: 240_000 }, async () => {
    // green is live now: the canary goes onto blue
    const r = await prodxLong(['canary', 'deploy', '1.2.0-bad', '--json', '--config', env.configPath]);
    const out = JSON.parse(r.stdout) as { result: string; reason: string; plan: { canaryColour: string }; run: { analysis: Interval[] } };
    expect(out.result, `${out.result}: ${r.stderr.slice(-2000)}`).toBe('aborted');
    expect(r.code).toBe(1);
    expect(out.plan.canaryColour).toBe('blue');
    // increase() extrapolates each series on its own, so the measured rate is near 20%, not exact
    const m = /error rate (\d+\.\d)% > 2\.0%/.exec(out.reason);
    expect(m, out.reason).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(10);
    expect(Number(m![1])).toBeLessThan(35);
    const analysis = out.run.analysis;
    expect(analysis.every((i) => i.step === 0)).toBe(true);
    expect(analysis.at(-1)!.action).toBe('abort');
    const failed = analysis.filter((i) => i.results.some((x) => x.rule === 'error-rate' && x.verdict === 'fail'));
    expect(failed.length).toBe(2); // failureLimit 1: the second failed interval aborts
    for (const i of failed) expect((i.canary as Side).requests).toBeGreaterThan(0);
    expect(await routerWeights()).toEqual({ blue: 0, green: 100 });
  });
});
