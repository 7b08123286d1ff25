import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TargetHealth } from '../../src/core/health/types.js';
import { KEYS, makeCtx, renderApp, waitFor, waitForFrame } from './helpers.js';

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

describe('App shell', () => {
  it('shows header, tab bar and key hints', async () => {
    const { lastFrame } = await renderApp(makeCtx());
    const frame = await waitForFrame(lastFrame, (f) => f.includes('not refreshed yet'));
    expect(frame).toContain('weather');
    expect(frame).toContain('production');
    expect(frame).toContain('live: unknown (no deploy recorded)');
    expect(frame).toContain('1 Dashboard  2 Deploy  3 Canary  4 RUM  5 Errors  6 Flags');
    expect(frame).toContain('1-6 screens  tab next  : command  ? help  q quit');
    expect(frame).toContain('ctrl+r/R refresh now');
  });

  it('shows the live colour and version, the demo note, and a refresh time that ticks', async () => {
    const ctx = makeCtx();
    ctx.store.setState({ demo: { note: 'sample targets on 127.0.0.1, nothing real is touched' } });
    ctx.store.getState().actions.setDeployment({ live: { colour: 'green', version: '2.0.1', since: 0 }, colours: {}, history: [] });
    ctx.store.getState().actions.setLastRefresh(Date.now() - 3000);
    const { lastFrame } = await renderApp(ctx);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('live: green 2.0.1'));
    expect(frame).toContain('demo sandbox — sample targets on 127.0.0.1');
    expect(frame).toMatch(/refreshed [34]s ago/);
    await waitForFrame(lastFrame, (f) => /refreshed [45]s ago/.test(f));
  });

  it('switches screens with number keys, tab and shift+tab', async () => {
    const ctx = makeCtx();
    const { press } = await renderApp(ctx);
    await press('2', (f) => f.includes('History ('));
    await press('4', (f) => f.includes('Real-user monitoring (Core Web Vitals) is not available yet'));
    await press('1', (f) => f.includes('TARGET'));
    await press(KEYS.tab, (f) => f.includes('History ('));
    await press(KEYS.tab, (f) => f.includes('No canary release in'));
    await press(KEYS.shiftTab, (f) => f.includes('History ('));
    await press(KEYS.shiftTab, (f) => f.includes('TARGET'));
    // the Flags screen is someone else's and changing: check where we are, not what it shows
    await press(KEYS.shiftTab, (f) => ctx.store.getState().screen === 'flags' && !f.includes('TARGET'));
  });

  it('goes back to the dashboard on esc', async () => {
    const { press } = await renderApp(makeCtx());
    await press('5', (f) => f.includes('Error tracking is not available yet'));
    await press(KEYS.escape, (f) => f.includes('TARGET'));
  });

  it('opens help with ? listing keys and commands, and closes it with esc', async () => {
    const ctx = makeCtx([{ name: 'rollback', description: 'put the previous version back', run: vi.fn() }]);
    const { press } = await renderApp(ctx, { columns: 100, rows: 30 });
    const help = await press('?', (f) => f.includes('Commands'));
    for (const text of [
      'shift+tab',
      'ctrl+c',
      'refresh now',
      ':dashboard',
      ':canary',
      ':help',
      ':quit',
      ':rollback',
      'put the previous version back',
    ]) {
      expect(help).toContain(text);
    }
    await press(KEYS.escape, (f) => !f.includes('Commands') && f.includes('TARGET'));
  });

  it('runs a typed command on enter', async () => {
    const { press } = await renderApp(makeCtx());
    await press(':', (f) => f.includes('enter run'));
    let typed = '';
    for (const ch of 'canary') {
      typed += ch;
      await press(ch, (f) => f.includes(`:${typed}`));
    }
    await press(KEYS.enter, (f) => f.includes('No canary release in') && !f.includes('enter run'));
  });

  it('edits the command line with backspace and cancels it with esc', async () => {
    const ctx = makeCtx();
    const { press } = await renderApp(ctx);
    await press(':', (f) => f.includes('enter run'));
    await press('flagz', (f) => f.includes(':flagz'));
    await press(KEYS.backspace, (f) => f.includes(':flag ') || /:flag\s*$/m.test(f));
    await press('s', (f) => f.includes(':flags'));
    await press(KEYS.escape, (f) => !f.includes(':flags') && f.includes('q quit'));
    expect(ctx.store.getState().screen).toBe('dashboard');
  });

  it('flashes an error for an unknown command', async () => {
    const { press } = await renderApp(makeCtx());
    await press(':', (f) => f.includes('enter run'));
    await press('foo', (f) => f.includes(':foo'));
    await press(KEYS.enter, (f) => f.includes('unknown command "foo": type :help for the list'));
  });

  it('runs a context command with its arguments', async () => {
    const run = vi.fn();
    const { press } = await renderApp(makeCtx([{ name: 'rollback', description: 'roll back', run }]));
    await press(':', (f) => f.includes('enter run'));
    await press('rollback now', (f) => f.includes(':rollback now'));
    await press(KEYS.enter, (f) => !f.includes('enter run'));
    expect(run).toHaveBeenCalledWith(['now']);
  });

  it('flashes errors thrown by commands, sync or async, and keeps running', async () => {
    const boom = () => {
      throw new Error('the router did not answer');
    };
    const later = async () => {
      throw new Error('lock is held by ci@runner');
    };
    const ctx = makeCtx([
      { name: 'boom', description: 'throws', run: boom },
      { name: 'later', description: 'rejects', run: later },
    ]);
    const { press } = await renderApp(ctx);
    await press(':', (f) => f.includes('enter run'));
    await press('boom', (f) => f.includes(':boom'));
    await press(KEYS.enter, (f) => f.includes(':boom failed: the router did not answer'));
    await press(':', (f) => f.includes('enter run'));
    await press('later', (f) => f.includes(':later'));
    await press(KEYS.enter, (f) => f.includes(':later failed: lock is held by ci@runner'));
    await press('2', (f) => f.includes('History ('));
  });

  it('quits on q: calls onQuit and unmounts', async () => {
    const ctx = makeCtx();
    const { stdin } = await renderApp(ctx);
    stdin.write('q');
    await waitFor(
      () => ctx.onQuit.mock.calls.length,
      (n) => n === 1,
      'onQuit',
    );
    await waitFor(
      () => stdin.listenerCount('readable'),
      (n) => n === 0,
      'the app to stop listening',
    );
  });

  it('quits on ctrl+c, even from the command line', async () => {
    const ctx = makeCtx();
    const { stdin, press } = await renderApp(ctx);
    await press(':', (f) => f.includes('enter run'));
    stdin.write(KEYS.ctrlC);
    await waitFor(
      () => ctx.onQuit.mock.calls.length,
      (n) => n === 1,
      'onQuit',
    );
  });

  it('runs a confirm dialog action on y and not on n', async () => {
    const ctx = makeCtx();
    const onConfirm = vi.fn();
    const { press, lastFrame } = await renderApp(ctx);
    const open = () =>
      ctx.store.getState().actions.openModal({
        kind: 'confirm',
        title: 'Roll back production?',
        body: 'green 2.0.1 → blue 2.0.0',
        confirmLabel: 'roll back',
        onConfirm,
      });
    open();
    await waitForFrame(lastFrame, (f) => f.includes('Roll back production?') && f.includes('y/enter roll back'));
    await press('n', (f) => !f.includes('Roll back production?'));
    expect(onConfirm).not.toHaveBeenCalled();
    open();
    await waitForFrame(lastFrame, (f) => f.includes('Roll back production?'));
    await press('y', (f) => !f.includes('Roll back production?'));
    await waitFor(
      () => onConfirm.mock.calls.length,
      (n) => n === 1,
      'onConfirm',
    );
  });
});

describe('Dashboard', () => {
  it('reflects health updates from the store', async () => {
    const ctx = makeCtx();
    const { lastFrame } = await renderApp(ctx);
    await waitForFrame(lastFrame, (f) => f.includes('unknown') && f.includes('waiting for probes…'));
    ctx.store.getState().actions.setTargetHealth('blue', healthy('1.4.2', 12), 12);
    await waitForFrame(lastFrame, (f) => f.includes('healthy') && f.includes('1.4.2') && f.includes('12ms'));
    ctx.store.getState().actions.setTargetHealth('blue', down, null);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('● down'));
    expect(frame).toContain('connection refused');
  });

  it('refreshes on ctrl+r and R with a flash', async () => {
    const ctx = makeCtx();
    const { press } = await renderApp(ctx);
    await press(KEYS.ctrlR, (f) => f.includes('refreshed') && !f.includes('refreshing'));
    await press('R', () => ctx.refresh.mock.calls.length === 2);
  });

  it('flashes a refresh that fails', async () => {
    const ctx = makeCtx();
    ctx.refresh.mockRejectedValueOnce(new Error('target blue timed out'));
    const { press } = await renderApp(ctx);
    await press('R', (f) => f.includes('refresh now failed: target blue timed out'));
  });
});
