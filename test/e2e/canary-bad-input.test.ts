// Canary input a user gets wrong, through the real binary against the real builtin router and
// two real sample targets: each mistake is explained in one line (no stack), exits non-zero and
// changes nothing — state.json byte for byte, the router's weights, the canary colour's version.
// A canary that never sees traffic holds its first step for ever (inconclusive, never a pass)
// until it is aborted.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, expectNoStack, prodx } from '../support/cli.js';
import { startDeployEnv, type DeployEnv } from '../support/deployEnv.js';
import { waitUntil } from '../support/load.js';

interface Interval {
  step: number;
  weight: number;
  canary: { requests: number } | { missing: string };
  action: 'advance' | 'hold' | 'abort';
  reason: string;
  results: { rule: string; verdict: string; reason: string }[];
}

let env: DeployEnv;
const routerWeights = async () => (await fetch(`${env.router.adminUrl}/weights`)).json();
const stateText = () => readFileSync(join(env.stateDir, 'state.json'), 'utf8');
interface EnvState {
  live: { colour: string; version: string };
  canary: null | { state: { phase: string; step?: number }; analysis: Interval[] };
  history: { result: string }[];
}
const production = () => (JSON.parse(stateText()) as { environments: { production: EnvState } }).environments.production;
const versionOf = async (url: string) => ((await (await fetch(`${url}/version`)).json()) as { version: string }).version;

/**
 * Runs `args` and checks the failure left no trace: exit `code`, one line on stderr without a
 * stack, nothing on stdout, and state.json, the router's weights and green's version as before.
 */
async function refused(args: string[], code: number): Promise<string> {
  const before = stateText();
  const weights = await routerWeights();
  const green = await versionOf(env.green.url);
  const r = await prodx([...args, '--config', env.configPath]);
  expect(r.code, r.stderr).toBe(code);
  expect(expectNoStack(r.stderr), r.stderr).toBe(true);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^prodx: /);
  expect(r.stdout).toBe('');
  expect(stateText()).toBe(before);
  expect(await routerWeights()).toEqual(weights);
  expect(await versionOf(env.green.url)).toBe(green);
  return r.stderr.trim();
}

beforeAll(async () => {
  env = await startDeployEnv();
  // no load runs in this file: the sample targets see only prodx's own probes
  env.configure({ canary: { interval: '1s', analysis: { minRequests: 20, failureLimit: 1 } } });
}, 60_000);
afterAll(async () => {
  await env?.close();
});

describe('prodx canary refuses bad input and changes nothing', () => {
  it('promote with no canary: exit 1, says none runs', async () => {
    const msg = await refused(['canary', 'promote'], 1);
    expect(msg).toBe('prodx: no canary is running in production: start one with `prodx canary deploy <version>`.');
  });

  it('an invalid version: exit 2', async () => {
    const msg = await refused(['canary', 'deploy', 'bad version!'], 2);
    expect(msg).toMatch(/^prodx: version "bad version!" is not allowed: use letters, digits/);
  });

  it('steps not ending at 100: exit 2 naming canary.steps', async () => {
    env.configure({ canary: { steps: [5, 10, 50], interval: '1s' } });
    try {
      const msg = await refused(['canary', 'deploy', '1.1.0'], 2);
      expect(msg).toContain('environments.production.canary.steps');
      expect(msg).toContain('the last step is 50, not 100');
    } finally {
      env.configure({ canary: { interval: '1s', analysis: { minRequests: 20, failureLimit: 1 } } });
    }
  });

  it('steps not increasing: exit 2 naming canary.steps', async () => {
    env.configure({ canary: { steps: [10, 5, 100], interval: '1s' } });
    try {
      const msg = await refused(['canary', 'deploy', '1.1.0'], 2);
      expect(msg).toContain('environments.production.canary.steps');
      expect(msg).toContain('step 2 (5) is not greater than step 1 (10)');
    } finally {
      env.configure({ canary: { interval: '1s', analysis: { minRequests: 20, failureLimit: 1 } } });
    }
  });

  it('a metrics path that answers 404: refused before traffic, exit 2', async () => {
    env.configure({ metrics: { type: 'scrape', path: '/nope' } });
    try {
      const msg = await refused(['canary', 'deploy', '1.1.0'], 2);
      expect(msg).toMatch(
        /^prodx: cannot analyse a canary: the metrics of (green|blue) are unusable: http:\/\/127\.0\.0\.1:\d+\/nope answered HTTP 404/,
      );
      expect(msg).toContain('environments.production.metrics.path');
    } finally {
      env.configure({ metrics: undefined });
    }
  });

  it.each(['/version', '/'])('a metrics path %s that answers JSON, not Prometheus text: exit 2', async (path) => {
    env.configure({ metrics: { type: 'scrape', path } });
    try {
      const msg = await refused(['canary', 'deploy', '1.1.0'], 2);
      expect(msg).toMatch(
        /^prodx: cannot analyse a canary: the metrics of (green|blue) are unusable: .* is not Prometheus text \(application\/json/,
      );
      expect(msg).toContain('environments.production.metrics.path');
    } finally {
      env.configure({ metrics: undefined });
    }
  });

  it('no router configured: exit 2 naming the router setting', async () => {
    const config = JSON.parse(readFileSync(env.configPath, 'utf8')) as { environments: { production: Record<string, unknown> } };
    delete config.environments.production['router'];
    // next to the real config, so it shares its .prodx state directory
    const path = join(env.dir, 'no-router.json');
    writeFileSync(path, JSON.stringify(config));
    const before = stateText();
    const weights = await routerWeights();
    const r = await prodx(['canary', 'deploy', '1.1.0', '--config', path]);
    expect(r.code, r.stderr).toBe(2);
    expect(expectNoStack(r.stderr)).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^prodx: environments\.production\.router is not set: a canary needs a traffic router/);
    expect(stateText()).toBe(before);
    expect(await routerWeights()).toEqual(weights);
  });

  it('without any traffic the first step holds, inconclusive, until aborted', { timeout: 120_000 }, async () => {
    const weightsBefore = await routerWeights();
    expect(weightsBefore).toEqual({ blue: 100, green: 0 });
    const child: ChildProcess = spawn(
      process.execPath,
      [BIN, 'canary', 'deploy', '1.1.0', '--watch', '--json', '--config', env.configPath],
      {
        env: { ...process.env, CI: 'true', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const events = () =>
      stdout
        .split('\n')
        .slice(0, -1) // whole lines only: the last may still be arriving
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const intervals = () =>
      events()
        .filter((e) => e['event'] === 'interval')
        .map((e) => e['interval'] as Interval);
    try {
      await waitUntil(() => intervals().length >= 3 || child.exitCode !== null, 'three analysis intervals of the canary', 90_000);
      expect(child.exitCode, `${stdout}\n${stderr}`).toBeNull();
      const seen = intervals();
      expect(seen.length).toBeGreaterThanOrEqual(3);
      for (const i of seen) {
        expect(i.action, i.reason).toBe('hold');
        expect(i.step).toBe(0);
        expect(i.weight).toBe(5);
        expect(i.reason).toMatch(/^inconclusive: .*(no traffic to the canary this interval|\d+ canary requests < 20 needed for a verdict)/);
        expect(i.results.every((x) => x.verdict === 'inconclusive')).toBe(true);
      }
      // the state agrees: still the first step, every recorded interval a hold, nothing promoted
      const s = production();
      expect(s.canary!.state).toMatchObject({ phase: 'progressing', step: 0 });
      expect(s.canary!.analysis.every((i) => i.action === 'hold' && i.step === 0)).toBe(true);
      expect(await routerWeights()).toEqual({ blue: 95, green: 5 });

      const abort = await prodx(['canary', 'abort', '--config', env.configPath]);
      expect(abort.code, abort.stderr).toBe(0);
      expect(abort.stdout).toMatch(/^abort: blue has all traffic again \(aborted\)/);

      expect(await exited).toBe(1);
      const result = events().at(-1)!;
      expect(result).toMatchObject({ ok: false, result: 'aborted', run: { state: { phase: 'aborted' } } });
      expect(result['reason']).toMatch(/^aborted by /);
      const analysis = (result['run'] as { analysis: Interval[] }).analysis;
      expect(analysis.length).toBeGreaterThanOrEqual(3);
      expect(analysis.every((i) => i.action === 'hold' && i.step === 0)).toBe(true);
      expect(await routerWeights()).toEqual({ blue: 100, green: 0 });
      const after = production();
      expect(after.live).toMatchObject({ colour: 'blue', version: '1.0.0' });
      expect(after.history.at(-1)).toMatchObject({ result: 'aborted' });
      expect(after.history.some((h) => h.result === 'succeeded')).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  });
});
