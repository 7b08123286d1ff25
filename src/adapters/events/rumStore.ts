// The RUM event store on local disk (DESIGN.md "Where data lives"). Accepted events are appended
// to NDJSON segments under <stateDir>/events/rum/, one per hour and per writer process
// (`2026-12-01T10.<writer>.ndjson`), so collectors never share a file. Beside each segment the
// writer keeps its rollup (`….rollup.json`: the finished part of the hour as mergeable sketches
// and counts, the web-vitals values not yet final, and how many bytes of the segment all that
// covers). A reader merges rollups and reads raw events only past `covered`: the report costs
// the same at a thousand events or a million.
//
// De-duplication: web-vitals reports CLS and INP again as they grow, with the same `id`; the
// later value replaces the earlier one while it is pending. A value is final once its page has
// been quiet for `finalizeAfterMs` (or when the writer closes) and only then enters a sketch; a
// report merges the pending ones in. A re-report of a value that is already final is dropped
// (counted as `lateDuplicates`): a sketch cannot take a sample back.
import { closeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { appendText, newWriterName, openSegment, rollupFile } from './segments.js';
import { eventLine, type RumEvent, type WebVitalEvent } from '../../core/rum/events.js';
import { hourOf, HOUR_MS, Rollup, type HourRollupJson } from '../../core/rum/rollup.js';
import { writeAtomic } from '../fs/atomic.js';

export const rumDirOf = (stateDir: string) => join(stateDir, 'events', 'rum');

export interface RollupFile {
  v: 1 | 2;
  hour: number;
  writer: string;
  /** bytes of the segment that `final` and the pending values account for */
  covered: number;
  final: HourRollupJson;
  /** v1: the values not yet final, in full */
  pending?: WebVitalEvent[];
  /**
   * v2: where in the segment the values not yet final are: offset and length of each line,
   * flat. Listing them again in full made a flush write megabytes every few seconds under load.
   */
  pendingAt?: number[];
}

interface OpenHour {
  fd: number;
  bytes: number;
  final: Rollup;
  dirty: boolean;
}

interface Batch {
  lines: Map<number, string>;
  kept: RumEvent[];
  /** the line of each kept event */
  texts: string[];
}

export interface RumWriterOptions {
  finalizeAfterMs?: number;
  /** defaults to the pid and a random suffix: unique per process */
  writer?: string;
}

export interface WriterCounts {
  stored: number;
  lateDuplicates: number;
  replaced: number;
}

/** The collector's side: append events, keep the rollups, flush them. One per process. */
export class RumWriter {
  readonly writer: string;
  private hours = new Map<number, OpenHour>();
  /** with each value where its line is in the segment: the rollup file points at it */
  private pending = new Map<string, { event: WebVitalEvent; at: number; length: number; hour: number; lastSeen: number }>();
  /** ids already final, per hour, so a late re-report is not a second sample */
  private finalIds = new Map<number, Set<string>>();
  private readonly finalizeAfterMs: number;
  readonly counts: WriterCounts = { stored: 0, lateDuplicates: 0, replaced: 0 };

  constructor(
    readonly dir: string,
    o: RumWriterOptions = {},
  ) {
    this.writer = o.writer ?? newWriterName();
    this.finalizeAfterMs = o.finalizeAfterMs ?? 10 * 60_000;
    mkdirSync(dir, { recursive: true });
  }

  private open(hour: number): OpenHour {
    let h = this.hours.get(hour);
    if (!h) {
      h = { ...openSegment(this.dir, hour, this.writer), final: new Rollup(hour), dirty: true };
      this.hours.set(hour, h);
    }
    return h;
  }

  private isFinal(id: string): boolean {
    for (const ids of this.finalIds.values()) if (ids.has(id)) return true;
    return false;
  }

  /**
   * The lines of checked events, by hour, and the events they hold. A re-report of a value that
   * is already final is left out here (counted as a late duplicate): it is never written.
   */
  private prepare(events: readonly RumEvent[]): Batch {
    const lines = new Map<number, string>();
    const kept: RumEvent[] = [];
    const texts: string[] = [];
    for (const e of events) {
      if (e.type === 'web-vital' && !this.pending.has(e.id) && this.isFinal(e.id)) {
        this.counts.lateDuplicates++;
        continue;
      }
      const hour = hourOf(e.ts);
      const line = eventLine(e);
      lines.set(hour, `${lines.get(hour) ?? ''}${line}\n`);
      kept.push(e);
      texts.push(line);
    }
    return { lines, kept, texts };
  }

  /** Events that are on disk enter the rollups (and the pending values): never before. */
  private record(kept: readonly RumEvent[], texts: readonly string[], starts: Map<number, number>, now: number): void {
    for (let i = 0; i < kept.length; i++) {
      const e = kept[i]!;
      // the lines of an hour were written in this order from `starts`
      const hour = hourOf(e.ts);
      const at = starts.get(hour)!;
      const length = Buffer.byteLength(texts[i]!);
      starts.set(hour, at + length + 1);
      if (e.type === 'web-vital') {
        const known = this.pending.get(e.id);
        if (known) {
          known.event = e;
          known.at = at;
          known.length = length;
          known.lastSeen = now;
          this.counts.replaced++;
          this.open(known.hour).dirty = true;
        } else if (this.isFinal(e.id)) {
          // finalized while its line was being written: the line is there, the sample is not
          this.counts.lateDuplicates++;
          continue;
        } else {
          this.pending.set(e.id, { event: e, at, length, hour, lastSeen: now });
          this.open(hour).dirty = true;
        }
      } else {
        const h = this.open(hour);
        h.final.add(e);
        h.dirty = true;
      }
      this.counts.stored++;
    }
  }

  /** Appends checked events; on return they are in the segment (written, not only buffered). */
  append(events: readonly RumEvent[], now: number): void {
    const { lines, kept, texts } = this.prepare(events);
    const starts = new Map<number, number>();
    for (const [hour, text] of lines) {
      const h = this.open(hour);
      starts.set(hour, h.bytes);
      appendText(h, text);
    }
    this.record(kept, texts, starts, now);
  }

  /** Values whose page has been quiet long enough become final (all of them with `all`). */
  private finalize(now: number, all: boolean): void {
    for (const [id, p] of this.pending) {
      if (!all && now - p.lastSeen < this.finalizeAfterMs) continue;
      const h = this.open(p.hour);
      h.final.add(p.event);
      h.dirty = true;
      let ids = this.finalIds.get(p.hour);
      if (!ids) this.finalIds.set(p.hour, (ids = new Set()));
      ids.add(id);
      this.pending.delete(id);
    }
    // a page is not re-reporting after two hours of quiet: forget older ids
    for (const hour of this.finalIds.keys()) if (hour < hourOf(now) - 2 * HOUR_MS) this.finalIds.delete(hour);
  }

  /** Writes the rollup of every hour that changed (atomically); `final` finalizes everything. */
  flush(now: number, final = false): void {
    this.finalize(now, final);
    const pendingBy = new Map<number, number[]>();
    for (const p of this.pending.values()) {
      const l = pendingBy.get(p.hour);
      if (l) l.push(p.at, p.length);
      else pendingBy.set(p.hour, [p.at, p.length]);
    }
    for (const [hour, h] of this.hours) {
      if (!h.dirty) continue;
      const file: RollupFile = {
        v: 2,
        hour,
        writer: this.writer,
        covered: h.bytes,
        final: h.final.toJson(),
        pendingAt: pendingBy.get(hour) ?? [],
      };
      writeAtomic(rollupFile(this.dir, hour, this.writer), JSON.stringify(file), { fsync: false });
      h.dirty = false;
    }
    // an hour two hours past with nothing pending is done: close its file
    for (const [hour, h] of this.hours) {
      if (hour < hourOf(now) - HOUR_MS && !pendingBy.has(hour) && !h.dirty) {
        closeSync(h.fd);
        this.hours.delete(hour);
      }
    }
  }

  close(now: number): void {
    this.flush(now, true);
    for (const h of this.hours.values()) closeSync(h.fd);
    this.hours.clear();
  }
}
