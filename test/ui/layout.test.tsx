import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { TargetHealth } from '../../src/core/health/types.js';
import type { AppStore } from '../../src/store/createAppStore.js';
import { chartLayout } from '../../src/ui/screens/Dashboard.js';
import { makeCtx, renderApp, waitForFrame, widestLine } from './helpers.js';

afterEach(() => cleanup());

const SHOW = process.env.SHOW_FRAMES === '1';

const probed = (status: TargetHealth['status'], version: string, latencyMs: number, reason: string): TargetHealth => ({
  status,
  consecutiveSuccesses: status === 'healthy' ? 3 : 0,
  consecutiveFailures: status === 'healthy' ? 0 : 3,
  recovering: status !== 'healthy',
  last: { at: Date.now(), ok: status === 'healthy', statusCode: status === 'healthy' ? 200 : 503, latencyMs, version },
  version,
  reason,
});

/** 60 probes of latency per target, a failed one now and then, and one with a very long reason. */
function fillHistory(store: AppStore) {
  const { setTargetHealth, setLastRefresh, setDeployment } = store.getState().actions;
  const t0 = Date.now() - 60_000;
  for (let i = 0; i < 60; i++) {
    setTargetHealth('blue', probed('healthy', '2025.06.14-a1b2c3d', 20 + ((i * 7) % 30), 'HTTP 200 in 20ms'), {
      at: t0 + i * 1000,
      ms: 20 + ((i * 7) % 30),
    });
    setTargetHealth(
      'green',
      probed(
        'degraded',
        '2025.06.15-rc.1+build.4242',
        300 + ((i * 13) % 200),
        'slow: 450ms > 400ms after three consecutive slow probes from the eu-west edge',
      ),
      { at: t0 + i * 1000, ms: i % 9 === 0 ? null : 300 + ((i * 13) % 200) },
    );
  }
  setLastRefresh(Date.now());
  setDeployment({ live: { colour: 'blue', version: '2025.06.14-a1b2c3d', since: Date.now() - 3_600_000 }, colours: {}, history: [] });
}

describe('layout', () => {
  it('fits 80x24: no line wider than 80 columns, no more lines than rows', async () => {
    const ctx = makeCtx();
    fillHistory(ctx.store);
    const { lastFrame, press } = await renderApp(ctx, { columns: 80, rows: 24 });
    const frame = await waitForFrame(lastFrame, (f) => f.includes('latency ·') && widestLine(f) <= 80);
    if (SHOW) console.log(frame);
    expect(widestLine(frame)).toBeLessThanOrEqual(80);
    expect(frame.split('\n').length).toBeLessThan(24);
    expect(frame).toContain('q quit');
    expect(frame).toContain('slow:');
    for (const key of ['2', '?']) {
      const other = await press(key, (f) => f.includes(key === '?' ? 'Help —' : 'History'));
      if (SHOW) console.log(other);
      expect(widestLine(other)).toBeLessThanOrEqual(80);
      expect(other.split('\n').length).toBeLessThan(24);
    }
  });

  it('uses the space at 200x50: charts side by side and taller, URLs shown', async () => {
    const ctx = makeCtx();
    fillHistory(ctx.store);
    const { lastFrame } = await renderApp(ctx, { columns: 200, rows: 50 });
    const frame = await waitForFrame(lastFrame, (f) => f.includes('URL'));
    if (SHOW) console.log(frame);
    expect(widestLine(frame)).toBeLessThanOrEqual(200);
    expect(widestLine(frame)).toBeGreaterThan(150);
    expect(frame.split('\n').length).toBe(49);
    const titles = frame.split('\n').filter((l) => l.includes('latency ·'));
    expect(titles).toHaveLength(1); // one row holding both charts
    expect(titles[0]).toMatch(/blue.*green/);
    expect(frame).toContain('http://127.0.0.1:1');
    expect(frame.split('\n').filter((l) => /┤/.test(l)).length).toBeGreaterThan(10);
    // a steady window with a time axis, and the failed probes drawn as failures
    expect(frame).toMatch(/-\d+[sm] +now/);
    expect(frame).toContain('✗');
  });

  it('follows a resize of the terminal', async () => {
    const ctx = makeCtx();
    fillHistory(ctx.store);
    const { lastFrame, stdout } = await renderApp(ctx, { columns: 200, rows: 50 });
    await waitForFrame(lastFrame, (f) => f.includes('URL'));
    Object.defineProperty(stdout, 'columns', { value: 80, configurable: true });
    Object.defineProperty(stdout, 'rows', { value: 24, configurable: true });
    stdout.emit('resize');
    const frame = await waitForFrame(lastFrame, (f) => !f.includes('URL'));
    expect(widestLine(frame)).toBeLessThanOrEqual(80);
  });

  it('hides the flash line after about 5 seconds, by timer', async () => {
    const ctx = makeCtx();
    const { lastFrame } = await renderApp(ctx);
    ctx.store.getState().actions.flash('success', 'promoted green', Date.now() - 4900);
    await waitForFrame(lastFrame, (f) => f.includes('promoted green'));
    await waitForFrame(lastFrame, (f) => !f.includes('promoted green'), 2000);
    expect(ctx.store.getState().flash).toBeNull();
  });
});

describe('chartLayout', () => {
  it('puts two charts side by side at 80 columns, filling the height left (title + plot + axis)', () => {
    expect(chartLayout(2, 80, 15)).toEqual({ perRow: 2, chartWidth: 39, plotHeight: 13 });
  });
  it('grows charts on a tall terminal and stacks them on a narrow one', () => {
    expect(chartLayout(2, 200, 40).plotHeight).toBeGreaterThan(10);
    expect(chartLayout(3, 60, 30).perRow).toBe(1);
  });
  it('drops the charts when there is no room', () => {
    expect(chartLayout(2, 80, 2).plotHeight).toBe(0);
  });
});
