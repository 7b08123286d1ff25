// Flag events on disk: `.prodx/flags/events-<UTC hour>.ndjson` segments (exposures recorded by
// the OFREP endpoint, conversions the app posts), and `stats.json`, the endpoint's evaluation
// counters. One process (the endpoint) appends; any number read.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvents, type ParsedEvents } from '../../core/flags/events.js';
import type { FlagEvent } from '../../core/flags/types.js';

const SEGMENT = /^events-\d{4}-\d{2}-\d{2}T\d{2}\.ndjson$/;
export const STATS_FILE = 'stats.json';

export const segmentName = (ts: number): string => `events-${new Date(ts).toISOString().slice(0, 13)}.ndjson`;

/** Buffers events and appends them to the hour's segment; `flush` on a timer and on close. */
export class EventLog {
  private buffer: FlagEvent[] = [];
  constructor(private readonly dir: string) {}

  add(event: FlagEvent): void {
    this.buffer.push(event);
  }

  get pending(): number {
    return this.buffer.length;
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    mkdirSync(this.dir, { recursive: true });
    const bySegment = new Map<string, string[]>();
    for (const e of this.buffer) {
      const name = segmentName(e.ts ?? Date.now());
      bySegment.set(name, [...(bySegment.get(name) ?? []), JSON.stringify(e)]);
    }
    this.buffer = [];
    for (const [name, lines] of bySegment) appendFileSync(join(this.dir, name), `${lines.join('\n')}\n`);
  }
}

/** A cheap fingerprint of the segments, so pollers re-read only when something was appended. */
export function eventsFingerprint(dir: string): string {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => SEGMENT.test(d.name))
      .map((d) => d.name)
      .sort()
      .map((name) => `${name}:${statSync(join(dir, name)).size}`)
      .join(',');
  } catch {
    return 'none';
  }
}

/** Every event in the recorded segments, oldest segment first. */
export function readRecordedEvents(dir: string): ParsedEvents {
  const out: ParsedEvents = { events: [], header: null, skipped: [] };
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((n) => SEGMENT.test(n))
      .sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const parsed = parseEvents(readFileSync(join(dir, name), 'utf8'));
    out.events.push(...parsed.events);
    out.skipped.push(...parsed.skipped.map((s) => `${name} ${s}`));
  }
  return out;
}

/** Evaluations the endpoint served: flag → variant (or ERROR/DISABLED) → count. */
export interface EvaluationStats {
  since: number;
  updatedAt: number;
  evaluations: Record<string, Record<string, number>>;
}

export function readStats(dir: string): EvaluationStats | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, STATS_FILE), 'utf8')) as EvaluationStats;
    return typeof parsed.evaluations === 'object' && parsed.evaluations !== null ? parsed : null;
  } catch {
    return null;
  }
}

export function writeStats(dir: string, stats: EvaluationStats): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${STATS_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(stats));
  renameSync(tmp, join(dir, STATS_FILE));
}

export const totalEvaluations = (byVariant: Record<string, number> | undefined): number =>
  Object.values(byVariant ?? {}).reduce((a, b) => a + b, 0);
