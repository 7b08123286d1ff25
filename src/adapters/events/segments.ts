// What every event kind's store shares (DESIGN.md "Where data lives"): hourly NDJSON segments,
// one per hour and per writer process (`2026-12-01T10.<writer>.ndjson`) so several collectors
// never write one file, a rollup beside each (`….rollup.json`) saying how many bytes of the
// segment it covers, reading past that point, retention by whole hours, and disk use. The RUM
// store (rumStore.ts) and the errors store (errorStore.ts) are built on it.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { hourOf } from '../../core/rum/rollup.js';

export const SEGMENT = /^(\d{4}-\d{2}-\d{2}T\d{2})\.([\w-]+)\.ndjson$/;

export const hourName = (hour: number) => new Date(hour).toISOString().slice(0, 13);
export const segmentFile = (dir: string, hour: number, writer: string) => join(dir, `${hourName(hour)}.${writer}.ndjson`);
export const rollupFile = (dir: string, hour: number, writer: string) => join(dir, `${hourName(hour)}.${writer}.rollup.json`);

/** unique per process: the pid and a random suffix */
export const newWriterName = () => `${process.pid}-${randomBytes(3).toString('hex')}`;

/** a writer's open segment: its descriptor and how many bytes it holds */
export interface OpenSegment {
  fd: number;
  bytes: number;
}

/** opens (appending) the segment of an hour and a writer, with its current size */
export function openSegment(dir: string, hour: number, writer: string): OpenSegment {
  const fd = openSync(segmentFile(dir, hour, writer), 'a');
  return { fd, bytes: fstatSync(fd).size };
}

/**
 * Appends text; on return it is written (not only buffered). A string goes to write(2) without a
 * Buffer of our own; a short write (rare on a file) finishes from a Buffer. After a failure
 * `bytes` is the file's real size, so a rollup's `covered` only counts what the file holds.
 */
export function appendText(h: OpenSegment, text: string): void {
  const size = Buffer.byteLength(text);
  try {
    let off = writeSync(h.fd, text);
    if (off < size) {
      const buf = Buffer.from(text);
      while (off < size) off += writeSync(h.fd, buf, off);
    }
  } catch (err) {
    try {
      h.bytes = fstatSync(h.fd).size;
    } catch {
      /* the next flush writes what is known */
    }
    throw err;
  }
  h.bytes += size;
}

/** the segments of a folder whose hour is in [from, until): hour, writer, file */
export function segmentsIn(dir: string, from: number, until: number): { hour: number; writer: string; file: string }[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no events yet
  }
  const out: { hour: number; writer: string; file: string }[] = [];
  for (const name of names) {
    const m = SEGMENT.exec(name);
    if (!m) continue;
    const hour = Date.parse(`${m[1]}:00:00Z`);
    if (hour >= from && hour < until) out.push({ hour, writer: m[2]!, file: join(dir, name) });
  }
  return out;
}

/** the bytes of a file in [from, to) (fewer when the file is shorter) */
export function readBytes(file: string, from: number, to: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const end = Math.min(to, fstatSync(fd).size);
    if (end <= from) return Buffer.alloc(0);
    const buf = Buffer.alloc(end - from);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, from + off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** the bytes of a file from `from` to its end */
export const readFrom = (file: string, from: number): string => readBytes(file, from, Infinity).toString('utf8');

/** the lines of a raw tail that parse; a line cut short by a crash is skipped */
export function* parsedLines<T>(raw: string): Generator<T> {
  for (const line of raw.split('\n')) {
    if (!line) continue;
    try {
      yield JSON.parse(line) as T;
    } catch {
      continue;
    }
  }
}

/** Deletes whole hours older than the retention; returns the files removed. */
export function pruneHours(dir: string, now: number, retentionDays: number): number {
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
