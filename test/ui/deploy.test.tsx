import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppStore } from '../../src/store/createAppStore.js';
import { activeDeployment } from '../support/records.js';
import { deployedState, healthy, verifying } from './deployFixtures.js';
import { KEYS, makeCtx, renderApp, waitForFrame, widestLine, type FakeContext, calledOnce } from './helpers.js';

afterEach(() => cleanup());

const SHOW = process.env.SHOW_FRAMES === '1';
const ROLLBACK = 'Put traffic back on the previous colour in production?';
function setup(): FakeContext & { store: AppStore } {
  const ctx = makeCtx();
  const { actions } = ctx.store.getState();
  actions.setDeployment(deployedState());
  actions.setTargetHealth('blue', healthy('1.0.0'), { at: Date.now(), ms: 12 });
  actions.setTargetHealth('green', healthy('0.9.0'), { at: Date.now(), ms: 14 });
  actions.setWeights({ blue: 100, green: 0 });
  // what the real rollback does to the store: progress with an outcome, then green is live
  ctx.app.rollback.mockImplementation(async () => {
    const now = Date.now();
    actions.setProgress({
      operation: 'rollback',
      version: null,
      fromColour: null,
      toColour: null,
      phase: 'rolled-back',
      startedAt: now - 1500,
      phaseStartedAt: now,
      running: false,
      plan: [],
      log: [],
      outcome: { ok: true, text: 'rolled back: traffic on green (0.9.0) in 1.5s' },
    });
    actions.setDeployment({ ...deployedState(), live: { colour: 'green', version: '0.9.0', since: now }, previous: null });
    actions.setWeights({ blue: 0, green: 100 });
  });
  return ctx;
}

async function onDeployScreen(ctx: FakeContext, size = { columns: 80, rows: 24 }) {
  const app = await renderApp(ctx, size);
  await app.press('2', (f) => f.includes('History (') && f.includes('VERSION'));
  return app;
}

describe('Deploy screen', () => {
  it('shows both colours side by side with role, version, health and weight', async () => {
    const ctx = setup();
    const { lastFrame } = await onDeployScreen(ctx);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('weight 100%'));
    if (SHOW) console.log(frame);
    // with nothing running there is room for the full boxes, one line per fact
    expect(frame).toMatch(/│ blue LIVE +│ │ green idle +│/);
    expect(frame).toMatch(/│ version 1\.0\.0 +│ │ version 0\.9\.0 +│/);
    expect(frame).toMatch(/│ ● healthy HTTP 200 in 12ms +│ │ ● healthy HTTP 200 in 12ms +│/);
    expect(frame).toMatch(/│ weight 100% +█+ │ │ weight 0% +░+ │/);
    expect(frame).toContain('r rolls back to green 0.9.0');
    expect(frame).toContain('d deploy  r roll back');
  });

  it('calls LIVE the colour the router sends the traffic to, before the state records it', async () => {
    const ctx = setup();
    // mid-deploy: the switch is done (green 100%), the state still says blue until monitoring ends
    ctx.store.getState().actions.setWeights({ blue: 0, green: 100 });
    const { lastFrame } = await onDeployScreen(ctx);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('weight 100%'));
    expect(frame).toMatch(/│ blue idle +│ │ green LIVE +│/);
  });

  it('says "weight ?" and shows the router error dimmed when the weights are unknown', async () => {
    const ctx = setup();
    ctx.store.getState().actions.setWeights(null, 'the builtin router did not answer on 127.0.0.1:8089');
    const { lastFrame } = await onDeployScreen(ctx);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('router: the builtin router did not answer'));
    expect(frame.match(/weight \?/g)).toHaveLength(2);
  });

  it('r then y rolls back once, and shows the result', async () => {
    const ctx = setup();
    const { press, lastFrame } = await onDeployScreen(ctx);
    const dialog = await press('r', (f) => f.includes(ROLLBACK));
    expect(dialog).toMatch(/from {2}blue 1\.0\.0/);
    expect(dialog).toMatch(/to {4}green 0\.9\.0/);
    expect(dialog).toContain('y roll back');
    await press('y', (f) => !f.includes(ROLLBACK));
    await calledOnce(ctx.app.rollback, 'rollback');
    const after = await waitForFrame(lastFrame, (f) => f.includes('rolled back: traffic on green (0.9.0) in 1.5s'));
    expect(after).toMatch(/blue idle 1\.0\.0.*green LIVE 0\.9\.0/);
    expect(after).toContain('✓ rolled back');
    expect(ctx.app.rollback).toHaveBeenCalledTimes(1);
    expect(ctx.app.deploy).not.toHaveBeenCalled();
  });

  it('r then esc (or n) calls nothing and changes nothing', async () => {
    const ctx = setup();
    const before = ctx.store.getState().deployment;
    const { press } = await onDeployScreen(ctx);
    await press('r', (f) => f.includes(ROLLBACK));
    await press(KEYS.escape, (f) => !f.includes(ROLLBACK) && f.includes('History ('));
    await press('r', (f) => f.includes(ROLLBACK));
    await press('n', (f) => !f.includes(ROLLBACK) && f.includes('History ('));
    await press('r', (f) => f.includes(ROLLBACK));
    await press(KEYS.enter, (f) => !f.includes(ROLLBACK) && f.includes('History ('));
    const state = ctx.store.getState();
    expect(ctx.app.rollback).not.toHaveBeenCalled();
    expect(state.deployment).toBe(before);
    expect(state.progress).toBeNull();
    expect(state.screen).toBe('deploy');
    expect(state.modal).toBeNull();
  });

  it('d asks for a version; typing 1.2.0 and enter deploys it', async () => {
    const ctx = setup();
    const { press } = await onDeployScreen(ctx);
    const prompt = await press('d', (f) => f.includes('Deploy which version?'));
    expect(prompt).toContain('enter submit');
    let typed = '';
    for (const ch of '1.3') {
      typed += ch;
      await press(ch, (f) => f.includes(`› ${typed}`));
    }
    await press(KEYS.backspace, (f) => f.includes('› 1. ') || /› 1\.\s*$/m.test(f));
    await press('2.0', (f) => f.includes('› 1.2.0'));
    await press(KEYS.enter, (f) => !f.includes('Deploy which version?'));
    await calledOnce(ctx.app.deploy, 'deploy');
    expect(ctx.app.deploy).toHaveBeenCalledWith('1.2.0');
  });

  it('esc on the version prompt deploys nothing', async () => {
    const ctx = setup();
    const { press } = await onDeployScreen(ctx);
    await press('d', (f) => f.includes('Deploy which version?'));
    await press('9.9.9', (f) => f.includes('› 9.9.9'));
    await press(KEYS.escape, (f) => !f.includes('Deploy which version?') && f.includes('History ('));
    expect(ctx.app.deploy).not.toHaveBeenCalled();
    expect(ctx.store.getState().screen).toBe('deploy');
  });

  it('shows a rejected deploy in the flash line', async () => {
    const ctx = setup();
    ctx.app.deploy.mockRejectedValueOnce(new Error('pid 4242 on ci-runner holds the lock (deploy): wait for it to end.'));
    const { press } = await onDeployScreen(ctx);
    await press('d', (f) => f.includes('Deploy which version?'));
    await press('1.2.0', (f) => f.includes('› 1.2.0'));
    // at 80 columns the sentence takes two lines rather than losing its end
    const frame = await press(KEYS.enter, (f) => f.includes('✗ deploy:'));
    expect(frame.replace(/\s*\n\s*/g, ' ')).toContain('✗ deploy: pid 4242 on ci-runner holds the lock (deploy): wait for it to end.');
    expect(widestLine(frame)).toBeLessThanOrEqual(80);
    expect(frame.split('\n').length).toBeLessThan(24);
  });

  it('renders a deploy in phase verifying: spinner, clocks, plan with the current step, log', async () => {
    const ctx = setup();
    ctx.store.getState().actions.setProgress(verifying());
    const { lastFrame } = await onDeployScreen(ctx, { columns: 100, rows: 40 });
    const frame = await waitForFrame(lastFrame, (f) => f.includes('verifying') && f.includes('Log'));
    if (SHOW) console.log(frame);
    expect(frame).toMatch(/deploy 1\.2\.0 {2}blue → green {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] verifying 1[23]s · total 1m 0[56]s/);
    expect(frame).toMatch(/✓ release 1\.2\.0 onto green/);
    expect(frame).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] verify green: 2 healthy probes/);
    expect(frame).toMatch(/· switch traffic/);
    expect(frame).toContain('| uploading assets');
    expect(frame).toContain('probe green: HTTP 200, version 1.2.0 (1 of 2)');
    expect(frame).toContain('green idle ◀ receiving 1.2.0');
    // the spinner moves by itself
    const spin = (f: string) => /([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]) verifying/.exec(f)?.[1];
    const first = spin(frame);
    await waitForFrame(lastFrame, (f) => spin(f) !== undefined && spin(f) !== first);
  });

  it('fits a deploy in progress into 80x24 (with the demo note) with the plan on one line', async () => {
    const ctx = setup();
    ctx.store.setState({
      demo: { note: 'sample targets on 127.0.0.1, nothing real is touched', configPath: '/tmp/demo/prodx.config.json', details: [] },
    });
    ctx.store.getState().actions.setProgress(verifying());
    const { lastFrame } = await onDeployScreen(ctx);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('verifying'));
    if (SHOW) console.log(frame);
    expect(frame).toMatch(/plan ✓ release › [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] verify › · switch › · watch › · keep/);
    expect(frame).toContain('probe green: HTTP 200, version 1.2.0 (1 of 2)');
    expect(frame).toContain('History (3, newest first');
    expect(widestLine(frame)).toBeLessThanOrEqual(80);
    expect(frame.split('\n').length).toBeLessThan(24);
  });

  it('shows how a deploy ended, in red when it failed', async () => {
    const ctx = setup();
    const now = Date.now();
    ctx.store.getState().actions.setProgress({
      ...verifying(now),
      phase: 'rolled-back',
      phaseStartedAt: now,
      running: false,
      outcome: { ok: false, text: 'rolled back: error rate 4.1% > 2.0%' },
    });
    const { lastFrame } = await onDeployScreen(ctx);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('✗ rolled back: error rate 4.1% > 2.0%'));
    expect(frame).toContain('✗ rolled back · took 1m 05s');
  });

  it('lists the history newest first with result, by, when and took', async () => {
    const ctx = setup();
    const { lastFrame } = await onDeployScreen(ctx, { columns: 120, rows: 30 });
    const frame = await waitForFrame(lastFrame, (f) => f.includes('REASON'));
    if (SHOW) console.log(frame);
    const rows = frame
      .split('\n')
      .map((l) => l.replace(/^[› ] /, ''))
      .filter((l) => /^(0\.8\.0|0\.9\.0|1\.0\.0)\s+deploy/.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['1.0.0', '0.9.0', '0.8.0']);
    expect(rows[0]).toMatch(/succeeded\s+alice@laptop\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+1m 35s/);
    expect(rows[1]).toMatch(/rolled back .*error rate 4\.1% > 2\.0%/);
    // the row under the cursor is marked; enter opens it whole
    expect(frame).toMatch(/^› 1\.0\.0/m);
    expect(widestLine(frame)).toBeLessThanOrEqual(120);
  });

  it('explains an unfinished deploy that this dashboard did not start', async () => {
    const ctx = setup();
    const now = Date.now();
    ctx.store.getState().actions.setDeployment({
      ...deployedState(now),
      active: activeDeployment({
        id: 'd4',
        version: '1.1.0',
        by: 'bob@ci',
        startedAt: now - 120_000,
        phase: 'verifying',
        phaseStartedAt: now - 30_000,
      }),
    });
    const { lastFrame, press } = await onDeployScreen(ctx);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('unfinished deploy'));
    expect(frame).toContain('⚠ unfinished deploy of 1.1.0 onto green · phase verifying for 30s');
    expect(frame).toContain('prodx was interrupted: prodx deploy --resume finishes it, r rolls back to blue');
    const dialog = await press('r', (f) => f.includes('Undo the deploy of 1.1.0 (stopped in verifying) in production?'));
    expect(dialog).toMatch(/from {2}green 1\.1\.0/);
    expect(dialog).toMatch(/to {4}blue 1\.0\.0/);
    expect(dialog).toContain('traffic never moved: nothing is switched');
  });

  it('flashes a clear error for d and r when there is no router', async () => {
    const ctx = setup();
    ctx.store.setState({ canOperate: false });
    const { press, lastFrame } = await onDeployScreen(ctx);
    await waitForFrame(lastFrame, (f) => f.includes('No router is configured for production'));
    await press('d', (f) =>
      f.replace(/\s*\n\s*/g, ' ').includes('✗ deploy: no router is configured for production: set environments.production.router'),
    );
    expect(ctx.store.getState().modal).toBeNull();
    ctx.store.getState().actions.clearFlash();
    await press('r', (f) => f.includes('✗ rollback: no router is configured for production'));
    expect(ctx.store.getState().modal).toBeNull();
  });

  it('flashes "nothing to roll back" instead of asking when no earlier colour is recorded', async () => {
    const ctx = setup();
    ctx.store.getState().actions.setDeployment({ ...deployedState(), previous: null });
    const { press } = await onDeployScreen(ctx);
    await press('r', (f) => f.includes('✗ rollback: nothing to roll back in production'));
    expect(ctx.store.getState().modal).toBeNull();
  });

  it('uses the space at 200x50: full boxes with weight bars, plan as a list, log beside it', async () => {
    const ctx = setup();
    ctx.store.getState().actions.setProgress(verifying());
    const { lastFrame } = await onDeployScreen(ctx, { columns: 200, rows: 50 });
    const frame = await waitForFrame(lastFrame, (f) => f.includes('verifying') && f.includes('█'));
    if (SHOW) console.log(frame);
    expect(widestLine(frame)).toBeLessThanOrEqual(200);
    expect(frame.split('\n').length).toBe(49);
    expect(frame).toMatch(/version 1\.0\.0.*version 0\.9\.0/);
    expect(frame).toMatch(/HTTP 200 in 12ms/);
    // a plan step and a log line on the same row: the panel and the log side by side
    expect(frame).toMatch(/verify green: 2 healthy probes.*\| uploading assets|release 1\.2\.0 onto green.*\| building 1\.2\.0/);
  });

  it('has no line over 80 columns at 80x24 in any state', async () => {
    const ctx = setup();
    ctx.store.getState().actions.setWeights(null, 'a very long router error that keeps going: '.repeat(4));
    const { lastFrame, press } = await onDeployScreen(ctx);
    const frames = [await waitForFrame(lastFrame, (f) => f.includes('router:'))];
    frames.push(await press('r', (f) => f.includes(ROLLBACK)));
    await press(KEYS.escape, (f) => !f.includes(ROLLBACK));
    frames.push(await press('d', (f) => f.includes('Deploy which version?')));
    frames.push(await press('x'.repeat(120), (f) => f.includes('xxxxxxxxxx')));
    await press(KEYS.escape, (f) => !f.includes('Deploy which version?'));
    ctx.store.getState().actions.setProgress(verifying());
    frames.push(await waitForFrame(lastFrame, (f) => f.includes('verifying')));
    for (const frame of frames) {
      if (SHOW) console.log(frame);
      expect(widestLine(frame)).toBeLessThanOrEqual(80);
      expect(frame.split('\n').length).toBeLessThan(24);
      expect(frame.split('\n').slice(-2).join('\n')).toMatch(/q quit|esc cancel/);
    }
  });
});

describe('Dashboard', () => {
  it('r rolls back from the Dashboard too, behind the same confirm', async () => {
    const ctx = setup();
    ctx.store.getState().actions.setLastRefresh(Date.now());
    const { press, lastFrame } = await renderApp(ctx, { columns: 80, rows: 24 });
    const hints = await waitForFrame(lastFrame, (f) => f.includes('TARGET'));
    expect(hints).toContain('r roll back');
    expect(hints).toContain('q quit');
    const dialog = await press('r', (f) => f.includes(ROLLBACK));
    expect(dialog).toMatch(/from {2}blue 1\.0\.0/);
    expect(dialog).toMatch(/to {4}green 0\.9\.0/);
    await press('y', (f) => !f.includes(ROLLBACK));
    await calledOnce(ctx.app.rollback, 'rollback');
    await waitForFrame(lastFrame, (f) => f.includes('live green 0.9.0'));
  });
});
