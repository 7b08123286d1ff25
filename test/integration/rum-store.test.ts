// The RUM store on a real disk: de-duplication by id before a value enters a sketch, reports that
// merge rollups with the pending values and the raw tail, two writers in one folder, a writer
// that died before its first flush, retention by whole hours.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RumEvent, WebVitalEvent } from '../../src/core/rum/events.js';
import { rate, type MetricName } from '../../src/core/rum/metrics.js';
import { buildReport } from '../../src/core/rum/report.js';
import { HOUR_MS } from '../../src/core/rum/rollup.js';
import { windowOf } from '../../src/core/rum/window.js';
import { pruneRum, readRum } from '../../src/adapters/events/rumRead.js';
import { RumWriter } from '../../src/adapters/events/rumStore.js';
import { tempDir } from '../support/cli.js';

const NOW = Date.UTC(2026, 11, 1, 12, 30);
const vital = (name: MetricName, value: number, id: string, ts = NOW, o: Partial<WebVitalEvent> = {}): WebVitalEvent => ({
  type: 'web-vital',
  name,
  value,
  rating: rate(name, value),
  delta: value,
  id,
  navigationType: 'navigate',
  page: '/',
  device: 'desktop',
  connection: '4g',
  version: '1',
  country: 'DE',
  sessionId: 's',
  ts,
  ...o,
});
const summary = (dir: string, since = NOW - 2 * HOUR_MS, until = NOW) => {
  const w = windowOf(since, until);
  const read = readRum(dir, w);
  const r = buildReport({ total: read.total, buckets: read.buckets, bucketMs: w.bucketMs, from: w.from, until: w.until, minSamples: 1 });
  return {
    cost: read.cost,
    events: r.events,
    metrics: Object.fromEntries(r.metrics.map((m) => [m.name, { count: m.count, max: read.total.metrics.get(m.name)!.all.sketch.max }])),
  };
};

describe('RUM store', () => {
  it('a re-reported value replaces the earlier one while pending, in reports before and after it is final', () => {
    const dir = tempDir();
    const w = new RumWriter(dir, { finalizeAfterMs: 60_000 });
    w.append([vital('CLS', 0.05, 'c1'), vital('LCP', 1200, 'l1')], NOW);
    w.append([vital('CLS', 0.31, 'c1', NOW + 5000)], NOW + 5000);
    // before any flush: everything is raw, and the report de-duplicates it itself
    expect(summary(dir, NOW - HOUR_MS, NOW + 10_000).metrics['CLS']).toEqual({ count: 1, max: 0.31 });
    w.flush(NOW + 10_000); // still pending (quiet for only 5 s): kept as pending in the rollup file
    expect(summary(dir, NOW - HOUR_MS, NOW + 10_000)).toMatchObject({ metrics: { CLS: { count: 1, max: 0.31 } }, cost: { pending: 2 } });
    w.flush(NOW + 120_000); // quiet for a minute: final, in the sketch
    const after = summary(dir, NOW - HOUR_MS, NOW + 120_000);
    expect(after.metrics).toEqual({ CLS: { count: 1, max: 0.31 }, LCP: { count: 1, max: 1200 } });
    expect(after.cost).toMatchObject({ rollups: 1, rawBytes: 0, pending: 0 });
    // a re-report after the value is final cannot take the sample back: it is dropped, and counted
    w.append([vital('CLS', 0.9, 'c1', NOW + 130_000)], NOW + 130_000);
    expect(w.counts).toMatchObject({ lateDuplicates: 1, replaced: 1 });
    w.close(NOW + 140_000);
    expect(summary(dir, NOW - HOUR_MS, NOW + 140_000).metrics['CLS']).toEqual({ count: 1, max: 0.31 });
  });

  it('reads raw events only past what the rollup covers, and merges two writers of one hour', () => {
    const dir = tempDir();
    const a = new RumWriter(dir, { finalizeAfterMs: 1 });
    const b = new RumWriter(dir, { finalizeAfterMs: 1 });
    expect(a.writer).not.toBe(b.writer);
    a.append(
      Array.from({ length: 100 }, (_, i) => vital('LCP', 1000 + i, `a${i}`)),
      NOW,
    );
    a.flush(NOW + 10);
    a.append(
      [
        vital('LCP', 5000, 'a-late'),
        {
          type: 'pageview',
          page: '/',
          device: 'phone',
          connection: '4g',
          version: '1',
          country: 'DE',
          sessionId: 's2',
          ts: NOW,
        } as RumEvent,
      ],
      NOW + 20,
    );
    b.append([vital('LCP', 3000, 'b1'), vital('INP', 90, 'b2')], NOW);
    b.close(NOW + 30);
    const s = summary(dir);
    expect(s.metrics['LCP']).toEqual({ count: 102, max: 5000 });
    expect(s.metrics['INP']!.count).toBe(1);
    expect(s.events).toBe(104);
    // a's rollup covers its first 100 events: only the two after it are read raw
    const raw = readFileSync(`${dir}/${readdirSync(dir).find((n) => n.includes(a.writer) && n.endsWith('.ndjson'))}`, 'utf8').split('\n');
    expect(s.cost.rawBytes).toBe(raw.slice(100).join('\n').length);
    expect(s.cost.rollups).toBe(2);
  });

  it('a writer that died before its first flush: its segment is read whole; a line cut short is skipped', () => {
    const dir = tempDir();
    const w = new RumWriter(dir);
    w.append([vital('TTFB', 300, 't1'), vital('TTFB', 500, 't2')], NOW);
    // no flush, no close: as after kill -9, with a torn last line
    const seg = readdirSync(dir).find((n) => n.endsWith('.ndjson'))!;
    appendFileSync(`${dir}/${seg}`, '{"type":"web-vital","name":"TTFB","val');
    expect(summary(dir).metrics['TTFB']).toEqual({ count: 2, max: 500 });
  });

  it('keeps events in the hour of their time, and retention deletes whole hours', () => {
    const dir = tempDir();
    const w = new RumWriter(dir);
    w.append([vital('LCP', 1000, 'old', NOW - 3 * 86_400_000), vital('LCP', 2000, 'new', NOW)], NOW);
    w.close(NOW);
    expect(readdirSync(dir).filter((n) => n.endsWith('.ndjson'))).toHaveLength(2);
    expect(summary(dir, NOW - 4 * 86_400_000, NOW).metrics['LCP']!.count).toBe(2);
    expect(summary(dir, NOW - HOUR_MS, NOW).metrics['LCP']!.count).toBe(1);
    expect(pruneRum(dir, NOW, 2)).toBe(2); // the old hour's segment and rollup
    expect(summary(dir, NOW - 4 * 86_400_000, NOW).metrics['LCP']!.count).toBe(1);
  });
});
