// Reading the RUM store (see rumStore.ts for the layout): a report's input for a window from the
// rollups, plus raw events only past what each rollup covers, plus the values not yet final;
// retention; disk use.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { RumEvent, WebVitalEvent } from '../../core/rum/events.js';
import type { MetricName } from '../../core/rum/metrics.js';
import { Digest, hourOf, Rollup, type HourRollupJson } from '../../core/rum/rollup.js';
import { bucketStarts, type ReportWindow } from '../../core/rum/window.js';
import type { TrendBucket } from '../../core/rum/report.js';
import { SEGMENT, type RollupFile } from './rumStore.js';

/** the bytes of a file from `from` to its end */
function readFrom(file: string, from: number): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= from) return '';
    const buf = Buffer.alloc(size - from);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, from + off);
      if (n === 0) break;
      off += n;
    }
    return buf.toString('utf8', 0, off);
  } finally {
    closeSync(fd);
  }
}

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
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    /* no events yet */
  }
  for (const name of names) {
    const m = SEGMENT.exec(name);
    if (!m) continue;
    const hour = Date.parse(`${m[1]}:00:00Z`);
    if (hour < w.from || hour >= w.until) continue;
    let covered = 0;
    try {
      const r = JSON.parse(readFileSync(join(dir, `${m[1]}.${m[2]}.rollup.json`), 'utf8')) as RollupFile;
      total.merge(r.final);
      for (const [metric, mr] of Object.entries(r.final.metrics) as [MetricName, NonNullable<HourRollupJson['metrics'][MetricName]>][])
        addToBucket(hour, metric, mr);
      for (const e of r.pending) keepLatest(pending, e);
      covered = r.covered;
      cost.rollups++;
    } catch {
      /* no rollup yet (or a writer that died before its first flush): the raw segment is the truth */
    }
    const raw = readFrom(join(dir, name), covered);
    cost.rawBytes += raw.length;
    for (const line of raw.split('\n')) {
      if (!line) continue;
      let e: RumEvent;
      try {
        e = JSON.parse(line) as RumEvent;
      } catch {
        continue; // a line cut short by a crash
      }
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

function keepLatest(m: Map<string, WebVitalEvent>, e: WebVitalEvent): void {
  const known = m.get(e.id);
  if (!known || e.ts >= known.ts) m.set(e.id, e);
}

/** Deletes whole hours older than the retention; returns the files removed. */
export function pruneRum(dir: string, now: number, retentionDays: number): number {
  const oldest = hourOf(now - retentionDays * 86_400_000);
  let removed = 0;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2})\./.exec(name);
    if (m && Date.parse(`${m[1]}:00:00Z`) < oldest) {
      unlinkSync(join(dir, name));
      removed++;
    }
  }
  return removed;
}

export function diskUsed(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  try {
    for (const name of readdirSync(dir)) {
      bytes += statSync(join(dir, name)).size;
      files++;
    }
  } catch {
    /* nothing stored */
  }
  return { bytes, files };
}
