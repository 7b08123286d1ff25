// The RUM screen with ink-testing-library: the report in the store as the RUM poller puts it.
import { describe, expect, it } from 'vitest';
import type { WebVitalEvent } from '../../src/core/rum/events.js';
import type { MetricName } from '../../src/core/rum/metrics.js';
import { storedVital } from '../support/rum.js';
import { buildReport } from '../../src/core/rum/report.js';
import { Rollup } from '../../src/core/rum/rollup.js';
import { calledOnce, makeCtx, plain, renderApp } from './helpers.js';

const T0 = Date.UTC(2026, 11, 1, 10);
const vital = (name: MetricName, value: number, page: string, device: WebVitalEvent['device']) =>
  storedVital(name, value, {
    page,
    device,
    version: '4.3.0',
    ts: T0,
    attribution: { target: page === '/radar' ? '#radar-map canvas' : 'img.hero' },
  });

function report() {
  const r = new Rollup(T0);
  for (let i = 0; i < 40; i++) {
    r.add(vital('LCP', 1200, '/', 'desktop'));
    r.add(vital('CLS', 0.02, '/', 'desktop'));
    r.add(vital('LCP', 6100, '/radar', 'phone'));
    r.add(vital('CLS', 0.02, '/radar', 'phone'));
  }
  return buildReport({ total: r, buckets: [], bucketMs: 3_600_000, from: T0, until: T0 + 3_600_000, by: 'device' });
}

describe('RUM screen', () => {
  it('shows p75 and shares per metric, the failing page with its worst element, the segment; w changes the window and reads again', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.updateRum({ report: report(), loadedAt: Date.now() });
    const { press, lastFrame } = await renderApp(ctx, { columns: 80, rows: 24 });
    const frame = await press('4', (f) => f.includes('Core Web Vitals'));
    expect(frame).toMatch(/LCP +p75 +\d+ ms poor/);
    expect(frame).toMatch(/CLS +p75 +0\.020 good/);
    expect(frame).toContain('✗ /radar phone LCP');
    expect(frame).toContain('worst #radar-map canvas');
    expect(frame).toMatch(/By device[\s\S]*desktop +LCP 1\d{3} ms/);
    await press('w', (f) => f.includes('last 7 days'));
    expect(ctx.store.getState().rum.window).toBe('7d');
    await calledOnce(ctx.app.refreshRum, 'the report to be read again');
    expect(plain(lastFrame())).toContain('w window');
  });

  it('says how to get data when there is none', async () => {
    const ctx = makeCtx();
    ctx.store.getState().actions.updateRum({
      report: buildReport({ total: new Rollup(T0), buckets: [], bucketMs: 3_600_000, from: T0, until: T0 }),
      loadedAt: Date.now(),
    });
    const { press } = await renderApp(ctx, { columns: 60, rows: 20 });
    const frame = await press('4', (f) => f.includes('No web-vitals samples'));
    expect(frame.replace(/\s+/g, ' ')).toContain('prodx simulate rum');
  });
});
