// A raw `error.stack` string as a browser or Node wrote it, turned into frames (innermost last,
// Sentry's order), for the collectors that get a stack and not Sentry's frames (POST /v1/errors).
// stacktrace-parser knows the formats (V8/Chrome/Node `at fn (url:1:2)`, Firefox and Safari
// `fn@url:1:2`, `[native code]`); its regexes backtrack badly on long or crafted lines (97 s on
// one 200 KB line of `(`), so it only ever sees short lines and few of them:
// - each line is trimmed (its regexes skip leading and trailing blanks anyway) and cut to
//   MAX_LINE characters;
// - lines are read from the top (where every format puts the innermost frame) and the reading
//   stops at MAX_FRAMES frames, or after MAX_SCAN_LINES lines, whichever comes first;
// - a line with several `)@` is no frame of any browser, and is where its Gecko and JSC regexes
//   go cubic: it is skipped;
// - the header lines of V8 and Node (`TypeError: …`, `Error [ERR_X]: …`) are skipped, as
//   Sentry's parser does: `Error: connect ECONNREFUSED 127.0.0.1:5432` would read as a frame.
import { parse, type StackFrame } from 'stacktrace-parser';
import { MAX_FRAMES, MAX_LINE, type Frame } from './event.js';

/** lines read at most: enough for a message of a few lines and MAX_FRAMES frames */
export const MAX_SCAN_LINES = 4 * MAX_FRAMES;

const UNKNOWN = '<unknown>';
const HEADER = /^(?:Uncaught )?[\w$.]*(?:Error|Exception)(?: \[[^\]]{0,100}\])?: /;

/** the frames of a stack string, innermost last; [] for anything else. Never throws. */
export function parseStack(stack: unknown): Frame[] {
  if (typeof stack !== 'string') return [];
  const frames: Frame[] = [];
  let start = 0;
  for (let read = 0; read < MAX_SCAN_LINES && start <= stack.length && frames.length < MAX_FRAMES; read++) {
    const end = nextBreak(stack, start);
    const line = stack.slice(start, end).trim().slice(0, MAX_LINE);
    start = end + 1;
    const frame = parseLine(line);
    if (frame) frames.push(frame);
  }
  return frames.reverse();
}

/** the index of the line break that ends the line starting at `from` (or the string's length) */
function nextBreak(s: string, from: number): number {
  const i = s.indexOf('\n', from);
  return i === -1 ? s.length : i;
}

/** one frame out of one (short, trimmed) line, or undefined when it is not a frame */
function parseLine(line: string): Frame | undefined {
  if (line === '' || HEADER.test(line) || countOf(line, ')@') > 1) return undefined;
  let parsed: StackFrame[];
  try {
    parsed = parse(line);
  } catch {
    return undefined;
  }
  const first = parsed[0];
  return first ? toFrame(first) : undefined;
}

function countOf(s: string, needle: string): number {
  let n = 0;
  for (let i = s.indexOf(needle); i !== -1; i = s.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** stacktrace-parser's frame in Sentry's field names; absent values are left out */
function toFrame(f: StackFrame): Frame {
  const frame: Frame = {};
  if (f.methodName && f.methodName !== UNKNOWN) frame.function = f.methodName;
  if (f.file) frame.filename = f.file;
  if (typeof f.lineNumber === 'number' && Number.isFinite(f.lineNumber)) frame.lineno = f.lineNumber;
  if (typeof f.column === 'number' && Number.isFinite(f.column)) frame.colno = f.column;
  return frame;
}
