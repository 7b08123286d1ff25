// Reading the RUM store (see rumStore.ts for the layout): a report's input for a window from the
// rollups, plus raw events only past what each rollup covers, plus the values not yet final;
// retention; disk use.
import { readFileSync } from 'node:fs';
import type { RumEvent, WebVitalEvent } from '../../core/rum/events.js';
import type { MetricName } from '../../core/rum/metrics.js';
import { Digest, Rollup, type HourRollupJson } from '../../core/rum/rollup.js';
import { bucketStarts, type ReportWindow } from '../../core/rum/window.js';
import type { TrendBucket } from '../../core/rum/report.js';
import type { RollupFile } from './rumStore.js';
import { diskUsed, parsedLines, pruneHours, readBytes, readFrom, rollupFile, segmentsIn } from './segments.js';

export interface RumRead {
  total: Rollup;
  buckets: TrendBucket[];
  /** what the read cost: rollups merged, raw bytes read past them, pending values merged */
  cost: { rollups: number; rawBytes: number; pending: number };
}

/** A report's input for a window: rollups merged, raw events read only where no rollup covers them. */
export function readRum(dir: string, w: ReportWindow): RumRead {
  const total = new Rollup(w.from);
  const starts = bucketStarts(w);
  const buckets: TrendBucket[] = starts.map((start) => ({ start, all: new Map() }));
  const bucketOf = (ts: number) => buckets[Math.min(buckets.length - 1, Math.max(0, Math.floor((ts - w.from) / w.bucketMs)))]!;
  const addToBucket = (ts: number, metric: MetricName, d: Digest | HourRollupJson['metrics'][MetricName]) => {
    const b = bucketOf(ts).all;
    let into = b.get(metric);
    if (!into) b.set(metric, (into = new Digest()));
    if (d instanceof Digest) into.merge(d);
    else if (d) into.merge(d.all);
  };
  const pending = new Map<string, WebVitalEvent>();
  const cost = { rollups: 0, rawBytes: 0, pending: 0 };
  for (const { hour, writer, file } of segmentsIn(dir, w.from, w.until)) {
    let covered = 0;
    try {
      const r = JSON.parse(readFileSync(rollupFile(dir, hour, writer), 'utf8')) as RollupFile;
      total.merge(r.final);
      for (const [metric, mr] of Object.entries(r.final.metrics) as [MetricName, NonNullable<HourRollupJson['metrics'][MetricName]>][])
        addToBucket(hour, metric, mr);
      for (const e of r.pending ?? []) keepLatest(pending, e);
      if (r.pendingAt?.length) for (const e of linesAt(file, r.pendingAt, r.covered)) keepLatest(pending, e);
      covered = r.covered;
      cost.rollups++;
    } catch {
      /* no rollup yet (or a writer that died before its first flush): the raw segment is the truth */
    }
    const raw = readFrom(file, covered);
    cost.rawBytes += raw.length;
    for (const e of parsedLines<RumEvent>(raw)) {
      if (e.type === 'web-vital') keepLatest(pending, e);
      else total.add(e);
    }
  }
  for (const e of pending.values()) {
    total.add(e);
    const d = new Digest();
    d.add(e.name, e.value);
    addToBucket(e.ts, e.name, d);
  }
  cost.pending = pending.size;
  return { total, buckets, cost };
}

/** the values a v2 rollup points at: one read from the first of them to `covered`, then each line */
function linesAt(file: string, at: readonly number[], covered: number): WebVitalEvent[] {
  let from = Infinity;
  for (let i = 0; i < at.length; i += 2) from = Math.min(from, at[i]!);
  const buf = readBytes(file, from, covered);
  const out: WebVitalEvent[] = [];
  for (let i = 0; i < at.length; i += 2) {
    const start = at[i]! - from;
    try {
      out.push(JSON.parse(buf.toString('utf8', start, start + at[i + 1]!)) as WebVitalEvent);
    } catch {
      /* a line the file does not hold (a torn write): the value is lost, never misread */
    }
  }
  return out;
}

function keepLatest(m: Map<string, WebVitalEvent>, e: WebVitalEvent): void {
  const known = m.get(e.id);
  if (!known || e.ts >= known.ts) m.set(e.id, e);
}

/** Deletes whole hours older than the retention; returns the files removed. */
export const pruneRum = pruneHours;
export { diskUsed };
