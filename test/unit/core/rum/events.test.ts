import { describe, expect, it } from 'vitest';
import { checkRumEvent, eventLine, MAX_STRING } from '../../../../src/core/rum/events.js';
import { rate } from '../../../../src/core/rum/metrics.js';

const NOW = Date.UTC(2026, 11, 1, 12);
const OLDEST = NOW - 30 * 86_400_000;
const check = (raw: unknown) => checkRumEvent(raw, NOW, OLDEST, rate);
const metric = { name: 'LCP', value: 2400, rating: 'good', delta: 2400, id: 'v6-1', navigationType: 'navigate', navigationId: 3 };

describe('checkRumEvent', () => {
  it('takes a web-vitals v6 Metric as it is, with the page from navigationURL and the rating from the thresholds', () => {
    const r = check({ ...metric, value: 4100, rating: 'good', navigationURL: 'https://w.example/radar?x=1#top', device: 'phone', ts: NOW });
    expect(r).toMatchObject({
      ok: true,
      event: {
        type: 'web-vital',
        name: 'LCP',
        value: 4100,
        rating: 'poor',
        page: '/radar',
        device: 'phone',
        navigationId: '3',
        connection: 'unknown',
      },
    });
  });

  it('accepts every v6 navigationType, soft-navigation included, and the legacy FID', () => {
    for (const t of ['navigate', 'reload', 'back-forward', 'back-forward-cache', 'prerender', 'restore', 'soft-navigation'])
      expect(check({ ...metric, navigationType: t }).ok).toBe(true);
    expect(check({ ...metric, name: 'FID', value: 120 })).toMatchObject({ ok: true, event: { rating: 'needs-improvement' } });
  });

  it('keeps only the attribution it uses: the target and the phases', () => {
    const r = check({
      ...metric,
      attribution: { target: 'img.hero', timeToFirstByte: 300, resourceLoadDelay: 10, lcpEntry: { huge: 'x'.repeat(10_000) } },
    });
    expect(r.ok && r.event.type === 'web-vital' && r.event.attribution).toEqual({
      target: 'img.hero',
      phases: { timeToFirstByte: 300, resourceLoadDelay: 10 },
    });
  });

  it.each([
    [null, 'not-an-object'],
    [[metric], 'not-an-object'],
    [{ ...metric, name: 'TBT' }, 'unknown-metric'],
    [{ ...metric, value: -1 }, 'out-of-range'],
    [{ ...metric, value: 1e9 }, 'out-of-range'],
    [{ ...metric, name: 'CLS', value: 500 }, 'out-of-range'],
    [{ ...metric, value: '2400' }, 'wrong-type'],
    [{ ...metric, value: null }, 'missing-field'],
    [{ ...metric, id: undefined }, 'missing-field'],
    [{ ...metric, id: 'x'.repeat(MAX_STRING + 1) }, 'too-long'],
    [{ ...metric, page: 'p'.repeat(100_000), navigationURL: undefined }, 'too-long'],
    [{ ...metric, device: 'fridge' }, 'bad-value'],
    [{ ...metric, navigationType: 'teleport' }, 'bad-value'],
    [{ ...metric, ts: NOW + 86_400_000 }, 'ts-out-of-range'],
    [{ ...metric, ts: OLDEST - 1 }, 'ts-out-of-range'],
    [{ type: 'click' }, 'unknown-type'],
    [{ type: 'engagement', interactions: -3 }, 'out-of-range'],
    [{ type: 'conversion' }, 'missing-field'],
  ])('rejects %j as %s', (raw, reason) => {
    expect(check(raw)).toMatchObject({ ok: false, reason });
  });

  it('takes pageview, engagement and conversion events', () => {
    expect(check({ type: 'pageview', page: '/forecast', sessionId: 's1' })).toMatchObject({
      ok: true,
      event: { page: '/forecast', ts: NOW },
    });
    expect(check({ type: 'engagement', interactions: 4, visibleMs: 30_000 })).toMatchObject({ ok: true, event: { interactions: 4 } });
    expect(check({ type: 'conversion', name: 'subscribe', value: 4.99 })).toMatchObject({
      ok: true,
      event: { name: 'subscribe', value: 4.99 },
    });
  });
});

describe('eventLine', () => {
  const hard = 'q"uote\\back\nnew\u2028line\u0001é😀';
  const events = [
    check({
      ...metric,
      navigationURL: `https://w.example/${encodeURIComponent(hard)}`,
      navigationStartTime: 12.5,
      sessionId: hard,
      version: hard,
    }),
    check({ ...metric, name: 'CLS', value: 0.1, attribution: { largestShiftTarget: hard } }),
    check({ ...metric, navigationId: undefined, delta: -0 }),
    check({ type: 'pageview', page: '/a b', country: hard, ts: NOW }),
    check({ type: 'engagement', interactions: 3, visibleMs: 12_000, ts: NOW }),
    check({ type: 'conversion', name: hard, value: 1e-7, ts: NOW }),
  ];

  it('writes one line that JSON.parse turns back into the checked event, for every type and hard strings', () => {
    for (const c of events) {
      if (!c.ok) throw new Error(c.message);
      const line = eventLine(c.event);
      expect(line).not.toContain('\n');
      expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(c.event)));
    }
  });
});
