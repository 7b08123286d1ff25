import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

// colours on, before Ink's chalk is loaded: the failure rows are checked for red. Frames are
// read colour-stripped (plain) everywhere else, so nothing else sees the difference.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import { emptyEnvironmentState, type CanaryRun } from '../../src/core/state/schema.js';
import type { AppStore } from '../../src/store/createAppStore.js';
import { canaryLayout } from '../../src/ui/components/canary/layout.js';
import { ABORT_REASON, abortedRun, canaryRun, longRun, pausedRun, progressingRun } from './canaryFixtures.js';
import { KEYS, makeCtx, plain, renderApp, waitForFrame, widestLine, type FakeContext, calledOnce } from './helpers.js';

afterEach(() => cleanup());
afterAll(() => {
  delete process.env.FORCE_COLOR;
});

const SHOW = process.env.SHOW_FRAMES === '1';
const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';

function setup(run: CanaryRun | null, weights: Record<string, number> | null = { blue: 75, green: 25 }) {
  const ctx = makeCtx();
  const { actions } = ctx.store.getState();
  actions.setDeployment({ ...emptyEnvironmentState(), canary: run });
  actions.setWeights(weights);
  ctx.app.canaryControl.mockImplementation(async (type: string) => `canary 1.2.0: ${type} applied`);
  return ctx as FakeContext & { store: AppStore };
}

async function onCanaryScreen(ctx: FakeContext, size = { columns: 80, rows: 24 }) {
  const app = await renderApp(ctx, size);
  await app.press('3', (f) => f.includes('Analysis (') || f.includes('No canary is running'));
  return app;
}

const oneLine = (frame: string) => frame.replace(/\s*\n\s*/g, ' ');
const plainFooter = (frame: string | undefined) => plain(frame).split('\n').slice(-2).join('\n');

describe('Canary screen', () => {
  it('marks the passed steps and the current one, with the phase and a countdown that ticks', async () => {
    const ctx = setup(progressingRun());
    const { lastFrame } = await onCanaryScreen(ctx);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('next analysis in'));
    if (SHOW) console.log(frame);
    expect(frame).toMatch(/canary 1\.2\.0 on green {2}✓ 5% › ✓ 10% › ▸ 25% › · 50% › · 100%/);
    expect(frame).toMatch(/▶ progressing at 25% \(step 3 of 5\) · next analysis in 4[12]s · 1 interval failed/);
    // the last verdict, and the two colours side by side with the router's weights
    expect(frame).toContain('last analysis');
    expect(frame).toMatch(/hold — failed \(1\) ≤ failureLimit \(1\): error rate 3\.1% > 2\.0%/);
    expect(frame).toMatch(/│ CANARY green 1\.2\.0 +│ │ STABLE blue 1\.0\.0 +│/);
    expect(frame).toMatch(/│ weight 25% +│ │ weight 75% +│/);
    expect(frame).toMatch(/│ 1900 req · err 3\.1% · p95 140ms +│ │ 5700 req · err 0\.2% · p95 102ms +│/);
    // the countdown moves by itself
    const left = (f: string) => /next analysis in (\d+)s/.exec(f)?.[1];
    const first = left(frame);
    await waitForFrame(lastFrame, (f) => left(f) !== undefined && left(f) !== first);
  });

  it('says when an analysis is overdue: the process running the canary may be gone', async () => {
    const now = Date.now();
    const run = progressingRun(now);
    const late = { ...run, analysis: run.analysis.map((i) => ({ ...i, at: i.at - 5 * 60_000 })) };
    const ctx = setup({ ...late, state: { phase: 'progressing', step: 2, failed: 1, since: now - 10 * 60_000 } });
    const { lastFrame } = await onCanaryScreen(ctx);
    await waitForFrame(lastFrame, (f) => /· analysis overdue by 4m 1[89]s/.test(f));
  });

  it('falls back to the planned percent when the router weights are unknown', async () => {
    const ctx = setup(progressingRun(), null);
    const { lastFrame } = await onCanaryScreen(ctx);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('CANARY'));
    expect(frame).toMatch(/│ weight 25% \(planned\) +│ │ weight 75% \(planned\) +│/);
  });

  it('lists every result newest first: value, limit and verdict, failures in red with their reason', async () => {
    const ctx = setup(progressingRun());
    const { lastFrame } = await onCanaryScreen(ctx, { columns: 160, rows: 60 });
    const frame = await waitForFrame(lastFrame, (f) => f.includes('REASON'));
    if (SHOW) console.log(frame);
    expect(frame).toContain('Analysis (4 intervals, 16 results, newest first · enter opens a row)');
    expect(frame).toMatch(/TIME +STEP +ACTION +WINDOW +RULE +VALUE +LIMIT +VERDICT +REASON/);
    const rows = frame
      .split('\n')
      .map((l) => l.replace(/^[› ] /, ''))
      .filter((l) => /^(\d\d:\d\d:\d\d)? +(\d+%)? +(advance|hold|abort)? +(60s)? *(error-rate|p95|p99|vs-stable) /.test(l));
    expect(rows).toHaveLength(16);
    // newest first: the interval at 25% is on top, its rules below it
    expect(rows[0]).toMatch(/^\d\d:\d\d:\d\d +25% +hold +60s +error-rate +3\.1% +≤ 2\.0% +fail +error rate 3\.1% > 2\.0%/);
    expect(rows[1]).toMatch(/^ +p95 +140ms +≤ 300ms +pass +p95 140ms ≤ 300ms/);
    expect(rows[3]).toMatch(/vs-stable +p=[\d.e-]+ +α 0\.01 +fail +canary error rate 3\.1% vs stable 0\.2%: worse by/);
    // the inconclusive interval at 10% says why
    expect(frame).toMatch(/10% +hold +60s +error-rate +0\.0% +≤ 2\.0% +inconclusive +30 canary requests < 50 needed for a verdict/);
    const raw = lastFrame() ?? '';
    expect(raw).toContain(`${RED}error rate 3.1% > 2.0%`);
    expect(raw).toMatch(new RegExp(`\\u001b\\[33m30 canary requests < 50`));
    expect(raw).toContain(YELLOW);
  });

  it('shows an aborted run with its reason in red, and where it stopped', async () => {
    const ctx = setup(abortedRun(), { blue: 100, green: 0 });
    const { lastFrame } = await onCanaryScreen(ctx);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('aborted at'));
    if (SHOW) console.log(frame);
    expect(frame).toMatch(/✓ 5% › ✓ 10% › ✗ 25% › · 50% › · 100%/);
    expect(oneLine(frame)).toContain(`✗ aborted at 25%: ${ABORT_REASON}`);
    expect(lastFrame()).toMatch(new RegExp(`\\u001b\\[31m[^\\n]*✗ aborted at 25%: failed \\(2\\)`));
    expect(frame).not.toContain('next analysis');
    expect(frame).toMatch(/│ weight 0% +│ │ weight 100% +│/);
    expect(widestLine(frame)).toBeLessThanOrEqual(80);
  });

  it('says what c does when there is no canary, and lists the earlier runs', async () => {
    const ctx = setup(null);
    const { lastFrame } = await onCanaryScreen(ctx);
    const shown = await waitForFrame(lastFrame, (f) => f.includes('No canary is running'));
    const frame = oneLine(shown);
    expect(frame).toContain('No canary is running in production. c starts one: type a version');
    expect(frame).toContain('Earlier runs (none yet)');
    expect(frame).toContain('c new canary  p next step  P promote to 100%  space pause  a abort  r roll back');
  });

  it('space pauses a progressing canary and resumes a paused one, and the footer says which', async () => {
    const ctx = setup(progressingRun());
    const { press, lastFrame } = await onCanaryScreen(ctx, { columns: 120, rows: 30 });
    expect(plainFooter(lastFrame())).toContain('space pause');
    await press(' ', (f) => f.includes('✓ canary 1.2.0: pause applied'));
    expect(ctx.app.canaryControl).toHaveBeenCalledWith('pause');
    ctx.store.getState().actions.setDeployment({ ...emptyEnvironmentState(), canary: pausedRun() });
    const paused = await waitForFrame(lastFrame, (f) => f.includes('paused at'));
    expect(paused).toMatch(/⏸ paused at 25% \(step 3 of 5\) until resumed \(space\) or promoted \(p\)/);
    expect(plainFooter(paused)).toContain('space resume');
    await press(' ', (f) => f.includes('✓ canary 1.2.0: resume applied'));
    expect(ctx.app.canaryControl.mock.calls.map((c) => c[0])).toEqual(['pause', 'resume']);
  });

  it('a asks first, naming the weights it goes back to; Cancel is focused: enter, n and esc abort nothing, y aborts', async () => {
    const ctx = setup(progressingRun());
    const { press } = await onCanaryScreen(ctx);
    const dialog = await press('a', (f) => f.includes('Abort the canary of 1.2.0?'));
    expect(oneLine(dialog)).toContain('green 1.2.0 stops taking traffic at once: blue 100%, green 0%');
    expect(dialog).toContain('[ Cancel ]');
    await press(KEYS.enter, (f) => !f.includes('Abort the canary'));
    await press('a', (f) => f.includes('Abort the canary of 1.2.0?'));
    await press('n', (f) => !f.includes('Abort the canary'));
    await press('a', (f) => f.includes('Abort the canary of 1.2.0?'));
    await press(KEYS.escape, (f) => !f.includes('Abort the canary'));
    expect(ctx.app.canaryControl).not.toHaveBeenCalled();
    await press('a', (f) => f.includes('Abort the canary of 1.2.0?'));
    await press('y', (f) => f.includes('✓ canary 1.2.0: abort applied'));
    expect(ctx.app.canaryControl.mock.calls).toEqual([['abort']]);
  });

  it('r is the one rollback: it shows the plan (undo the canary) and runs it', async () => {
    const ctx = setup(progressingRun());
    const { press } = await onCanaryScreen(ctx, { columns: 100, rows: 30 });
    const dialog = await press('r', (f) => f.includes('Undo the canary of 1.2.0 in production?'));
    expect(dialog).toMatch(/from {2}green 1\.2\.0/);
    expect(dialog).toMatch(/to {4}blue 1\.0\.0/);
    expect(dialog).toContain('weights  blue 100%, green 0%');
    await press('y', (f) => !f.includes('Undo the canary'));
    await calledOnce(ctx.app.rollback, 'the rollback');
    expect(ctx.app.rollback.mock.calls[0]![0]).toMatchObject({ kind: 'undo-canary', to: { colour: 'blue' } });
    expect(ctx.app.canaryControl).not.toHaveBeenCalled();
  });

  it('p promotes one step; P (skipping the analysis) asks first', async () => {
    const ctx = setup(progressingRun());
    const { press } = await onCanaryScreen(ctx, { columns: 100, rows: 30 });
    const ask = await press('P', (f) => f.includes('Promote 1.2.0 to 100% now?'));
    expect(oneLine(ask)).toContain('steps 50% and their analysis are skipped');
    await press('y', (f) => f.includes('promote-full applied'));
    expect(ctx.app.canaryControl.mock.calls).toEqual([['promote-full']]);
    await press('p', (f) => f.includes('promote applied'));
    expect(ctx.app.canaryControl.mock.calls).toEqual([['promote-full'], ['promote']]);
  });

  it('a key that cannot apply says why, in the lifecycle’s words, and opens nothing', async () => {
    const ctx = setup(abortedRun());
    const { press } = await onCanaryScreen(ctx);
    await press('p', (f) => oneLine(f).includes('✗ promote: the canary of 1.2.0 is already aborted: there is nothing to promote'));
    await press(' ', (f) => oneLine(f).includes('✗ pause: the canary of 1.2.0 is already aborted: there is nothing to pause'));
    await press('a', (f) => oneLine(f).includes('✗ abort: the canary of 1.2.0 is already aborted: there is nothing to abort'));
    expect(ctx.store.getState().modal).toBeNull();
    ctx.store.getState().actions.setDeployment({ ...emptyEnvironmentState(), canary: null });
    await press('P', (f) => oneLine(f).includes('✗ promote: no canary is running in production: c starts one'));
    expect(ctx.store.getState().modal).toBeNull();
    expect(ctx.app.canaryControl).not.toHaveBeenCalled();
  });

  it('flashes a rejected request in red', async () => {
    const ctx = setup(progressingRun());
    ctx.app.canaryControl.mockRejectedValueOnce(new Error('no running canary answered within 10s: is its prodx still up?'));
    const { press } = await onCanaryScreen(ctx);
    await press('p', (f) => oneLine(f).includes('✗ promote: no running canary answered within 10s: is its prodx still up?'));
  });

  it('says a router must be configured when there is none, for every key', async () => {
    const ctx = setup(progressingRun());
    ctx.store.setState({ canOperate: false });
    const { press } = await onCanaryScreen(ctx);
    for (const key of ['c', 'p', 'P', ' ', 'a', 'r']) {
      ctx.store.getState().actions.clearFlash();
      await press(key, (f) => oneLine(f).includes('no router is configured for production: set environments.production.router'));
      expect(ctx.store.getState().modal).toBeNull();
    }
  });

  it('c asks for a version and starts the canary without waiting for it to end', async () => {
    const ctx = setup(null);
    // a canary runs for minutes: this one never ends during the test
    ctx.app.canary.mockImplementation(() => new Promise<void>(() => {}));
    const { press } = await onCanaryScreen(ctx);
    const prompt = await press('c', (f) => f.includes('Canary release which version?'));
    expect(widestLine(prompt)).toBeLessThanOrEqual(80);
    await press('1.3.0', (f) => f.includes('› 1.3.0'));
    await press(KEYS.enter, (f) => !f.includes('Canary release which version?'));
    await calledOnce(ctx.app.canary, 'the canary');
    expect(ctx.app.canary).toHaveBeenCalledWith('1.3.0');
    // keys still work while it runs
    await press('?', (f) => f.includes('Help —') && f.includes('Canary keys'));
  });

  it('c refuses while a canary is still running', async () => {
    const ctx = setup(progressingRun());
    const { press } = await onCanaryScreen(ctx);
    await press('c', (f) => oneLine(f).includes('✗ canary: the canary of 1.2.0 is progressing: end it'));
    expect(ctx.store.getState().modal).toBeNull();
  });

  it('says when the canary is being released or verified, before the first step', async () => {
    const ctx = setup(canaryRun({ setup: 'verifying' }), { blue: 100, green: 0 });
    const { lastFrame } = await onCanaryScreen(ctx);
    const frame = await waitForFrame(lastFrame, (f) => f.includes("verifying green's health"));
    expect(frame).toMatch(/· 5% › · 10% › · 25% › · 50% › · 100%/);
    expect(frame).toContain('before it takes 5% of the traffic');
    expect(frame).toContain('Analysis (none yet)');
  });

  it('has no line over 80 columns and no more lines than rows at 80x24, in every phase', async () => {
    const now = Date.now();
    // each run with what only its frame says, so a stale frame is never checked
    const runs: [CanaryRun, string][] = [
      [progressingRun(now), 'progressing at 25%'],
      [pausedRun(now), 'paused at 25%'],
      [abortedRun(now), 'aborted at 25%'],
      [longRun(now), 'progressing at 50%'],
      [canaryRun({ setup: 'releasing' }, now), 'releasing 1.2.0'],
      [{ ...progressingRun(now), state: { phase: 'promoting', since: now - 3000 } }, 'promoting:'],
      [{ ...longRun(now), state: { phase: 'promoted', at: now }, endedAt: now }, '✓ promoted at'],
      [{ ...progressingRun(now), state: { phase: 'rolled-back', reason: 'rolled back by bob@ci: '.repeat(8), at: now } }, 'rolled back:'],
      [{ ...progressingRun(now), state: { phase: 'paused', step: 2, failed: 0, until: now + 90_000, then: 'next' } }, 'resumes in'],
    ];
    const ctx = setup(runs[0]![0]);
    ctx.store.getState().actions.setWeights(null, 'the builtin router did not answer on 127.0.0.1:8089 after 3 tries: '.repeat(3));
    const { lastFrame } = await onCanaryScreen(ctx);
    for (const [run, marker] of runs) {
      ctx.store.getState().actions.setDeployment({ ...emptyEnvironmentState(), canary: run });
      const frame = await waitForFrame(lastFrame, (f) => f.includes(marker));
      if (SHOW) console.log(frame);
      expect(widestLine(frame)).toBeLessThanOrEqual(80);
      expect(frame.split('\n').length).toBeLessThan(24);
      expect(frame).toContain('q quit');
      // the stage bar, both panels and the table's first rows are all there
      expect(frame).toMatch(/canary 1\.2\.0 on green/);
      expect(frame).toMatch(/(CANARY|LIVE) .*(STABLE|LIVE|PREVIOUS)/);
      expect(frame).toContain('Analysis (');
      if (run.analysis.length > 0)
        expect(frame.split('\n').filter((l) => /(error-rate|p95|p99|vs-stable) /.test(l)).length).toBeGreaterThanOrEqual(4);
    }
  });

  it('draws error-rate and p95 charts side by side at 200x50, and more of the table', async () => {
    const ctx = setup(longRun(), { blue: 50, green: 50 });
    const { lastFrame } = await onCanaryScreen(ctx, { columns: 200, rows: 50 });
    const frame = await waitForFrame(lastFrame, (f) => f.includes('p95 ms') && f.includes('REASON'));
    if (SHOW) console.log(frame);
    expect(widestLine(frame)).toBeLessThanOrEqual(200);
    expect(frame.split('\n').length).toBe(49);
    const titles = frame.split('\n').filter((l) => l.includes('error rate %'));
    expect(titles).toHaveLength(1);
    expect(titles[0]).toMatch(
      /error rate % {2}── blue stable {2}── green canary {2}┄┄ limit 2\.0%.*p95 ms {2}── blue stable {2}── green canary {2}┄┄ limit 300ms/,
    );
    expect(frame.split('\n').filter((l) => /[┤┼].*[┤┼]/.test(l)).length).toBeGreaterThanOrEqual(10);
    // full panels: a weight bar, the requests and the latencies on lines of their own
    expect(frame).toMatch(/weight 50% +█+░*/);
    expect(frame).toMatch(/1460 requests · 1 errors \(0\.1%\) in 60s/);
    expect(frame).toMatch(/p95 226ms · p99 394ms/);
    expect(frame.split('\n').filter((l) => /(error-rate|p95|p99|vs-stable) /.test(l)).length).toBeGreaterThanOrEqual(15);
  });
});

describe('canaryLayout', () => {
  it('keeps the stage bar, compact panels and nine table rows at 80x24, without charts', () => {
    const l = canaryLayout({ width: 80, height: 19, stageLines: 3, notes: 0, intervals: 30 });
    expect(l).toEqual({ compactPanels: true, gap: 0, chartHeight: 0, chartsSideBySide: false, tableRows: 9 });
  });

  it('gives charts room at 200x50 and still leaves the table most of the rest', () => {
    const l = canaryLayout({ width: 200, height: 45, stageLines: 3, notes: 0, intervals: 30 });
    expect(l.chartsSideBySide).toBe(true);
    expect(l.chartHeight).toBeGreaterThanOrEqual(8);
    expect(l.tableRows).toBeGreaterThanOrEqual(15);
    // stage 3, panels 6, charts plot + 3, the table's 2 + rows, and three blank rows
    expect(3 + 6 + (l.chartHeight + 2) + 2 + l.tableRows + 3).toBe(45);
  });

  it('draws no chart from a single interval', () => {
    expect(canaryLayout({ width: 200, height: 45, stageLines: 3, notes: 0, intervals: 1 }).chartHeight).toBe(0);
  });
});
