// Canary releases through the real binary, the real builtin router process and two real sample
// targets, under a steady keep-alive load of 400 requests a second: a healthy canary walks
// 5 → 10 → 25 → 50 → 100; one with 20% errors is aborted at its first step; one whose latency
// rises mid-way is aborted at that step; a SIGKILLed runner is resumed on the same step with the
// router's weights intact; operators pause, resume, promote and abort it from another process;
// `canary status --watch --json` gates CI; `canary dry-run` changes nothing.
//
// The tests share one environment, so each reads which colour is live (stable) before it starts;
// the canary goes onto the other one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prodx } from '../support/cli.js';
import { startDeployEnv, type DeployEnv } from '../support/deployEnv.js';
import { startLoad, waitUntil, type LoadClient } from '../support/load.js';
import {
  STEPS,
  advancedAt,
  canaryConfig,
  errorRateOf,
  readCanary,
  readLive,
  recordWeights,
  routerWeights,
  spawnProdx,
  weightsAt,
  type CanaryRun,
  type JsonLine,
  type ProdxChild,
  type WeightsRecorder,
} from '../support/canary.js';

let env: DeployEnv;
let load: LoadClient;
const RELEASE = join(import.meta.dirname, '../../fixtures/weather-app/release.mjs');
const cli = (...args: string[]) => prodx([...args, '--config', env.configPath]);
const weights = () => routerWeights(env.router.adminUrl);
const status = async () => JSON.parse((await cli('status', '--json')).stdout);
/** stable is the live colour, the canary goes onto the other */
function colours(): { stable: string; canary: string } {
  const stable = readLive(env.stateDir).colour;
  return { stable, canary: stable === 'blue' ? 'green' : 'blue' };
}
const targetOf = (colour: string) => (colour === 'blue' ? env.blue : env.green);
/** the versions the router serves right now, over a few fresh requests */
async function servedVersions(n = 20): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < n; i++) out.add(((await (await fetch(env.router.url)).json()) as { version: string }).version);
  return out;
}
const stateBytes = () => readFileSync(join(env.stateDir, 'state.json'), 'utf8');
const isInterval = (l: JsonLine) => l.event === 'interval';
/** what Node prints for a leak or a deprecation, e.g. "(node:123) MaxListenersExceededWarning: …" */
const NODE_WARNING = /\(node:\d+\) \w*Warning/;
// every process and weights recorder a test starts is stopped after it, whatever happened
const started: { children: ProdxChild[]; recorders: WeightsRecorder[] } = { children: [], recorders: [] };
const spawnCli = (...args: string[]) => {
  const c = spawnProdx([...args, '--config', env.configPath]);
  started.children.push(c);
  return c;
};
/** records the router's weights from now on: resolves after the first read */
const record = async (everyMs?: number) => {
  const r = recordWeights(env.router.adminUrl, everyMs);
  started.recorders.push(r);
  await waitUntil(() => r.samples.length > 0, 'a first read of the weights');
  return r;
};
const measured = (i: CanaryRun['analysis'][number]) => i.canary as { requests: number; errors: number };
const step = (l: JsonLine) => (l.state as { phase: string; step?: number } | undefined)?.step;

beforeAll(async () => {
  env = await startDeployEnv();
  env.configure(canaryConfig());
  // enough sockets that a slow canary (the latency test) does not throttle the whole load
  load = startLoad({ url: env.router.url, rps: 400, retry: 'never', maxRequests: 400_000, maxDurationMs: 900_000, maxSockets: 64 });
});
afterEach(async () => {
  for (const c of started.children.splice(0)) c.child.kill('SIGKILL');
  await Promise.all(started.recorders.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await load?.stop();
  await env?.close();
});

describe('prodx canary with the builtin router', () => {
  it('dry-run prints the plan with the weights of every step and changes nothing', async () => {
    env.configure(canaryConfig());
    const { stable, canary } = colours();
    const before = stateBytes();
    const weightsBefore = await weights();
    const r = await cli('canary', 'dry-run', '2.0.0', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      ok: true,
      result: 'planned',
      run: null,
      plan: {
        version: '2.0.0',
        canaryColour: canary,
        stableColour: stable,
        steps: [...STEPS],
        weights: STEPS.map((p) => weightsAt(p, canary, stable)),
        intervalMs: 1000,
        analysis: { maxErrorRate: 0.02, maxP95Ms: 500, minRequests: 10, failureLimit: 1 },
        provider: 'scrape',
      },
    });
    expect(out.plan.lines).toContain(`step 1: 5% to ${canary}, 95% to ${stable}; analyse every 1s (scrape), then go on`);
    expect(out.plan.lines).toContain(`step 5: 100% to ${canary}, 0% to ${stable} — promoted`);
    expect(stateBytes()).toBe(before);
    expect(existsSync(join(env.stateDir, 'lock'))).toBe(false);
    expect(await weights()).toEqual(weightsBefore);
    // the same plan through `prodx deploy --strategy canary --dry-run`
    const d = await cli('deploy', '2.0.0', '--strategy', 'canary', '--dry-run', '--json');
    expect(d.code, d.stderr).toBe(0);
    expect(JSON.parse(d.stdout)).toEqual(out);
    expect(stateBytes()).toBe(before);
    expect(await weights()).toEqual(weightsBefore);
  });

  it('promotes a healthy canary through all five steps, with zero failed requests', { timeout: 120_000 }, async () => {
    env.configure(canaryConfig());
    const { stable, canary } = colours();
    const rec = await record();
    load.phase('healthy');
    const r = await cli('canary', 'deploy', '1.1.0', '--json');
    load.phase('idle');
    await rec.stop();
    const out = JSON.parse(r.stdout);
    expect(out.result, r.stderr).toBe('promoted');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(NODE_WARNING);
    expect(out).toMatchObject({ ok: true, plan: { version: '1.1.0', canaryColour: canary, stableColour: stable } });
    const run = out.run as CanaryRun;
    expect(run.state.phase).toBe('promoted');
    // one advance per analysed step, in order; 100% is the promotion itself
    expect(advancedAt(run)).toEqual([5, 10, 25, 50]);
    // nothing failed; an interval that did not advance held for want of evidence
    for (const i of run.analysis) {
      expect(i.results.filter((x) => x.verdict === 'fail')).toEqual([]);
      expect(i.action === 'advance' ? i.results.every((x) => x.verdict === 'pass') : i.action === 'hold').toBe(true);
    }
    // the router went through every step's weights, in order, and ends with all traffic on the canary
    expect(rec.canaryPercents(canary)).toEqual([0, 5, 10, 25, 50, 100]);
    expect(await weights()).toEqual(weightsAt(100, canary, stable));
    expect(await servedVersions()).toEqual(new Set(['1.1.0']));
    const s = await status();
    expect(s.live).toMatchObject({ colour: canary, version: '1.1.0' });
    expect(s.previous).toMatchObject({ colour: stable });
    expect(s.lastDeploy).toMatchObject({ version: '1.1.0', strategy: 'canary', result: 'succeeded', toColour: canary });
    expect(s.canary).toMatchObject({ version: '1.1.0', phase: 'promoted', percent: 100, ended: true, running: false });
    await waitUntil(() => load.settled('healthy') > 0, 'requests of the healthy phase');
    const summary = load.summary('healthy');
    expect(summary.requests).toBeGreaterThan(500);
    expect(summary.failures, summary.errors.join(', ')).toBe(0);
  });

  it(
    "the builtin provider judges on the router's own counters: promotes a healthy canary, aborts a bad one",
    { timeout: 120_000 },
    async () => {
      env.configure({ ...canaryConfig(), metrics: { type: 'builtin' } });
      try {
        const { canary } = colours();
        const good = await cli('canary', 'deploy', '1.5.0', '--json');
        const out = JSON.parse(good.stdout);
        expect(out.result, good.stderr).toBe('promoted');
        expect(out.plan.provider).toBe('builtin');
        expect(advancedAt(out.run)).toEqual([5, 10, 25, 50]);
        // what the router counted for the canary, not what the app says: every judged interval saw requests
        expect((out.run as CanaryRun).analysis.every((i) => measured(i).requests > 0)).toBe(true);
        expect((await weights())[canary]).toBe(100);

        const bad = await cli('canary', 'deploy', '1.6.0-bad', '--json');
        const b = JSON.parse(bad.stdout);
        expect(b.result, bad.stderr).toBe('aborted');
        expect(bad.code).toBe(1);
        expect(b.reason).toMatch(/error rate \d+\.\d% > 2\.0%/);
        expect((b.run as CanaryRun).analysis.every((i) => i.step === 0)).toBe(true);
        expect((await weights())[b.plan.canaryColour]).toBe(0);
      } finally {
        env.configure({ metrics: undefined });
      }
    },
  );

  it('aborts a canary with 20% errors within two intervals of the first step, naming the measured rate', { timeout: 60_000 }, async () => {
    env.configure(canaryConfig());
    const { stable, canary } = colours();
    const stableVersion = readLive(env.stateDir).version;
    const r = await cli('canary', 'deploy', '1.2.0-bad', '--json');
    const out = JSON.parse(r.stdout);
    expect(out.result, r.stderr).toBe('aborted');
    expect(r.code).toBe(1);
    const run = out.run as CanaryRun;
    expect(run.state).toMatchObject({ phase: 'aborted', step: 0 });
    // failureLimit 1: the first two intervals both fail on the error rate, the second aborts
    expect(run.analysis.map((i) => [i.step, i.weight, i.action, i.failed])).toEqual([
      [0, 5, 'hold', 1],
      [0, 5, 'abort', 2],
    ]);
    for (const i of run.analysis) expect(i.results.find((x) => x.rule === 'error-rate')?.verdict).toBe('fail');
    const last = run.analysis.at(-1)!;
    // the reason carries the rate the last interval measured: errors / requests of the canary
    const m = /^failed \(2\) > failureLimit \(1\): error rate (\d+\.\d)% > 2\.0%/.exec(out.reason);
    expect(m, out.reason).not.toBeNull();
    expect(Number(m![1])).toBe(Number((errorRateOf(last)! * 100).toFixed(1)));
    // every 5th request fails; an interval is a slice of ~20 of them, so near 20% but not exactly
    expect(Number(m![1])).toBeGreaterThan(10);
    expect(Number(m![1])).toBeLessThan(30);
    expect(await weights()).toEqual(weightsAt(0, canary, stable));
    expect(await servedVersions()).toEqual(new Set([stableVersion]));
    const s = await status();
    expect(s.live).toMatchObject({ colour: stable, version: stableVersion });
    expect(s.lastDeploy).toMatchObject({ version: '1.2.0-bad', strategy: 'canary', result: 'aborted', reason: out.reason });
  });

  it('too little evidence holds and keeps collecting until it adds up: never a pass, never a failure', { timeout: 120_000 }, async () => {
    // the first step sends the canary ~20 requests a second; 50 take about three intervals
    env.configure(canaryConfig({ analysis: { minRequests: 50 } }));
    const r = await cli('canary', 'deploy', '1.2.1', '--json');
    const out = JSON.parse(r.stdout);
    expect(out.result, r.stderr).toBe('promoted');
    expect(r.code).toBe(0);
    const run = out.run as CanaryRun;
    expect(advancedAt(run)).toEqual([5, 10, 25, 50]);
    const first = run.analysis.filter((i) => i.step === 0);
    const held = first.slice(0, -1);
    expect(held.length).toBeGreaterThanOrEqual(1);
    for (const i of held) {
      expect(i.action).toBe('hold');
      expect(i.results.map((x) => x.verdict)).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
      expect(i.reason).toMatch(/^inconclusive: \d+ canary requests < 50 needed for a verdict$/);
    }
    // the evidence window grows from the step's start until the requests add up to a verdict
    for (let k = 1; k < first.length; k++) {
      expect(first[k]!.windowMs).toBeGreaterThan(first[k - 1]!.windowMs);
      expect(measured(first[k]!).requests).toBeGreaterThan(measured(first[k - 1]!).requests);
    }
    expect(first.at(-1)!.windowMs).toBeGreaterThan(1_500);
    expect(measured(first.at(-1)!).requests).toBeGreaterThanOrEqual(50);
    expect(first.at(-1)!.action).toBe('advance');
  });

  it('aborts a canary whose latency rises at step 3 at that step, within two intervals of the fault', { timeout: 120_000 }, async () => {
    // Why failureLimit 0: a slow request is counted when it finishes, latencyMs after it began, and
    // p95 only fails once more than 5% of an interval's requests are slow. The interval the fault
    // lands in is therefore only partly slow: it fails when the fault came early in it, but may
    // pass or hold when it came late. The next interval is slow throughout and fails. With
    // failureLimit 1 a late fault would need that interval and one more (3 after the fault); with
    // 0 the first failed interval aborts, so the abort is always at most 2 intervals after it.
    // The fault is injected as soon as the step is announced (the transition line comes before the
    // step's first interval begins), so the first interval is slow for all but the test's reaction
    // time and the 200ms latency: it fails, and could only pass (carrying the canary on to step 4)
    // if the test took most of the interval to react.
    // maxP95Ms 100 against a 200ms latency: the slow requests fall in the (0.1s, 0.25s] bucket,
    // while the app's own handling of a request (its histogram) takes well under 5ms.
    env.configure(canaryConfig({ analysis: { maxP95Ms: 100, failureLimit: 0 } }));
    const { stable, canary } = colours();
    const target = targetOf(canary);
    const rec = await record(10);
    const runner = spawnCli('canary', 'deploy', '1.3.0', '--watch', '--json');
    try {
      await runner.waitForLine(
        (l) => l.event === 'transition' && (l.state as { phase: string }).phase === 'progressing' && step(l) === 2,
        'the canary to reach step 3',
        60_000,
      );
      const faultSent = Date.now();
      await target.setFaults({ latencyMs: 200 });
      const faultAt = Date.now();
      const { code } = await runner.exited;
      await rec.stop();
      const out = runner.result()!;
      expect(out.result, runner.stderr()).toBe('aborted');
      expect(code).toBe(1);
      const run = out.run as CanaryRun;
      expect(run.state).toMatchObject({ phase: 'aborted', step: 2 });
      expect(out.reason).toMatch(/^failed \(1\) > failureLimit \(0\): p95 \d+ms > 100ms/);
      // before the fault: steps 1 and 2 passed; after it: at most two intervals, all at step 3
      const before = run.analysis.filter((i) => i.at <= faultSent);
      const after = run.analysis.filter((i) => i.at > faultSent);
      expect(before.map((i) => i.step)).not.toContain(2);
      expect(advancedAt({ ...run, analysis: before })).toEqual([5, 10]);
      expect(after.length).toBeGreaterThanOrEqual(1);
      expect(after.length).toBeLessThanOrEqual(2);
      expect(after.every((i) => i.step === 2 && i.weight === 25)).toBe(true);
      expect(after.at(-1)!.action).toBe('abort');
      // the router's canary weight went 25 → 0 with no step in between
      expect(rec.canaryPercents(canary)).toEqual([0, 5, 10, 25, 0]);
      const zeroAt = rec.firstAt((w) => w[canary] === 0, faultAt);
      expect(zeroAt).toBeDefined();
      console.log(
        `fault → weight 0: ${zeroAt! - faultAt} ms (interval 1000 ms; ${after.length} interval(s) after the fault, window ${after.map((i) => i.windowMs).join('+')} ms)`,
      );
      expect(await weights()).toEqual(weightsAt(0, canary, stable));
      // the lines streamed: the same intervals as the final run, the abort as a transition
      expect(runner.lines.filter(isInterval).map((l) => (l.interval as { at: number }).at)).toEqual(run.analysis.map((i) => i.at));
      expect(runner.lines.filter((l) => l.event === 'transition').at(-1)).toMatchObject({
        from: 'progressing',
        state: { phase: 'aborted', step: 2 },
        weights: weightsAt(0, canary, stable),
      });
    } finally {
      await target.setFaults({ latencyMs: 0 });
    }
  });

  it('SIGKILL during a step: weights are kept, --resume promotes from the same step', { timeout: 120_000 }, async () => {
    env.configure(canaryConfig());
    const { stable, canary } = colours();
    const allowed = [0, ...STEPS].map((p) => weightsAt(p, canary, stable));
    const rec = await record(10);
    const runner = spawnCli('canary', 'deploy', '1.5.0', '--json');
    let killedStep = -1;
    // the state first, then the router: weights matching the step read are that step's applied
    await waitUntil(
      async () => {
        const run = readCanary(env.stateDir);
        if (run?.version !== '1.5.0' || run.setup !== 'ready' || run.state.phase !== 'progressing' || run.state.step < 2) return false;
        const w = await weights();
        if (w[canary] !== STEPS[run.state.step]) return false;
        killedStep = run.state.step;
        return true;
      },
      'the canary at step 3 or later with its weights applied',
      60_000,
    );
    runner.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await runner.exited).signal).toBe('SIGKILL');
    const left = readCanary(env.stateDir)!;
    expect(left.state).toMatchObject({ phase: 'progressing', step: killedStep });
    expect(left.endedAt).toBeUndefined();
    // nothing undid or moved the weights: the router still has the step's
    const stepWeights = weightsAt(STEPS[killedStep]!, canary, stable);
    expect(await weights()).toEqual(stepWeights);
    const s = await status();
    expect(s.canary).toMatchObject({ version: '1.5.0', phase: 'progressing', step: killedStep, running: false, ended: false });
    expect(s.canary.advice).toMatch(/prodx canary deploy --resume/);
    expect(await weights()).toEqual(stepWeights);

    const r = await cli('canary', 'deploy', '--resume', '--json');
    await rec.stop();
    const out = JSON.parse(r.stdout);
    expect(out.result, r.stderr).toBe('promoted');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(NODE_WARNING);
    const run = out.run as CanaryRun;
    expect(run.id).toBe(left.id);
    const afterResume = run.analysis.filter((i) => i.at > killedAt);
    expect(afterResume[0]).toMatchObject({ step: killedStep, weight: STEPS[killedStep] });
    // every step advanced exactly once over both processes, the killed one after the resume
    expect(advancedAt(run)).toEqual([5, 10, 25, 50]);
    expect(run.analysis.filter((i) => i.at <= killedAt).every((i) => i.step < killedStep || i.action === 'hold')).toBe(true);
    // the weights were never anything but a step's: not lost, not doubled, nothing in between
    for (const sample of rec.samples) expect(allowed).toContainEqual(sample.weights);
    expect(rec.canaryPercents(canary)).toEqual([0, ...STEPS]);
    expect(await weights()).toEqual(weightsAt(100, canary, stable));
    expect((await status()).live).toMatchObject({ colour: canary, version: '1.5.0' });
  });

  describe('operators control a running canary from another process', () => {
    it('pause holds the weights, resume analyses again, promote moves one step, promote --full ends it', { timeout: 120_000 }, async () => {
      // No interval can reach a verdict (too few requests): the canary holds at its step until an
      // operator moves it, so every step below is the operators' doing.
      env.configure(canaryConfig({ analysis: { minRequests: 1_000_000 } }));
      const { stable, canary } = colours();
      const runner = spawnCli('canary', 'deploy', '1.6.0', '--watch', '--json');
      try {
        await runner.waitForLine(isInterval, 'a first analysis interval', 60_000);
        expect(await weights()).toEqual(weightsAt(5, canary, stable));
        expect(runner.lines.find(isInterval)).toMatchObject({ interval: { step: 0, action: 'hold' } });

        const pause = await cli('canary', 'pause', '--json');
        expect(pause.code, pause.stderr).toBe(0);
        expect(JSON.parse(pause.stdout)).toMatchObject({
          ok: true,
          request: 'pause',
          message: `pause: paused at step 1/5 (5% to ${canary})`,
        });
        expect(readCanary(env.stateDir)!.state).toMatchObject({ phase: 'paused', step: 0, until: null, then: 'same' });
        // proving a hold takes time: two and a half intervals without analysis or a weight change
        // (counted in the state, which the runner writes before it answers)
        const intervalsAtPause = readCanary(env.stateDir)!.analysis.length;
        const rec = await record();
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        await rec.stop();
        expect(rec.samples.length).toBeGreaterThan(10);
        for (const sample of rec.samples) expect(sample.weights).toEqual(weightsAt(5, canary, stable));
        expect(readCanary(env.stateDir)!.analysis.length).toBe(intervalsAtPause);
        expect(runner.lines.filter(isInterval).length).toBe(intervalsAtPause);
        expect(readCanary(env.stateDir)!.state).toMatchObject({ phase: 'paused', step: 0 });

        const resume = await cli('canary', 'resume', '--json');
        expect(resume.code, resume.stderr).toBe(0);
        expect(JSON.parse(resume.stdout)).toMatchObject({ ok: true, message: `resume: progressing at step 1/5 (5% to ${canary})` });
        await waitUntil(() => runner.lines.filter(isInterval).length > intervalsAtPause, 'analysis after the resume', 30_000);
        expect(readCanary(env.stateDir)!.state).toMatchObject({ phase: 'progressing', step: 0 });

        const promote = await cli('canary', 'promote', '--json');
        expect(promote.code, promote.stderr).toBe(0);
        expect(JSON.parse(promote.stdout)).toMatchObject({ ok: true, message: `promote: progressing at step 2/5 (10% to ${canary})` });
        // the runner applies the weights before it answers
        expect(await weights()).toEqual(weightsAt(10, canary, stable));
        expect(readCanary(env.stateDir)!.state).toMatchObject({ phase: 'progressing', step: 1 });

        const full = await cli('canary', 'promote', '--full', '--json');
        expect(full.code, full.stderr).toBe(0);
        expect(JSON.parse(full.stdout)).toMatchObject({ ok: true, message: `promote to 100%: ${canary} (1.6.0) promoted to 100%` });
        expect(await weights()).toEqual(weightsAt(100, canary, stable));

        const { code } = await runner.exited;
        const out = runner.result()!;
        expect(out.result, runner.stderr()).toBe('promoted');
        expect(code).toBe(0);
        const run = out.run as CanaryRun;
        expect(advancedAt(run)).toEqual([]);
        expect(run.analysis.every((i) => i.action === 'hold' && /requests < 1000000 needed/.test(i.reason))).toBe(true);
        const causes = runner.lines.filter((l) => l.event === 'transition').map((l) => String(l.cause));
        // in the user's words: who asked for what, then the promotion itself
        expect(causes.map((c) => /^(.*?) by |^(all) /.exec(c)?.slice(1).find(Boolean))).toEqual([
          'pause',
          'resume',
          'promote',
          'promote to 100%',
          'all',
        ]);
        expect((await status()).live).toMatchObject({ colour: canary, version: '1.6.0' });
      } finally {
        runner.child.kill('SIGKILL');
      }
    });

    it('abort from another process: canary weight 0 at once, the runner exits 1 with result aborted', { timeout: 120_000 }, async () => {
      env.configure(canaryConfig({ analysis: { minRequests: 1_000_000 } }));
      const { stable, canary } = colours();
      const stableVersion = readLive(env.stateDir).version;
      const runner = spawnCli('canary', 'deploy', '1.7.0', '--json');
      try {
        await waitUntil(
          async () => {
            const c = readCanary(env.stateDir);
            return c?.version === '1.7.0' && c.setup === 'ready' && (await weights())[canary] === 5;
          },
          'the canary at its first step',
          60_000,
        );
        const abort = await cli('canary', 'abort', '--reason', 'checkout errors', '--json');
        expect(abort.code, abort.stderr).toBe(0);
        expect(JSON.parse(abort.stdout)).toMatchObject({
          ok: true,
          request: 'abort',
          message: `abort: ${stable} has all traffic again (aborted)`,
        });
        expect(await weights()).toEqual(weightsAt(0, canary, stable));
        const { code } = await runner.exited;
        const out = runner.result()!;
        expect(code).toBe(1);
        expect(out).toMatchObject({ ok: false, result: 'aborted', reason: expect.stringMatching(/^aborted by \S+: checkout errors$/) });
        expect((out.run as CanaryRun).state).toMatchObject({ phase: 'aborted', step: 0 });
        expect(await weights()).toEqual(weightsAt(0, canary, stable));
        expect((await status()).live).toMatchObject({ colour: stable, version: stableVersion });
        // nothing left to control
        const again = await cli('canary', 'abort', '--json');
        expect(again.code).toBe(1);
        expect(JSON.parse(again.stdout).error).toMatchObject({ code: 'no-canary' });
      } finally {
        runner.child.kill('SIGKILL');
      }
    });
  });

  describe('`canary status --watch --json` as a CI gate', () => {
    // The release hook waits for a gate file, so the watcher is reading before the first interval
    // (a watcher that joins a canary under way shows only its latest interval). It gives up when
    // the prodx that started it is gone, so a failed test leaves no process behind.
    const gatedRelease = [
      `const fs = require('node:fs'), parent = process.ppid;`,
      `const t = setInterval(() => {`,
      `  try { process.kill(parent, 0) } catch { process.exit(1) }`,
      `  if (fs.existsSync(process.argv[1])) { clearInterval(t); import(require('node:url').pathToFileURL(process.argv[2])); }`,
      `}, 20);`,
    ].join('\n');

    async function gate(version: string) {
      const gateFile = join(env.dir, `gate-${version}`);
      env.configure({ ...canaryConfig(), release: { command: [process.execPath, '-e', gatedRelease, gateFile, RELEASE], timeout: '60s' } });
      const runner = spawnCli('canary', 'deploy', version, '--json');
      let watcher: ProdxChild | undefined;
      try {
        // started once the new run is in the state: before, it would report the last canary's end
        await waitUntil(() => readCanary(env.stateDir)?.version === version, `the canary of ${version} to start`, 30_000);
        watcher = spawnCli('canary', 'status', '--watch', '--json', '--poll', '100ms');
        await watcher.waitForLine((l) => l.event === 'canary' && l.version === version, 'the watcher to see the canary');
        writeFileSync(gateFile, '');
        const [r, w] = await Promise.all([runner.exited, watcher.exited]);
        return { r, w, out: runner.result()!, lines: watcher.lines, watcher };
      } finally {
        runner.child.kill('SIGKILL');
        watcher?.child.kill('SIGKILL');
        env.configure({ release: undefined });
      }
    }

    it('one interval line per analysis interval, then end promoted and exit 0', { timeout: 120_000 }, async () => {
      const { r, w, out, lines, watcher } = await gate('1.8.0');
      expect(out.result).toBe('promoted');
      expect(r.code).toBe(0);
      expect(w.code, watcher.stderr()).toBe(0);
      const run = out.run as CanaryRun;
      const intervals = lines.filter(isInterval);
      expect(intervals.map((l) => [l.at, l.step, l.action])).toEqual(run.analysis.map((i) => [i.at, i.step, i.action]));
      expect(intervals.length).toBeGreaterThanOrEqual(4);
      expect(lines.filter((l) => l.event === 'phase').map((l) => l.phase)).toContain('promoted');
      expect(lines.at(-1)).toEqual({ ok: true, event: 'end', verdict: 'promoted', intervals: run.analysis.length });
      // every line of the stream says whether it is good news
      expect(lines.every((l) => typeof l.ok === 'boolean')).toBe(true);
    });

    it('and end aborted with exit 1 for a canary that fails', { timeout: 120_000 }, async () => {
      const { r, w, out, lines, watcher } = await gate('1.9.0-bad');
      expect(out.result).toBe('aborted');
      expect(r.code).toBe(1);
      expect(w.code, watcher.stderr()).toBe(1);
      const run = out.run as CanaryRun;
      const intervals = lines.filter(isInterval);
      expect(intervals.map((l) => [l.at, l.step, l.action])).toEqual(run.analysis.map((i) => [i.at, i.step, i.action]));
      expect(intervals.at(-1)).toMatchObject({ action: 'abort', phase: 'aborted' });
      expect(lines.at(-1)).toEqual({ ok: false, event: 'end', verdict: 'aborted', reason: out.reason, intervals: run.analysis.length });
    });
  });

  it('`prodx deploy --strategy canary` runs the same canary as `canary deploy`', { timeout: 120_000 }, async () => {
    env.configure(canaryConfig());
    const { stable, canary } = colours();
    const plan = JSON.parse((await cli('canary', 'dry-run', '2.0.0', '--json')).stdout).plan;
    const r = await cli('deploy', '2.0.0', '--strategy', 'canary', '--json');
    const out = JSON.parse(r.stdout);
    expect(out.result, r.stderr).toBe('promoted');
    expect(r.code).toBe(0);
    // the plan is the dry run's, less the router's description of each step's weights
    expect({ ...out.plan, lines: [] }).toEqual({ ...plan, lines: [] });
    expect(plan.lines.slice(0, out.plan.lines.length)).toEqual(out.plan.lines);
    expect(advancedAt(out.run)).toEqual([5, 10, 25, 50]);
    expect(await weights()).toEqual(weightsAt(100, canary, stable));
    const s = await status();
    expect(s.live).toMatchObject({ colour: canary, version: '2.0.0' });
    expect(s.lastDeploy).toMatchObject({ version: '2.0.0', strategy: 'canary', result: 'succeeded' });
  });
});
