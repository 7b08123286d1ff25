// Exposure and conversion events as JSON: checked one by one (from an app, a fixture or an
// NDJSON segment), so a bad line is named and skipped, never fatal to the rest. Pure.
import type { ConversionEvent, ExposureEvent, FlagEvent } from './types.js';

/** The experiment a fixture describes in its first line: which flag, metric, control and split. */
export interface ExperimentHeader {
  type: 'experiment';
  flag: string;
  metric?: string;
  control?: string;
  split?: Record<string, number>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** An event, or why it is not one. */
export function toEvent(raw: unknown): FlagEvent | string {
  if (!isObject(raw)) return 'expected a JSON object';
  const ts = raw['ts'];
  if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts))) return '"ts" must be epoch milliseconds';
  if (!nonEmpty(raw['targetingKey'])) return '"targetingKey" must be a non-empty string';
  if (raw['type'] === 'exposure') {
    if (!nonEmpty(raw['flag']) || !nonEmpty(raw['variant'])) return 'an exposure needs "flag" and "variant"';
    if (ts === undefined) return 'an exposure needs "ts"';
    const e: ExposureEvent = { type: 'exposure', flag: raw['flag'], variant: raw['variant'], targetingKey: raw['targetingKey'], ts };
    return e;
  }
  if (raw['type'] === 'conversion') {
    if (!nonEmpty(raw['name'])) return 'a conversion needs "name"';
    const value = raw['value'];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) return '"value" must be a number';
    const e: ConversionEvent = { type: 'conversion', name: raw['name'], targetingKey: raw['targetingKey'] };
    if (value !== undefined) e.value = value;
    if (ts !== undefined) e.ts = ts;
    return e;
  }
  return '"type" must be "exposure" or "conversion"';
}

export interface ParsedEvents {
  events: FlagEvent[];
  header: ExperimentHeader | null;
  /** "line 12: …" for every line that was skipped */
  skipped: string[];
}

function toHeader(raw: Record<string, unknown>): ExperimentHeader | string {
  if (!nonEmpty(raw['flag'])) return 'an experiment line needs "flag"';
  const h: ExperimentHeader = { type: 'experiment', flag: raw['flag'] };
  if (nonEmpty(raw['metric'])) h.metric = raw['metric'];
  if (nonEmpty(raw['control'])) h.control = raw['control'];
  const split = raw['split'];
  if (split !== undefined) {
    if (!isObject(split) || !Object.values(split).every((w) => typeof w === 'number' && w >= 0))
      return '"split" maps variants to weights, e.g. {"control": 50, "treatment": 50}';
    h.split = split as Record<string, number>;
  }
  return h;
}

/** NDJSON (one event per line) or a JSON array of events. */
export function parseEvents(text: string): ParsedEvents {
  const out: ParsedEvents = { events: [], header: null, skipped: [] };
  const trimmed = text.trimStart();
  const items: [number, unknown][] = [];
  if (trimmed.startsWith('[')) {
    try {
      (JSON.parse(trimmed) as unknown[]).forEach((v, i) => items.push([i + 1, v]));
    } catch {
      out.skipped.push('line 1: a JSON array that does not parse');
    }
  } else {
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      try {
        items.push([i + 1, JSON.parse(line)]);
      } catch {
        out.skipped.push(`line ${i + 1}: not JSON`);
      }
    });
  }
  for (const [line, raw] of items) {
    if (isObject(raw) && raw['type'] === 'experiment') {
      const h = toHeader(raw);
      if (typeof h === 'string') out.skipped.push(`line ${line}: ${h}`);
      else out.header = h;
      continue;
    }
    const e = toEvent(raw);
    if (typeof e === 'string') out.skipped.push(`line ${line}: ${e}`);
    else out.events.push(e);
  }
  return out;
}
