// Every screen at 40x15, 60x20, 80x24 and 200x50, in each state the demo reaches (idle,
// deploying, canary running, paused, aborted, flags edited) and with each dialog open: no line is
// longer than the terminal is wide, the app leaves the last row free, and no two texts are drawn
// over each other (test/support/overlap.ts replays Ink's writes on a grid).
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, cleanup } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flagsPoller } from '../../src/app/flagsPoller.js';
import { fixturePath } from '../../src/adapters/paths.js';
import { changeFlag } from '../../src/operations/flags.js';
import type { FlagsSource } from '../../src/core/flags/view.js';
import type { EnvironmentState } from '../../src/core/state/schema.js';
import { SCREENS, type Modal, type ScreenId } from '../../src/store/types.js';
import type { AppStore } from '../../src/store/createAppStore.js';
import { App } from '../../src/ui/App.js';
import { findOverlaps, measured } from '../support/overlap.js';
import { tempDir } from '../support/cli.js';
import { activeDeployment } from '../support/records.js';
import { completeCanaryRestore } from '../../src/core/state/transitions.js';
import { abortedRun, pausedRun, progressingRun } from './canaryFixtures.js';
import { deployedState, healthy, verifying } from './deployFixtures.js';
import { report as errorsReport } from './errorsFixtures.js';
import { makeCtx, makeStore, plain, resize, waitFor, widestLine } from './helpers.js';

afterEach(() => cleanup());

const SIZES = [
  [40, 15],
  [60, 20],
  [80, 24],
  [200, 50],
] as const;

let flagsSrc: FlagsSource;
beforeAll(async () => {
  const dir = tempDir('prodx-fit-');
  flagsSrc = { file: join(dir, 'flags.json'), stateDir: join(dir, '.prodx'), environment: 'production', protected: true };
  copyFileSync(fixturePath('flags', 'flags.json'), flagsSrc.file);
  // edited as the demo's user would: a toggle and a rollout, so the detail has a history
  await changeFlag(flagsSrc, 'dark-theme-v2', { kind: 'disable' }, { confirmed: true });
  await changeFlag(flagsSrc, 'dark-theme-v2', { kind: 'enable' }, { confirmed: true });
  await changeFlag(flagsSrc, 'dark-theme-v2', { kind: 'set-rollout', percent: 40 }, { confirmed: true });
  writeFileSync(join(dir, 'marker'), 'x');
});

type Setup = (store: AppStore) => Promise<void> | void;

async function base(store: AppStore, deployment: EnvironmentState) {
  const { actions } = store.getState();
  const t0 = Date.now() - 120_000;
  for (let i = 0; i < 120; i++) {
    actions.setTargetHealth('blue', healthy('1.0.0'), { at: t0 + i * 1000, ms: 10 + (i % 7) });
    actions.setTargetHealth('green', healthy('0.9.0'), { at: t0 + i * 1000, ms: i % 11 === 0 ? null : 30 + (i % 13) });
  }
  actions.setLastRefresh(Date.now());
  actions.setDeployment(deployment);
  store.setState({
    protected: true,
    demo: {
      note: 'demo · d deploys, c canaries: 1.1.0 works, 1.2.0-bad fails its analysis, 1.2.0-broken its health gate · ? help',
      details: [{ keys: 'versions', text: '1.1.0 works' }],
      configPath: '/tmp/prodx-demo-x/prodx.config.json',
    },
  });
  const poller = flagsPoller(store, flagsSrc, { intervalMs: 1000 });
  poller.apply(await poller.run(new AbortController().signal));
}

const STATES: Record<string, Setup> = {
  idle: async (store) => {
    await base(store, deployedState());
    store.getState().actions.setWeights({ blue: 100, green: 0 });
  },
  deploying: async (store) => {
    const now = Date.now();
    await base(store, {
      ...deployedState(now),
      active: activeDeployment({
        id: 'd9',
        version: '1.2.0',
        by: 'alice@laptop',
        startedAt: now - 60_000,
        phase: 'verifying',
        phaseStartedAt: now - 12_000,
      }),
    });
    store.getState().actions.setProgress(verifying(now));
    store.getState().actions.setInFlight({ kind: 'deploy', label: 'deploy 1.2.0', startedAt: now - 60_000 });
    store.getState().actions.setWeights({ blue: 100, green: 0 });
  },
  'canary running': async (store) => {
    await base(store, { ...deployedState(), canary: progressingRun() });
    store.getState().actions.setWeights({ blue: 75, green: 25 });
    store.getState().actions.setInFlight({ kind: 'canary', label: 'canary 1.2.0', startedAt: Date.now() - 300_000 });
  },
  paused: async (store) => {
    await base(store, { ...deployedState(), canary: pausedRun() });
    store.getState().actions.setWeights({ blue: 75, green: 25 });
  },
  aborted: async (store) => {
    // The history row is the one core writes when the stable colour has all traffic back.
    const { endedAt, ...run } = abortedRun();
    await base(store, completeCanaryRestore({ ...deployedState(), canary: run }, run, endedAt ?? Date.now()));
    store.getState().actions.setWeights({ blue: 100, green: 0 });
  },
  'flags edited': async (store) => {
    await base(store, deployedState());
    store.getState().actions.updateFlags({
      lastEvaluation: {
        context: { targetingKey: 'user-42', country: 'DE', plan: 'pro' },
        result: { value: true, variant: 'on', reason: 'TARGETING_MATCH' } as never,
        at: Date.now(),
      },
    });
  },
  'flags detail': async (store) => {
    await base(store, deployedState());
    store.getState().actions.updateFlags({ detail: true });
  },
  'errors listed': async (store) => {
    await base(store, deployedState());
    store.getState().actions.updateErrors({ report: errorsReport(), loadedAt: Date.now() });
    store.getState().actions.setList('errors', { filter: 'error', cursor: 1 });
  },
  'error group open': async (store) => {
    await base(store, deployedState());
    const report = errorsReport();
    store.getState().actions.updateErrors({ report, loadedAt: Date.now(), detail: report.groups[0]!.id, scroll: 3 });
  },
};

const DIALOGS: Record<string, Modal> = {
  help: { kind: 'help', scroll: 0 },
  confirm: {
    kind: 'confirm',
    title: 'Put traffic back on the previous colour in production?',
    focus: 'cancel',
    verb: 'rollback',
    args: [],
    confirmLabel: 'roll back',
    lines: [
      'production is protected.',
      'from  blue 1.0.0',
      'to    green 0.9.0',
      'weights  blue 0%, green 100%',
      'green must pass its health gate running 0.9.0 first',
    ],
  },
  prompt: {
    kind: 'prompt',
    verb: 'deploy',
    title: 'Deploy which version?',
    hint: 'to production, blue-green: released onto green, verified, then given the traffic from blue',
    text: '1.5;x',
    error:
      'version "1.5;x" is not allowed: use letters, digits, dots, dashes, underscores and plus (at most 64), starting with a letter or digit, e.g. 1.4.2 or 2026.11.28-rc1.',
  },
  quit: { kind: 'quit', label: 'canary 1.2.0', operation: 'canary', focus: 'stay', stopping: null },
  detail: {
    kind: 'detail',
    title: 'deploy 0.9.0: rolled back',
    scroll: 0,
    lines: [
      'reason     error rate 4.1% > 2.0% during the 60s watch window after the switch, so traffic went back',
      'by         alice@laptop',
    ],
  },
};

async function check(setup: Setup, screen: ScreenId, columns: number, rows: number, modal?: Modal) {
  const store = makeStore();
  await setup(store);
  store.getState().actions.setScreen(screen);
  if (modal) store.setState({ modal });
  const ctx = makeCtx([], store);
  const { element, ref } = measured(<App ctx={ctx} />);
  const r = render(element);
  resize(r.stdout, columns, rows);
  const frame = await waitFor(
    () => plain(r.lastFrame()),
    (f) => f.split('\n').length >= rows - 1 && widestLine(f) <= columns,
    `a ${columns}x${rows} frame`,
    3000,
  ).catch(() => plain(r.lastFrame()));
  const where = `${screen} at ${columns}x${rows}${modal ? ` with ${modal.kind}` : ''}`;
  expect(widestLine(frame), `${where}: a line is wider than the terminal\n${frame}`).toBeLessThanOrEqual(columns);
  expect(frame.split('\n').length, `${where}: the app must leave the last row free\n${frame}`).toBeLessThan(rows);
  const overlaps = findOverlaps(ref.current!, columns, rows);
  expect(overlaps, `${where}: texts drawn over each other\n${frame}`).toEqual([]);
  r.unmount();
}

describe.each(Object.keys(STATES))('in state "%s"', (state) => {
  it.each(SIZES)('every screen fits %ix%i with nothing overlapping', async (columns, rows) => {
    for (const screen of SCREENS) await check(STATES[state]!, screen, columns, rows);
  });
});

describe.each(Object.keys(DIALOGS))('with the %s dialog open', (dialog) => {
  it.each(SIZES)('fits %ix%i with nothing overlapping', async (columns, rows) => {
    await check(STATES['canary running']!, 'canary', columns, rows, DIALOGS[dialog]);
  });
});
