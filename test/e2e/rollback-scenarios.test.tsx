// The four rollbacks a release can need, each done twice against the real builtin router and
// two real sample targets: once with `prodx rollback` (the CI way) and once with the dashboard's
// `r` then `y` (the keyboard, through the real app operations). Both must leave the same router
// weights, the same state and the same history: there is one rollback plan.
//   after a completed deploy · after prodx adopted an environment it had no state for ·
//   a deploy killed while monitoring · a canary orphaned at 10%
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppOperations } from '../../src/app/appOperations.js';
import { createContext } from '../../src/app/context.js';
import { systemRuntime } from '../../src/app/system.js';
import { writeState } from '../../src/adapters/state/stateFile.js';
import { emptyEnvironmentState, type EnvironmentState } from '../../src/core/state/schema.js';
import { BIN, prodx } from '../support/cli.js';
import { canaryConfig } from '../support/canary.js';
import { startDeployEnv, type DeployEnv } from '../support/deployEnv.js';
import { waitUntil } from '../support/load.js';
import { makeCtx, makeStore, renderApp, waitFor, waitForFrame } from '../ui/helpers.js';
import { blueLiveOnOneZero } from '../support/records.js';

let env: DeployEnv;
const RELEASE = join(import.meta.dirname, '../../fixtures/weather-app/release.mjs');
const cli = (...args: string[]) => prodx([...args, '--config', env.configPath]);
const status = async () => JSON.parse((await cli('status', '--json')).stdout);
const weights = async () => (await fetch(`${env.router.adminUrl}/weights`)).json() as Promise<Record<string, number>>;
const setWeights = (w: Record<string, number>) => fetch(`${env.router.adminUrl}/weights`, { method: 'PUT', body: JSON.stringify(w) });
const install = (t: { url: string }, version: string) =>
  fetch(new URL('/admin/release', t.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ version, restartMs: 0, faults: {} }),
  });

beforeAll(async () => {
  env = await startDeployEnv();
});
afterAll(async () => {
  await env?.close();
});
afterEach(() => cleanup());

/** Blue 1.0.0 live with all traffic, green 1.0.0 idle; the state as `seeded` says (or none at all). */
async function reset(seeded: boolean) {
  env.configure({
    release: { command: [process.execPath, RELEASE], timeout: '10s' },
    postPromotion: { window: '1500ms', interval: '250ms', maxErrorRate: 0.02, minRequests: 5, failureLimit: 1 },
    canary: undefined,
  });
  await Promise.all([install(env.blue, '1.0.0'), install(env.green, '1.0.0'), env.blue.setFaults({ failHealth: false, errorRatio: 0 })]);
  await setWeights({ blue: 100, green: 0 });
  rmSync(join(env.stateDir, 'state.json'), { force: true });
  rmSync(join(env.stateDir, 'locks'), { recursive: true, force: true });
  if (seeded) await writeState(env.stateDir, () => blueLiveOnOneZero(1));
}

/** Starts prodx and SIGKILLs it once `ready` holds: a prodx that died mid-release. */
async function killedWhile(args: string[], ready: () => Promise<boolean>, what: string) {
  const child = spawn(process.execPath, [BIN, ...args, '--config', env.configPath], {
    env: { ...process.env, CI: 'true' },
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.on('exit', r));
  await waitUntil(ready, what, 30_000);
  child.kill('SIGKILL');
  await exited;
}

interface Scenario {
  name: string;
  /** the plan the rollback must follow */
  undid: string;
  arrange(): Promise<void>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'after a completed deploy',
    undid: 'previous-colour',
    arrange: async () => {
      await reset(true);
      expect((await cli('deploy', '2.0.0')).code).toBe(0);
    },
  },
  {
    name: 'after adoption (no state: prodx learned blue 1.0.0 from the router and its version endpoint)',
    undid: 'previous-colour',
    arrange: async () => {
      await reset(false);
      const d = await cli('deploy', '2.0.0', '--json');
      expect(d.code, d.stderr).toBe(0);
      expect(JSON.parse(d.stdout).deployment).toMatchObject({ fromColour: 'blue', fromVersion: '1.0.0', toColour: 'green' });
    },
  },
  {
    name: 'a deploy killed while monitoring',
    undid: 'undo-deploy',
    arrange: async () => {
      await reset(true);
      env.configure({ postPromotion: { window: '5m', interval: '200ms', minRequests: 5 } });
      await killedWhile(
        ['deploy', '2.0.0'],
        async () => (await status()).active?.phase === 'monitoring' && (await weights())['green'] === 100,
        'the deploy to monitor green',
      );
    },
  },
  {
    name: 'a canary orphaned at 10%',
    undid: 'undo-canary',
    arrange: async () => {
      await reset(true);
      env.configure(canaryConfig({ pause: 'indefinite', analysis: { minRequests: 0 } }));
      await killedWhile(['canary', 'deploy', '1.1.0'], async () => (await weights())['green'] === 5, 'the canary at its first step');
      // move it on to 10% as an operator would: a request applied directly, no runner alive
      expect((await cli('canary', 'promote')).code).toBe(0);
      expect(await weights()).toEqual({ blue: 90, green: 10 });
    },
  },
];

/** What a rollback leaves, without ids, times and who: the router's weights, the state's facts, the history's tail. */
async function outcome() {
  const w = await weights();
  const s = (await import('../../src/adapters/state/stateFile.js')).readState(env.stateDir).environments['production'] as EnvironmentState;
  const history = s.history
    .slice(-2)
    .map((h) => ({ kind: h.kind, strategy: h.strategy, result: h.result, version: h.version, from: h.fromColour, to: h.toColour }));
  return {
    weights: w,
    live: s.live ? { colour: s.live.colour, version: s.live.version } : null,
    previous: s.previous ? { colour: s.previous.colour, version: s.previous.version } : null,
    active: s.active ?? null,
    canary: s.canary ? { phase: s.canary.state.phase, ended: s.canary.endedAt !== undefined } : null,
    history,
  };
}

/** The dashboard as a person uses it: r, read the plan, y. */
async function rollbackByKeyboard(undid: string) {
  const opCtx = await createContext({ config: env.configPath, env: 'production' });
  const store = makeStore();
  const refresh = async () => {
    const s = (await import('../../src/adapters/state/stateFile.js')).readState(env.stateDir).environments['production'];
    store.getState().actions.setDeployment({ ...emptyEnvironmentState(), ...s });
    store.getState().actions.setWeights(await weights());
  };
  await refresh();
  const ctx = makeCtx([], store);
  ctx.app = createAppOperations({ ctx: opCtx, store, runtime: (o) => systemRuntime(opCtx, o), refresh }) as never;
  const { press, lastFrame } = await renderApp(ctx, { columns: 120, rows: 40 });
  const title =
    undid === 'undo-canary'
      ? 'Undo the canary of 1.1.0'
      : undid === 'undo-deploy'
        ? 'Undo the deploy of 2.0.0'
        : 'Put traffic back on the previous colour';
  const dialog = await press('r', (f) => f.includes(title));
  expect(dialog).toMatch(/to {4}blue 1\.0\.0/);
  await press('y', (f) => !f.includes(title));
  await waitForFrame(lastFrame, (f) => f.includes('rolled back'), 30_000);
  await waitFor(
    () => store.getState().inFlight,
    (x) => x === null,
    'the rollback to end',
    30_000,
  );
}

describe('the four rollbacks, by `prodx rollback` and by the keyboard, end the same', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', { timeout: 180_000 }, async (_name, scenario) => {
    await scenario.arrange();
    const r = await cli('rollback', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, undid: scenario.undid, to: { colour: 'blue', version: '1.0.0' } });
    const byCli = await outcome();
    expect(byCli.weights).toEqual({ blue: 100, green: 0 });
    expect(byCli.live).toEqual({ colour: 'blue', version: '1.0.0' });
    expect(byCli.active).toBeNull();
    expect(byCli.history.at(-1)).toMatchObject({
      kind: 'rollback',
      strategy: scenario.undid,
      result: 'succeeded',
      to: 'blue',
      version: '1.0.0',
    });
    if (scenario.undid === 'undo-canary') {
      expect(byCli.canary).toEqual({ phase: 'rolled-back', ended: true });
      expect(byCli.history.at(-2)).toMatchObject({ kind: 'canary', result: 'rolled-back' });
    }
    if (scenario.undid === 'undo-deploy')
      expect(byCli.history.at(-2)).toMatchObject({ kind: 'deploy', result: 'rolled-back', version: '2.0.0' });

    await scenario.arrange();
    await rollbackByKeyboard(scenario.undid);
    expect(await outcome()).toEqual(byCli);
  });
});

describe('a rollback whose target is down', () => {
  it('passes the health gate first: traffic stays, exit 1, and the failed rollback is in the history', { timeout: 120_000 }, async () => {
    await SCENARIOS[2]!.arrange();
    await env.blue.setFaults({ failHealth: true });
    env.configure({ prePromotion: { timeout: '2s' } });
    const r = await cli('rollback', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      undid: 'undo-deploy',
      reason: expect.stringMatching(/^cannot roll back to blue: .*Traffic stays on green\.$/),
    });
    expect(await weights()).toEqual({ blue: 0, green: 100 });
    const s = await status();
    // nothing changed: the deploy is still where prodx was killed, for another try once blue is fixed
    expect(s.active).toMatchObject({ version: '2.0.0', phase: 'monitoring' });
    expect(s.lastDeploy).toMatchObject({ kind: 'rollback', result: 'failed', reason: expect.stringMatching(/^cannot roll back to blue/) });
    await env.blue.setFaults({ failHealth: false });
    env.configure({ prePromotion: undefined });
  });
});
