// The shell on ink-testing-library: keys as data (the verb table), confirms that default to
// Cancel, disabled keys that explain, prompts that keep their text, the `:` line with arguments,
// completion and history, help from the same table, and quitting.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TargetHealth } from '../../src/core/health/types.js';
import { deployedState } from './deployFixtures.js';
import { KEYS, makeCtx, renderApp, waitForFrame, calledOnce } from './helpers.js';

afterEach(() => cleanup());

const healthy = (version: string, latencyMs: number): TargetHealth => ({
  status: 'healthy',
  consecutiveSuccesses: 2,
  consecutiveFailures: 0,
  recovering: false,
  last: { at: Date.now(), ok: true, statusCode: 200, latencyMs, version },
  version,
  reason: `HTTP 200 in ${latencyMs}ms`,
});

const down: TargetHealth = {
  status: 'down',
  consecutiveSuccesses: 0,
  consecutiveFailures: 2,
  recovering: true,
  last: { at: Date.now(), ok: false, latencyMs: 3, error: 'connection refused' },
  version: '1.4.2',
  reason: 'connection refused (2 consecutive failures)',
};

/** types `text` one key at a time, waiting for each to show */
async function type(
  press: (k: string, until: (f: string) => boolean) => Promise<string>,
  text: string,
  shown = (t: string) => (f: string) => f.includes(t.trimEnd()),
) {
  let typed = '';
  for (const ch of text) {
    typed += ch;
    await press(ch, shown(typed));
  }
}

/** A frame's words in one line: borders and line breaks as single spaces. */
const prose = (frame: string) => frame.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');

describe('the shell', () => {
  it('shows header, tab bar with the current screen marked without colour, and key hints', async () => {
    const { lastFrame } = await renderApp(makeCtx(), { columns: 120, rows: 30 });
    const frame = await waitForFrame(lastFrame, (f) => f.startsWith('prodx weather'));
    expect(frame).toContain('not refreshed yet');
    expect(frame).toContain('production');
    expect(frame).toContain('live: unknown');
    expect(frame).toContain('[1 Dashboard] 2 Deploy  3 Canary  4 RUM  5 Errors  6 Flags');
    expect(frame).toMatch(/d deploy {2}c canary {2}r roll back {2}\? help {2}q quit {2}: command {2}1-6 screens/);
  });

  it('shows the live colour from the router, its health as production health, and the idle colour beside it', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.setDeployment({ live: { colour: 'blue', version: '2.0.0', since: 0 }, colours: {}, history: [] });
    ctx.store.getState().actions.setWeights({ blue: 0, green: 100 });
    ctx.store.getState().actions.setTargetHealth('green', healthy('2.0.1', 5), { at: Date.now(), ms: 5 });
    ctx.store.getState().actions.setTargetHealth('blue', down, { at: Date.now(), ms: null });
    const { lastFrame } = await renderApp(ctx, { columns: 120, rows: 30 });
    // the state still says blue (a deploy is monitoring), the router sends everything to green
    const frame = await waitForFrame(lastFrame, (f) => f.includes('live green 2.0.1'));
    const header = frame.split('\n')[0]!;
    expect(header).toMatch(/live green 2\.0\.1 · idle blue ● down .*● healthy · /);
  });

  it("at 60 columns names an idle colour's health only when it is a problem, and never cuts a word", async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.setDeployment({ live: { colour: 'blue', version: '1.0.0', since: 0 }, colours: {}, history: [] });
    ctx.store.getState().actions.setWeights({ blue: 100, green: 0 });
    ctx.store.getState().actions.setTargetHealth('blue', healthy('1.0.0', 5), { at: Date.now(), ms: 5 });
    ctx.store.getState().actions.setTargetHealth('green', healthy('1.0.0', 5), { at: Date.now(), ms: 5 });
    ctx.store.getState().actions.setLastRefresh(Date.now());
    const { lastFrame } = await renderApp(ctx, { columns: 60, rows: 20 });
    const header = (await waitForFrame(lastFrame, (f) => f.startsWith('production'))).split('\n')[0]!;
    expect(header).toMatch(/^production · live blue · idle green +● healthy · \d+s ago$/);
    ctx.store.getState().actions.setTargetHealth('green', down, { at: Date.now(), ms: null });
    const withDown = (await waitForFrame(lastFrame, (f) => f.includes('● down'))).split('\n')[0]!;
    expect(withDown).toMatch(/^production · live blue · idle green ● down +● healthy$/);
  });

  it('switches screens with number keys, tab and shift+tab, and goes back with esc', async () => {
    const ctx = makeCtx();
    const { press } = await renderApp(ctx);
    await press('2', (f) => f.includes('History ('));
    await press('4', (f) => f.includes('Reading RUM events'));
    await press(KEYS.tab, (f) => f.includes('Reading error events'));
    await press(KEYS.shiftTab, (f) => f.includes('Reading RUM events'));
    await press(KEYS.escape, (f) => f.includes('TARGET'));
  });
});

describe('help', () => {
  it('wraps a long row under its column instead of cutting it, and stops scrolling at its last line', async () => {
    const ctx = makeCtx();
    ctx.store.setState({
      demo: {
        note: 'demo',
        configPath: '/tmp/prodx-demo-x/prodx.config.json',
        details: [
          { keys: 'versions', text: 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen END' },
        ],
      },
    });
    const { press, lastFrame, stdin } = await renderApp(ctx, { columns: 60, rows: 20 });
    let frame = await press('?', (f) => /Help — lines 1-/.test(f));
    const seen: string[] = [];
    // j at the end does nothing: the window stops with the last line at the bottom
    for (let i = 0; i < 200 && /↓ \d+ more/.test(frame); i++) {
      seen.push(...frame.split('\n'));
      const before = frame;
      frame = await press('j', (f) => f !== before);
    }
    seen.push(...frame.split('\n'));
    expect(frame).not.toMatch(/↓ \d+ more/);
    expect(Math.max(...seen.map((l) => [...l].length))).toBeLessThanOrEqual(60);
    const text = seen.join('\n');
    expect(text).toMatch(/versions +one two three/);
    expect(text.replace(/\s+/g, ' ')).toContain('fifteen END');
    const last = /lines (\d+)-(\d+) of (\d+)/.exec(frame)!;
    expect(last[2]).toBe(last[3]);
    for (let i = 0; i < 5; i++) stdin.write('j');
    await press('k', (f) => /lines (\d+)-/.exec(f)?.[1] === String(Number(last[1]) - 1));
    expect(lastFrame()).toMatch(/↓ 1 more/);
  });
});

describe('keys as data', () => {
  it('keys that arrive as one chunk are routed one at a time; typed text after them goes to the prompt', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.setDeployment(deployedState());
    const { stdin, lastFrame } = await renderApp(ctx, { columns: 100, rows: 30 });
    // `3` opens the Canary screen, its `c` the prompt, the rest is the version typed into it
    stdin.write('3c1.5.0');
    const frame = await waitForFrame(lastFrame, (f) => f.includes('Canary release which version?') && f.includes('1.5.0'));
    expect(frame).toContain('[3 Canary]');
    expect(ctx.store.getState().modal).toMatchObject({ kind: 'prompt', text: '1.5.0' });
  });

  it('a dangerous verb asks first, naming what changes, with Cancel focused: enter cancels', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.setDeployment(deployedState());
    const { press } = await renderApp(ctx, { columns: 100, rows: 30 });
    const dialog = await press('r', (f) => f.includes('Put traffic back on the previous colour in production?'));
    expect(dialog).toContain('from  blue 1.0.0');
    expect(dialog).toContain('to    green 0.9.0');
    expect(dialog).toContain('weights  blue 0%, green 100%');
    expect(dialog).toContain('[ Cancel ]');
    await press(KEYS.enter, (f) => !f.includes('previous colour in production?'));
    expect(ctx.app.rollback).not.toHaveBeenCalled();
    // → moves the focus to the confirm button; enter then rolls back, with the plan shown
    await press('r', (f) => f.includes('[ Cancel ]'));
    await press('\x1b[C', (f) => f.includes('[ roll back ]'));
    await press(KEYS.enter, (f) => !f.includes('[ roll back ]'));
    await calledOnce(ctx.app.rollback, 'the rollback');
    expect(ctx.app.rollback.mock.calls[0]![0]).toMatchObject({ kind: 'previous-colour', to: { colour: 'green', version: '0.9.0' } });
  });

  it('a disabled key is greyed and says why when pressed, opening nothing', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.setDeployment({ live: { colour: 'blue', version: '1.0.0', since: 0 }, colours: {}, history: [] });
    const { press } = await renderApp(ctx);
    const frame = await press('r', (f) => f.includes('rollback: nothing to roll back in production'));
    expect(frame).not.toContain('Cancel');
    expect(ctx.app.rollback).not.toHaveBeenCalled();
    // with an operation running, a new deploy cannot start: `d` says so instead of prompting
    ctx.store.getState().actions.setInFlight({ kind: 'canary', label: 'canary 1.5.0', startedAt: Date.now() });
    const busy = await press('d', (f) => f.includes('deploy: canary 1.5.0 is running from this dashboard'));
    expect(busy).not.toContain('Deploy which version?');
  });

  it('a prompt keeps its text on invalid input and says what is wrong', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.setDeployment(deployedState());
    const { press } = await renderApp(ctx, { columns: 100, rows: 30 });
    await press('d', (f) => f.includes('Deploy which version?'));
    await type(press, '1.5;rm');
    const wrong = await press(KEYS.enter, (f) => f.includes('is not allowed'));
    expect(wrong).toContain('› 1.5;rm');
    expect(ctx.app.deploy).not.toHaveBeenCalled();
    for (let i = 0; i < 3; i++) await press(KEYS.backspace, () => true);
    await waitForFrame(
      () => (ctx.store.getState().modal?.kind === 'prompt' ? `text=${(ctx.store.getState().modal as { text: string }).text}` : ''),
      (f) => f === 'text=1.5',
    );
    await press(KEYS.enter, (f) => !f.includes('Deploy which version?'));
    await calledOnce(ctx.app.deploy, 'the deploy');
    expect(ctx.app.deploy).toHaveBeenCalledWith('1.5');
  });

  it('an old flash message does not linger inside a new dialog', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.flash('error', 'an old failure');
    const { press } = await renderApp(ctx);
    const frame = await press('d', (f) => f.includes('Deploy which version?'));
    expect(frame).not.toContain('an old failure');
  });
});

describe('the `:` line', () => {
  it('runs a verb with its arguments: `:deploy 1.5.0` deploys 1.5.0', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.setDeployment(deployedState());
    const { press } = await renderApp(ctx);
    await press(':', (f) => f.includes('enter run'));
    await type(press, 'deploy 1.5.0');
    await press(KEYS.enter, (f) => !f.includes('enter run'));
    await calledOnce(ctx.app.deploy, 'the deploy');
    expect(ctx.app.deploy).toHaveBeenCalledWith('1.5.0');
  });

  it('`:rollback` asks the same question as r; `:q` quits', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.setDeployment(deployedState());
    const { press } = await renderApp(ctx);
    await press(':', (f) => f.includes('enter run'));
    await type(press, 'rollback');
    await press(KEYS.enter, (f) => f.includes('Put traffic back on the previous colour'));
    await press('n', (f) => !f.includes('Put traffic back'));
    await press(':', (f) => f.includes('enter run'));
    await type(press, 'q');
    await press(KEYS.enter, () => ctx.onQuit.mock.calls.length === 1);
    expect(ctx.onQuit).toHaveBeenCalledWith('normal');
  });

  it('an unknown verb or argument is an error, never ignored', async () => {
    const ctx = makeCtx();
    const { press } = await renderApp(ctx);
    await press(':', (f) => f.includes('enter run'));
    await type(press, 'deplyo 1.5');
    await press(KEYS.enter, (f) => f.includes('unknown command "deplyo" (did you mean :deploy?)'));
    await press(':', (f) => f.includes('enter run'));
    await type(press, 'promote now');
    await press(KEYS.enter, (f) => f.includes('"now" is not a way to promote'));
    expect(ctx.app.canaryControl).not.toHaveBeenCalled();
  });

  it('completes with tab and recalls history with the arrow keys', async () => {
    const ctx = makeCtx();
    const { press } = await renderApp(ctx);
    await press(':', (f) => f.includes('enter run'));
    await type(press, 'fla');
    await press(KEYS.tab, () => ctx.store.getState().command?.text === 'flags ');
    await press(KEYS.enter, () => ctx.store.getState().screen === 'flags');
    await press(':', (f) => f.includes('enter run'));
    await type(press, 're');
    await press(KEYS.tab, (f) => f.includes('refresh  resume'));
    await press(KEYS.escape, (f) => !f.includes('enter run'));
    await press(':', (f) => f.includes('enter run'));
    await press('\x1b[A', (f) => f.includes(':flags'));
  });

  it('runs a session verb with its arguments and flashes its failure', async () => {
    const run = vi.fn(async (args: string[]) => {
      if (args[0] === 'red') throw new Error('no target named red');
    });
    const ctx = makeCtx([{ name: 'fault', description: 'break a target', usage: '<target> …', complete: () => ['blue'], run }]);
    const { press } = await renderApp(ctx);
    await press(':', (f) => f.includes('enter run'));
    await type(press, 'fault blue error=0.2');
    await press(KEYS.enter, (f) => !f.includes('enter run'));
    expect(run).toHaveBeenCalledWith(['blue', 'error=0.2']);
    await press(':', (f) => f.includes('enter run'));
    await type(press, 'fault red');
    await press(KEYS.enter, (f) => f.includes('fault: no target named red'));
  });
});

describe('quitting', () => {
  it('q with nothing running quits at once', async () => {
    const ctx = makeCtx();
    const { stdin } = await renderApp(ctx);
    stdin.write('q');
    await calledOnce(ctx.onQuit, 'onQuit');
    expect(ctx.onQuit).toHaveBeenCalledWith('normal');
  });

  it('q while an operation runs asks; esc stays, "leave it resumable" stops it and quits', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.setInFlight({ kind: 'canary', label: 'canary 1.5.0', startedAt: Date.now() });
    const { press } = await renderApp(ctx, { columns: 100, rows: 30 });
    const ask = await press('q', (f) => f.includes('canary 1.5.0 is still running'));
    expect(ask).toContain('[ Keep it running ]');
    // what leaving and cancelling mean for this operation, wrapped without a line starting in a space
    expect(prose(ask)).toContain('`prodx canary deploy --resume` goes on, `prodx rollback` undoes it');
    expect(ask).not.toContain('`prodx deploy --resume`');
    expect(ask).not.toMatch(/│ {2}\S/);
    expect(ask).toMatch(/↑\/↓ choose {2}enter press/);
    await press(KEYS.escape, (f) => !f.includes('is still running'));
    expect(ctx.onQuit).not.toHaveBeenCalled();
    await press('q', (f) => f.includes('is still running'));
    await press('\x1b[B', (f) => f.includes('[ Quit, leave it resumable ]'));
    await press(KEYS.enter, () => ctx.onQuit.mock.calls.length === 1);
    expect(ctx.app.stop).toHaveBeenCalled();
    expect(ctx.app.cancel).not.toHaveBeenCalled();
    expect(ctx.onQuit).toHaveBeenCalledWith('leave');
  });

  it('"cancel it" undoes the operation before quitting; a second ctrl+c quits at once', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.setInFlight({ kind: 'deploy', label: 'deploy 1.5.0', startedAt: Date.now() });
    const { press, stdin } = await renderApp(ctx, { columns: 100, rows: 30 });
    const ask = await press(KEYS.ctrlC, (f) => f.includes('deploy 1.5.0 is still running'));
    expect(prose(ask)).toContain('or cancel it: it is rolled back first');
    await press('\x1b[B', (f) => f.includes('[ Quit, leave it resumable ]'));
    await press('\x1b[B', (f) => f.includes('[ Cancel it, then quit ]'));
    await press(KEYS.enter, () => ctx.onQuit.mock.calls.length === 1);
    expect(ctx.app.cancel).toHaveBeenCalled();
    expect(ctx.onQuit).toHaveBeenCalledWith('cancel');
    cleanup();
    const again = makeCtx();
    again.store.getState().actions.setInFlight({ kind: 'deploy', label: 'deploy 1.5.0', startedAt: Date.now() });
    again.app.stop.mockImplementation(() => new Promise(() => {}));
    const second = await renderApp(again, { columns: 100, rows: 30 });
    await second.press(KEYS.ctrlC, (f) => f.includes('is still running'));
    second.stdin.write(KEYS.ctrlC);
    await calledOnce(again.onQuit, 'a forced quit');
    expect(again.onQuit).toHaveBeenCalledWith('force');
    void stdin;
  });
});

describe('Dashboard', () => {
  it('reflects health from the store; a failed probe is a failure in the chart, not a gap', async () => {
    const ctx = makeCtx();
    const { lastFrame } = await renderApp(ctx, { columns: 80, rows: 24 });
    await waitForFrame(lastFrame, (f) => f.includes('waiting for the first probe'));
    const t0 = Date.now() - 10_000;
    for (let i = 0; i < 5; i++) ctx.store.getState().actions.setTargetHealth('blue', healthy('1.4.2', 12), { at: t0 + i * 1000, ms: 12 });
    ctx.store.getState().actions.setTargetHealth('blue', down, { at: t0 + 6000, ms: null });
    const frame = await waitForFrame(lastFrame, (f) => f.includes('● down') && f.includes('1 failed (✗)'));
    expect(frame).toContain('blue latency · 6 probes');
    expect(frame).toContain('✗');
    expect(frame).toContain('connection refused');
  });

  it('refreshes on ctrl+r and R, and flashes a refresh that fails', async () => {
    const ctx = makeCtx();
    const { press } = await renderApp(ctx);
    await press(KEYS.ctrlR, (f) => f.includes('refreshed') && !f.includes('refreshing'));
    await press('R', () => ctx.app.refresh.mock.calls.length === 2);
    ctx.app.refresh.mockRejectedValueOnce(new Error('target blue timed out'));
    await press('R', (f) => f.includes('refresh: target blue timed out'));
  });
});
