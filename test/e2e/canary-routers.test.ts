// Canary releases through the real binary, in front of a REAL nginx and a REAL HAProxy (one
// describe block each, from the table in test/support/canaryRouters.ts), two real sample targets
// and the real release hook, judged on the targets' own /metrics (type scrape), under a steady
// keep-alive load of 300 requests a second through the router's public port.
//
// A healthy canary walks 5 → 10 → 25 → 50 → 100. To see the traffic split of every step, the
// config pauses indefinitely after each passed step (the step's weights stay), the test counts
// which version answered the next SPLIT_REQUESTS requests of the load, and then resumes the
// canary with `prodx canary resume` from another process: no race with the interval clock, and
// the advances are still the analysis's own. A -bad version (every 5th request fails) is aborted
// at its first step. Counts are printed; failures the router caused (everything but the app's own
// HTTP 500s) may not exceed what deploy-routers.test.ts tolerates: none for HAProxy, and for nginx
// (whose every switch is a reload) no more per reload than a bare `nginx -s reload` measured
// under the same load, with the client that retries a reset reused connection once.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleTarget, type SampleTarget } from '../../src/demo/sampleTarget.js';
import { advancedAt, canaryConfig, spawnProdx, weightsAt, type CanaryRun, type ProdxChild } from '../support/canary.js';
import {
  ROUTER_KINDS,
  SPLIT_BOUNDS,
  appRequests,
  servedVersions,
  waitForCanary,
  writeCanaryEnv,
  type CanaryEnv,
  type RouterUnderTest,
} from '../support/canaryRouters.js';
import { prodx, tempDir } from '../support/cli.js';
import { startLoad, waitUntil, type LoadClient } from '../support/load.js';

const RPS = 300;
/** the steps before 100, each analysed and then held for the split to be counted */
const STEPS = [5, 10, 25, 50] as const;
const SPLIT_REQUESTS = 600;
const AFTER_REQUESTS = 300;
const ERROR_RATE = /^failed \(2\) > failureLimit \(1\): error rate \d+\.\d% > 2\.0%/;

describe.each(ROUTER_KINDS.map((k) => [k.name, k] as const))('prodx canary through a real %s under keep-alive load', (_, kind) => {
  const dir = tempDir(`prodx-e2e-canary-${kind.name}-`);
  let blue: SampleTarget | undefined;
  let green: SampleTarget | undefined;
  let router: RouterUnderTest | undefined;
  let env: CanaryEnv;
  let load: LoadClient | undefined;
  /** router failures of one bare reload (nginx), the unit of what a reload may cost */
  let baseline = 0;
  let badApp500 = 0;
  const runners: ProdxChild[] = [];
  const cli = (...args: string[]) => prodx([...args, '--config', env.configPath]);
  const status = async () => JSON.parse((await cli('status', '--json')).stdout);
  /** Requests started from now on belong to `phase`; resolves once `n` of them have settled. */
  const count = async (phase: string, n: number) => {
    load!.phase(phase);
    await waitUntil(() => load!.settled(phase) >= n, `${n} requests in phase ${phase}`, 60_000);
  };
  /** Every answered request of these phases came from `version`. */
  const expectAllFrom = (version: string, ...phases: string[]) => {
    const s = load!.summary(...phases);
    expect(s.requests).toBeGreaterThan(0);
    expect(s.versions).toEqual({ [version]: s.requests - s.failures });
  };

  beforeAll(async () => {
    [blue, green] = await Promise.all([
      startSampleTarget({ name: 'blue', version: '1.0.0' }),
      startSampleTarget({ name: 'green', version: '1.0.0' }),
    ]);
    router = await kind.start(dir, blue, green);
    env = await writeCanaryEnv(dir, blue, green, router.config, canaryConfig());
    load = startLoad({ url: router.url, rps: RPS, retry: kind.retry, maxRequests: 150_000, maxDurationMs: 480_000 });
    await waitUntil(() => load!.settled('start') >= 100, 'the load to be steady', 30_000);
    if (router.bareReload) {
      load.phase('baseline');
      await router.bareReload();
      await router.settled();
      await count('baseline:after', AFTER_REQUESTS);
      baseline = load.summary('baseline', 'baseline:after').failures;
      expectAllFrom('1.0.0', 'baseline:after');
    }
  }, 120_000);

  afterAll(async () => {
    for (const r of runners) r.child.kill('SIGKILL');
    await load?.stop();
    await router?.stop();
    await Promise.all([blue?.stop(), green?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'promotes a healthy canary (exit 0, advances at 5, 10, 25, 50); every step splits the traffic by its weight; then all of it is 1.1.0',
    { timeout: 240_000 },
    async () => {
      env.configure(canaryConfig({ pause: 'indefinite' }));
      const reloadsBefore = router!.reloads();
      load!.phase('healthy');
      const runner = spawnProdx(['canary', 'deploy', '1.1.0', '--json', '--config', env.configPath]);
      runners.push(runner);
      try {
        for (const [i, percent] of STEPS.entries()) {
          await waitForCanary(
            env.stateDir,
            runner,
            (run) => run.version === '1.1.0' && run.state.phase === 'paused' && run.state.step === i,
            `the canary to pass step ${i + 1} (${percent}%) and pause`,
          );
          expect(await router!.weights()).toEqual(weightsAt(percent, 'green', 'blue'));
          await router!.settled();
          await count(`split:${percent}`, SPLIT_REQUESTS);
          load!.phase('healthy');
          const resume = await cli('canary', 'resume', '--json');
          expect(resume.code, resume.stderr).toBe(0);
          expect(JSON.parse(resume.stdout)).toMatchObject({ ok: true, request: 'resume' });
        }
        const { code } = await runner.exited;
        const out = JSON.parse(runner.stdout());
        expect(out.result, runner.stderr()).toBe('promoted');
        expect(code).toBe(0);
        expect(out).toMatchObject({ ok: true, plan: { version: '1.1.0', canaryColour: 'green', stableColour: 'blue' } });
        const run = out.run as CanaryRun;
        expect(run.state.phase).toBe('promoted');
        expect(advancedAt(run)).toEqual([...STEPS]);
        for (const interval of run.analysis) expect(interval.results.filter((x) => x.verdict === 'fail')).toEqual([]);
      } finally {
        env.configure({ canary: undefined });
      }
      // one switch per step and the promotion (nginx reloads each time; HAProxy never)
      expect(router!.reloads() - reloadsBefore).toBe(5 * kind.reloadsPerSwitch);
      expect(await router!.weights()).toEqual(weightsAt(100, 'green', 'blue'));
      await router!.settled();
      const stableBefore = await appRequests(blue!);
      await count('healthy:after', AFTER_REQUESTS);
      expectAllFrom('1.1.0', 'healthy:after');
      expect(await appRequests(blue!)).toBe(stableBefore);
      expect(await servedVersions(router!.url)).toEqual(new Set(['1.1.0']));
      const s = await status();
      expect(s.live).toMatchObject({ colour: 'green', version: '1.1.0' });
      expect(s.canary).toMatchObject({ version: '1.1.0', phase: 'promoted', percent: 100, ended: true });

      // the split each step's weights gave the load, in answered requests
      const rows = STEPS.map((percent) => {
        const s = load!.summary(`split:${percent}`);
        const answered = s.requests - s.failures;
        const canary = s.versions['1.1.0'] ?? 0;
        return { percent, s, answered, canary, share: (100 * canary) / answered };
      });
      console.log(`${kind.name}: the canary's share of the load's answers while each step held (${RPS} rps, retry ${kind.retry})`);
      console.table(
        rows.map((r) => ({
          step: `${r.percent}%`,
          requests: r.s.requests,
          failures: r.s.failures,
          '1.0.0 (stable)': r.s.versions['1.0.0'] ?? 0,
          '1.1.0 (canary)': r.canary,
          share: `${r.share.toFixed(1)}%`,
          bounds: SPLIT_BOUNDS[r.percent]!.map((b) => `${b}%`).join('–'),
        })),
      );
      for (const r of rows) {
        expect(
          Object.keys(r.s.versions).every((v) => v === '1.0.0' || v === '1.1.0'),
          JSON.stringify(r.s.versions),
        ).toBe(true);
        expect(r.answered).toBeGreaterThanOrEqual(SPLIT_REQUESTS / 2);
        const [lo, hi] = SPLIT_BOUNDS[r.percent]!;
        expect(r.share, `${r.percent}% step: ${r.canary}/${r.answered}`).toBeGreaterThanOrEqual(lo);
        expect(r.share, `${r.percent}% step: ${r.canary}/${r.answered}`).toBeLessThanOrEqual(hi);
      }
    },
  );

  it(
    'aborts a -bad canary (20% errors) at its first step with exit 1; then all traffic is on 1.1.0 and the canary gets none',
    { timeout: 180_000 },
    async () => {
      // green 1.1.0 is live now: the canary goes onto blue
      const reloadsBefore = router!.reloads();
      const app500Before = await appRequests(blue!, 500);
      load!.phase('bad');
      const r = await cli('canary', 'deploy', '1.2.0-bad', '--json');
      await router!.settled();
      const canaryBefore = await appRequests(blue!);
      await count('bad:after', AFTER_REQUESTS);
      expect(await appRequests(blue!)).toBe(canaryBefore);
      badApp500 = (await appRequests(blue!, 500)) - app500Before;

      const out = JSON.parse(r.stdout);
      expect(out.result, r.stderr).toBe('aborted');
      expect(r.code).toBe(1);
      expect(out).toMatchObject({ ok: false, plan: { version: '1.2.0-bad', canaryColour: 'blue', stableColour: 'green' } });
      expect(out.reason).toMatch(ERROR_RATE);
      const run = out.run as CanaryRun;
      expect(run.state).toMatchObject({ phase: 'aborted', step: 0 });
      expect(run.analysis.length).toBeGreaterThan(0);
      expect(run.analysis.every((i) => i.step === 0 && i.weight === 5)).toBe(true);
      expect(run.analysis.at(-1)!.action).toBe('abort');
      // the 5% step and the abort
      expect(router!.reloads() - reloadsBefore).toBe(2 * kind.reloadsPerSwitch);
      expect(await router!.weights()).toEqual(weightsAt(0, 'blue', 'green'));
      // the canary did serve its share during the step, errors included
      expect(load!.summary('bad').versions['1.2.0-bad'] ?? 0).toBeGreaterThan(0);
      expect(badApp500).toBeGreaterThan(0);
      expect(load!.summary('bad').errors).toContain('HTTP 500');
      expectAllFrom('1.1.0', 'bad:after');
      expect(await servedVersions(router!.url)).toEqual(new Set(['1.1.0']));
      const s = await status();
      expect(s.live).toMatchObject({ colour: 'green', version: '1.1.0' });
      expect(s.canary).toMatchObject({ version: '1.2.0-bad', phase: 'aborted', percent: 0, ended: true });
      expect(s.lastDeploy).toMatchObject({ version: '1.2.0-bad', strategy: 'canary', result: 'aborted', reason: out.reason });
    },
  );

  it(`loses no more requests than ${kind.name} is allowed (see the top of the file) and prints the counts`, async () => {
    await load!.stop();
    const healthyPhases = ['healthy', ...STEPS.map((p) => `split:${p}`), 'healthy:after'];
    const reloadsPer = kind.reloadsPerSwitch;
    const rows = [
      { step: 'healthy 1.1.0', reloads: 5 * reloadsPer, s: load!.summary(...healthyPhases), app500: 0 },
      { step: 'bad 1.2.0-bad', reloads: 2 * reloadsPer, s: load!.summary('bad', 'bad:after'), app500: badApp500 },
    ].map((r) => ({ ...r, failures: r.s.failures - r.app500, allowed: r.reloads * baseline }));
    console.log(
      `${kind.name}: prodx canary under ${RPS} rps, one keep-alive client (retry ${kind.retry}); ${router!.bareReload ? `a bare reload lost ${baseline}` : 'no reloads'}`,
    );
    console.table(
      rows.map((r) => ({
        canary: r.step,
        reloads: r.reloads,
        requests: r.s.requests,
        'router failures': r.failures,
        allowed: r.allowed,
        retried: r.s.retries,
        'app 500s': r.app500,
        errors: r.s.errors.join('; '),
      })),
    );
    expect(load!.summary('start').failures).toBe(0);
    for (const r of rows) expect(r.failures, `${r.step}: ${r.s.errors.join('; ')}`).toBeLessThanOrEqual(r.allowed);
    // the app's 500s were all seen by the client: it had at least that many failures in those phases
    expect(rows[1]!.s.failures).toBeGreaterThanOrEqual(badApp500);
  });
});
