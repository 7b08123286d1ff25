// The canary operation with time as an argument: a fake clock that sleep() advances, a router
// that records every weight change, and a metric provider whose counters grow with the weights
// the router was given (a model of real traffic). The state file and the lock are the real ones
// in a temp folder, so "persisted before acted on" is checked against what is on disk.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/adapters/config/parse.js';
import { localStateStore, writeState } from '../../src/adapters/state/stateFile.js';
import { localLocks } from '../../src/adapters/state/lock.js';
import { localMailbox } from '../../src/adapters/state/mailbox.js';
import type { MetricProvider, Snapshot } from '../../src/core/canary/metrics.js';
import { canaryDeploy } from '../../src/operations/canary/deploy.js';
import { canaryControl } from '../../src/operations/canary/control.js';
import { rollback } from '../../src/operations/rollback.js';
import type { OperationContext } from '../../src/operations/context.js';
import type { OperationEvent as DeployEvent } from '../../src/operations/events.js';
import type { Runtime } from '../../src/operations/runtime.js';
import type { CanaryRun, ProdxState } from '../../src/core/state/schema.js';
import type { TrafficRouter, Weights } from '../../src/core/deploy/router.js';
import { tempDir } from '../support/cli.js';
import { blueLiveOnOneZero } from '../support/records.js';

interface World {
  ctx: OperationContext;
  deps: Runtime;
  applied: Weights[];
  events: DeployEvent[];
  /** error ratio per colour */
  errorRatio: Record<string, number>;
  /** requests per second through the router */
  rps: number;
  controller: AbortController;
  onApply?: (w: Weights) => void;
}

const stateOf = (ctx: OperationContext): ProdxState => JSON.parse(readFileSync(join(ctx.stateDir, 'state.json'), 'utf8'));
const canaryOf = (ctx: OperationContext): CanaryRun => stateOf(ctx).environments['production']!.canary!;

async function world(canary: Record<string, unknown> = {}): Promise<World> {
  const dir = tempDir('prodx-canary-op-');
  const configPath = join(dir, 'prodx.config.json');
  const config = parseConfig(
    JSON.stringify({
      app: 'weather',
      environments: {
        production: {
          targets: { blue: { url: 'http://127.0.0.1:1' }, green: { url: 'http://127.0.0.1:2' } },
          health: { healthyThreshold: 1, interval: '1s' },
          router: { type: 'command', command: ['true'] },
          canary: { interval: '10s', analysis: { minRequests: 20, failureLimit: 1 }, ...canary },
        },
      },
    }),
    configPath,
  );
  const ctx: OperationContext = {
    configPath,
    config,
    envName: 'production',
    env: config.environments['production']!,
    stateDir: join(dir, '.prodx'),
  };
  await writeState(ctx.stateDir, () => blueLiveOnOneZero(0));
  let clock = 1_000_000;
  let weights: Weights = { blue: 100, green: 0 };
  // cumulative counters per colour, grown by the traffic the weights sent since the last look
  const counters: Record<string, { requests: number; errors: number; at: number }> = {
    blue: { requests: 0, errors: 0, at: clock },
    green: { requests: 0, errors: 0, at: clock },
  };
  const w: World = {
    ctx,
    applied: [],
    events: [],
    errorRatio: { blue: 0, green: 0 },
    rps: 100,
    controller: new AbortController(),
    deps: undefined as never,
  };
  const advance = () => {
    for (const [colour, c] of Object.entries(counters)) {
      const n = Math.floor(((clock - c.at) / 1000) * w.rps * ((weights[colour] ?? 0) / 100));
      c.requests += n;
      c.errors += Math.round(n * w.errorRatio[colour]!);
      c.at = clock;
    }
  };
  const provider: MetricProvider = {
    kind: 'scrape',
    sample: async (target): Promise<Snapshot> => {
      advance();
      const c = counters[target.colour]!;
      return {
        kind: 'cumulative',
        colour: target.colour,
        at: clock,
        requests: c.requests,
        errors: c.errors,
        buckets: [
          { le: 0.05, count: c.requests },
          { le: Infinity, count: c.requests },
        ],
      };
    },
  };
  const router: TrafficRouter = {
    kind: 'command',
    read: async () => weights,
    apply: async (next) => {
      // persisted first: the state on disk already names the step these weights belong to
      const run = canaryOf(ctx);
      const s = run.state;
      const expected =
        s.phase === 'promoting' ? 100 : s.phase === 'aborted' || s.phase === 'rolled-back' ? 0 : run.steps['step' in s ? s.step : 0];
      expect(next['green']).toBe(expected);
      advance();
      weights = next;
      w.applied.push(next);
      w.onApply?.(next);
    },
    describe: () => [],
  };
  w.deps = {
    store: localStateStore(ctx.stateDir),
    locks: localLocks(ctx.stateDir),
    mailbox: localMailbox(ctx.stateDir),
    router: async () => router,
    // blue (port 1) is stable and runs 1.0.0; green (port 2) runs the canary's version
    probe: async (t) => ({
      ok: true,
      statusCode: 200,
      latencyMs: 1,
      version: t.url.endsWith(':2') ? canaryRunVersion(ctx) : '1.0.0',
      at: clock,
    }),
    runHook: async () => ({ lines: [] }),
    clock: {
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
        // a canary that never ends would spin here for ever in fake time: fail instead
        if (clock > 1_000_000 + 3_600_000) throw new Error('an hour of fake time passed and the canary has not ended');
      },
    },
    actor: 'alice@test',
    emit: (e) => w.events.push(e),
    signal: w.controller.signal,
    metrics: async () => provider,
  };
  return w;
}

function canaryRunVersion(ctx: OperationContext): string | undefined {
  try {
    return canaryOf(ctx)?.version;
  } catch {
    return undefined;
  }
}

const greenWeights = (w: World) => w.applied.map((x) => x['green']);

describe('canaryDeploy with a fake clock and a traffic model', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it('promotes a healthy canary step by step and makes it live', async () => {
    const r = await canaryDeploy(w.ctx, w.deps, { version: '1.1.0' });
    expect(r.result).toBe('promoted');
    expect(greenWeights(w)).toEqual([5, 10, 25, 50, 100]);
    const env = stateOf(w.ctx).environments['production']!;
    expect(env.live).toMatchObject({ colour: 'green', version: '1.1.0' });
    expect(env.previous).toMatchObject({ colour: 'blue', version: '1.0.0' });
    expect(env.history.at(-1)).toMatchObject({ strategy: 'canary', result: 'succeeded', version: '1.1.0' });
    expect(r.run!.analysis.map((i) => i.action)).toEqual(['advance', 'advance', 'advance', 'advance']);
  });

  it('keeps collecting at low traffic until minRequests is reached, never passing early', async () => {
    w = await world({ analysis: { minRequests: 50, failureLimit: 1 } });
    w.rps = 40; // 5% of 40 rps: 20 requests per 10s interval at the first step
    const r = await canaryDeploy(w.ctx, w.deps, { version: '1.1.0' });
    expect(r.result).toBe('promoted');
    const first = r.run!.analysis.filter((i) => i.step === 0);
    // 20 requests per interval at 5%: two inconclusive holds, then a verdict over three intervals
    expect(first.map((i) => i.action)).toEqual(['hold', 'hold', 'advance']);
    expect(first.map((i) => i.windowMs)).toEqual([10_000, 20_000, 30_000]);
    expect(first[0]!.reason).toMatch(/20 canary requests < 50/);
    expect(first[2]!.canary).toMatchObject({ requests: 60 });
  });

  it('aborts a canary with 20% errors after failureLimit + 1 failed intervals, weight 0 at once', async () => {
    w.errorRatio['green'] = 0.2;
    const r = await canaryDeploy(w.ctx, w.deps, { version: '1.2.0' });
    expect(r.result).toBe('aborted');
    expect(r.reason).toMatch(/error rate 20\.0% > 2\.0%/);
    expect(r.run!.analysis).toHaveLength(2);
    expect(greenWeights(w)).toEqual([5, 0]);
    const env = stateOf(w.ctx).environments['production']!;
    expect(env.live).toMatchObject({ colour: 'blue', version: '1.0.0' });
    expect(env.history.at(-1)).toMatchObject({ strategy: 'canary', result: 'aborted' });
  });

  it('resumes on the same step after being stopped, re-applying the same absolute weights once', async () => {
    w.onApply = (x) => {
      if (x['green'] === 25) w.controller.abort();
    };
    const first = await canaryDeploy(w.ctx, w.deps, { version: '1.1.0' });
    expect(first.result).toBe('interrupted');
    expect(canaryOf(w.ctx).state).toMatchObject({ phase: 'progressing', step: 2 });
    w.controller = new AbortController();
    w.onApply = undefined;
    const resumed = await canaryDeploy(w.ctx, { ...w.deps, signal: w.controller.signal }, { resume: true });
    expect(resumed.result).toBe('promoted');
    expect(greenWeights(w)).toEqual([5, 10, 25, 25, 50, 100]);
    const afterResume = resumed.run!.analysis.filter((i) => i.step >= 2);
    expect(afterResume[0]!.step).toBe(2);
  });

  it('an operator abort with no prodx running applies weight 0 and records the reason', async () => {
    w.onApply = (x) => {
      if (x['green'] === 10) w.controller.abort();
    };
    await canaryDeploy(w.ctx, w.deps, { version: '1.1.0' });
    const r = await canaryControl(w.ctx, { ...w.deps, signal: new AbortController().signal }, 'abort', 'bad dashboards');
    expect(r.ok).toBe(true);
    expect(w.applied.at(-1)).toEqual({ blue: 100, green: 0 });
    expect(canaryOf(w.ctx).state).toMatchObject({ phase: 'aborted', reason: expect.stringMatching(/^aborted by .+: bad dashboards$/) });
    expect(stateOf(w.ctx).environments['production']!.history.at(-1)).toMatchObject({
      result: 'aborted',
      reason: expect.stringMatching(/: bad dashboards$/),
    });
    await expect(canaryControl(w.ctx, w.deps, 'promote')).rejects.toThrow(/already aborted/);
  });

  it('pauses after a step as the per-step list says, holding its weights, then goes on', async () => {
    w = await world({ pause: ['0s', '30s', '0s', '0s'] });
    const r = await canaryDeploy(w.ctx, w.deps, { version: '1.1.0' });
    expect(r.result).toBe('promoted');
    const phases = w.events.flatMap((e) => (e.type === 'transition' ? [`${e.state.phase}${'step' in e.state ? e.state.step : ''}`] : []));
    expect(phases).toEqual(['progressing1', 'paused1', 'progressing2', 'progressing3', 'promoting', 'promoted']);
    const paused = w.events.find((e) => e.type === 'transition' && e.state.phase === 'paused');
    const resumed = w.events.find((e) => e.type === 'transition' && e.state.phase === 'progressing' && e.state.step === 2);
    expect(paused && resumed && resumed.type === 'transition' && paused.type === 'transition' ? resumed.at - paused.at : null).toBe(30_000);
    expect(greenWeights(w)).toEqual([5, 10, 25, 50, 100]);
  });

  it('a rollback of a running canary gives stable all traffic and is kept apart from an abort', async () => {
    w.onApply = (x) => {
      if (x['green'] === 25) w.controller.abort();
    };
    await canaryDeploy(w.ctx, w.deps, { version: '1.1.0' });
    const r = await rollback(w.ctx, { ...w.deps, signal: new AbortController().signal });
    expect(r.ok, r.reason).toBe(true);
    expect(r.undid).toBe('undo-canary');
    expect(w.applied.at(-1)).toEqual({ blue: 100, green: 0 });
    expect(canaryOf(w.ctx).state).toMatchObject({ phase: 'rolled-back', reason: expect.stringMatching(/^rolled back by /) });
    const env = stateOf(w.ctx).environments['production']!;
    expect(env.history.at(-2)).toMatchObject({ kind: 'canary', strategy: 'canary', result: 'rolled-back' });
    expect(env.history.at(-1)).toMatchObject({ kind: 'rollback', strategy: 'undo-canary', result: 'succeeded', toColour: 'blue' });
    expect(env.live).toMatchObject({ colour: 'blue', version: '1.0.0' });
    // a rolled-back canary can be tried again from the first step
    w.controller = new AbortController();
    w.onApply = undefined;
    const again = await canaryDeploy(w.ctx, { ...w.deps, signal: w.controller.signal }, { retry: true });
    expect(again.result).toBe('promoted');
    expect(greenWeights(w).slice(-5)).toEqual([5, 10, 25, 50, 100]);
  });

  it('refuses steps that do not end at 100 when the config loads, before anything can run', async () => {
    await expect(world({ steps: [5, 10, 50] })).rejects.toThrow(/canary\.steps: the last step is 50, not 100/);
  });
});
