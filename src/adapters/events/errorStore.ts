// The errors store on local disk (DESIGN.md "Where data lives"), on the segments every event kind
// shares (segments.ts): grouped error events are appended to hourly NDJSON segments under
// <stateDir>/events/errors/, one per hour and writer process, with a rollup per hour beside each
// (per group: count, users, sessions, releases, a sample; release health; SDK drop counts) that
// says how many bytes it covers. A report merges rollups and reads raw lines only past them.
//
// Lines are grouped events, or `{"kind":"sessions",…}` / `{"kind":"dropped",…}` records for the
// release health and client reports, so a collector that dies before its next rollup loses
// nothing a reader cannot rebuild. An SDK that retries an envelope sends the same event_id: an id
// seen in the last two hours is stored once.
import { closeSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroupedEvent } from '../../core/errors/event.js';
import { ErrorsRollup, type ErrorsHourJson, type SessionCounts } from '../../core/errors/rollup.js';
import type { GroupStatus } from '../../core/errors/report.js';
import { HOUR_MS, hourOf } from '../../core/rum/rollup.js';
import { ProdxError } from '../../core/errors.js';
import { fsError, writeAtomic } from '../fs/atomic.js';
import { appendText, newWriterName, openSegment, parsedLines, readFrom, rollupFile, segmentsIn } from './segments.js';

export const errorsDirOf = (stateDir: string) => join(stateDir, 'events', 'errors');
/** the statuses people set (resolve, ignore): beside the state, not with the events */
export const errorStatusFile = (stateDir: string) => join(stateDir, 'errors.json');

export interface ErrorsRollupFile {
  v: 1;
  hour: number;
  writer: string;
  covered: number;
  rollup: ErrorsHourJson;
}

type Record_ =
  | ({ kind?: undefined } & GroupedEvent)
  | { kind: 'sessions'; ts: number; release: string; counts: SessionCounts }
  | { kind: 'dropped'; ts: number; reason: string; n: number };

interface OpenHour {
  fd: number;
  bytes: number;
  rollup: ErrorsRollup;
  dirty: boolean;
}

export interface ErrorWriterCounts {
  stored: number;
  duplicates: number;
}

/** The collector's side: one per process. */
export class ErrorWriter {
  readonly writer: string;
  private hours = new Map<number, OpenHour>();
  /** event ids stored, per hour, for two hours: an SDK's retry is not a second event */
  private seen = new Map<number, Set<string>>();
  readonly counts: ErrorWriterCounts = { stored: 0, duplicates: 0 };

  constructor(
    readonly dir: string,
    o: { writer?: string } = {},
  ) {
    this.writer = o.writer ?? newWriterName();
    mkdirSync(dir, { recursive: true });
  }

  private open(hour: number): OpenHour {
    let h = this.hours.get(hour);
    if (!h) {
      h = { ...openSegment(this.dir, hour, this.writer), rollup: new ErrorsRollup(hour), dirty: true };
      this.hours.set(hour, h);
    }
    return h;
  }

  private isDuplicate(id: string): boolean {
    for (const ids of this.seen.values()) if (ids.has(id)) return true;
    return false;
  }

  private write(hour: number, text: string): void {
    appendText(this.open(hour), text);
  }

  /** Appends grouped events; on return they are in the segment. Returns how many were new. */
  append(events: readonly GroupedEvent[]): number {
    const lines = new Map<number, string>();
    const kept: GroupedEvent[] = [];
    const ids = new Set<string>();
    for (const e of events) {
      if (ids.has(e.id) || this.isDuplicate(e.id)) {
        this.counts.duplicates++;
        continue;
      }
      ids.add(e.id);
      const hour = hourOf(e.ts);
      lines.set(hour, `${lines.get(hour) ?? ''}${JSON.stringify(e)}\n`);
      kept.push(e);
    }
    for (const [hour, text] of lines) this.write(hour, text);
    for (const e of kept) {
      const hour = hourOf(e.ts);
      const h = this.open(hour);
      h.rollup.add(e);
      h.dirty = true;
      let s = this.seen.get(hour);
      if (!s) this.seen.set(hour, (s = new Set()));
      s.add(e.id);
      this.counts.stored++;
    }
    return kept.length;
  }

  /** release health from a `session` or `sessions` item */
  appendSessions(ts: number, release: string, counts: SessionCounts): void {
    const hour = hourOf(ts);
    this.write(hour, `${JSON.stringify({ kind: 'sessions', ts, release, counts })}\n`);
    const h = this.open(hour);
    h.rollup.addSessions(release, counts);
    h.dirty = true;
  }

  /** what an SDK's client report says it dropped */
  appendDropped(ts: number, reason: string, n: number): void {
    const hour = hourOf(ts);
    this.write(hour, `${JSON.stringify({ kind: 'dropped', ts, reason, n })}\n`);
    const h = this.open(hour);
    h.rollup.addDropped(reason, n);
    h.dirty = true;
  }

  /** Writes the rollup of every hour that changed (atomically). */
  flush(now: number): void {
    for (const [hour, h] of this.hours) {
      if (!h.dirty) continue;
      const file: ErrorsRollupFile = { v: 1, hour, writer: this.writer, covered: h.bytes, rollup: h.rollup.toJson() };
      writeAtomic(rollupFile(this.dir, hour, this.writer), JSON.stringify(file), { fsync: false });
      h.dirty = false;
    }
    for (const [hour, h] of this.hours)
      if (hour < hourOf(now) - HOUR_MS && !h.dirty) {
        closeSync(h.fd);
        this.hours.delete(hour);
      }
    for (const hour of this.seen.keys()) if (hour < hourOf(now) - 2 * HOUR_MS) this.seen.delete(hour);
  }

  close(now: number): void {
    this.flush(now);
    for (const h of this.hours.values()) closeSync(h.fd);
    this.hours.clear();
  }
}

/** Every hour in [from, until) as one rollup per hour (writers merged), raw tails included. */
export function readErrors(dir: string, from: number, until: number): ErrorsHourJson[] {
  const byHour = new Map<number, ErrorsRollup>();
  for (const { hour, writer, file } of segmentsIn(dir, from, until)) {
    let r = byHour.get(hour);
    if (!r) byHour.set(hour, (r = new ErrorsRollup(hour)));
    let covered = 0;
    try {
      const f = JSON.parse(readFileSync(rollupFile(dir, hour, writer), 'utf8')) as ErrorsRollupFile;
      r.merge(f.rollup);
      covered = f.covered;
    } catch {
      /* no rollup yet: the raw segment is the truth */
    }
    for (const rec of parsedLines<Record_>(readFrom(file, covered))) {
      if (rec.kind === 'sessions') r.addSessions(rec.release, rec.counts);
      else if (rec.kind === 'dropped') r.addDropped(rec.reason, rec.n);
      else if (typeof rec.group === 'string') r.add(rec);
    }
  }
  return [...byHour.values()].sort((a, b) => a.hour - b.hour).map((r) => r.toJson());
}

/** the raw events of one group, newest first (for `errors show`): reads segments, so it is bounded */
export function eventsOf(dir: string, group: string, from: number, until: number, limit: number): GroupedEvent[] {
  const out: GroupedEvent[] = [];
  const segs = segmentsIn(dir, from, until).sort((a, b) => b.hour - a.hour);
  for (const { file } of segs) {
    const found: GroupedEvent[] = [];
    for (const rec of parsedLines<Record_>(readFrom(file, 0))) if (rec.kind === undefined && rec.group === group) found.push(rec);
    out.push(...found.reverse());
    if (out.length >= limit) break;
  }
  return out.sort((a, b) => b.ts - a.ts).slice(0, limit);
}

export function readStatuses(stateDir: string): Record<string, GroupStatus> {
  const file = errorStatusFile(stateDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw fsError(err, file, 'read');
  }
  try {
    const v = JSON.parse(text) as { v?: unknown; groups?: unknown };
    if (v.v === 1 && typeof v.groups === 'object' && v.groups !== null) return v.groups as Record<string, GroupStatus>;
  } catch {
    /* below */
  }
  throw new ProdxError(
    'errors-status-unreadable',
    `${file} is not prodx's error statuses (JSON with "v": 1): fix it or move it away (the statuses are lost), then run the command again.`,
  );
}

export function writeStatuses(stateDir: string, groups: Record<string, GroupStatus>): void {
  writeAtomic(errorStatusFile(stateDir), `${JSON.stringify({ v: 1, groups }, null, 2)}\n`);
}
