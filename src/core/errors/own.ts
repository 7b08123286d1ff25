// prodx's own error JSON (POST /v1/errors), for apps that send errors without a Sentry SDK:
//   { message, type, stack | frames, url, release, environment, user, session, tags, level, ts, fingerprint }
// `stack` is an Error's stack text, parsed by the stack parser the caller passes in; `frames` is a
// list of Sentry-like frame objects, innermost last. A type or a stack (or frames) makes one
// exception value (the message is its value); a bare message stays a message. Same caps and the same rule as
// sentry.ts: untrusted input, wrong types dropped, never a throw; only an event with nothing to
// group by (no message, type or stack) is refused.
import type { ErrorEvent, ExceptionValue, Frame } from './event.js';
import { MAX_FRAMES, MAX_LINE, MAX_MESSAGE, MAX_TAG } from './event.js';
import { cut, fingerprintOf, framesOf, isObject, levelOf, saneTs, tagsOf, type Converted } from './sentry.js';

/** the longest stack text handed to the parser (its head: V8 writes the innermost frame first) */
export const MAX_STACK_CHARS = 2 * MAX_FRAMES * MAX_LINE;

/** V8's first stack line, `TypeError: x is undefined` (or a bare `RangeError`): the type and the message */
const STACK_HEAD = /^([A-Za-z_$][\w$]*(?:Error|Exception))(?:: (.*))?$/;

function parsedFrames(stack: string, parseStack: (s: unknown) => Frame[]): Frame[] {
  let parsed: unknown;
  try {
    parsed = parseStack(stack.length > MAX_STACK_CHARS ? stack.slice(0, MAX_STACK_CHARS) : stack);
  } catch {
    return [];
  }
  // the parser's frames go through the same checks as a client's
  return framesOf(parsed);
}

function userOf(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return cut(v, MAX_TAG) ?? '';
}

function tsOf(v: unknown, now: number): number {
  if (typeof v === 'number') return saneTs(v, now);
  if (typeof v === 'string' && v.length <= 64) return saneTs(Date.parse(v), now);
  return now;
}

/**
 * One event of POST /v1/errors as an ErrorEvent (source 'prodx', project 'default'). `ts` is
 * epoch ms (an ISO string is taken too); `newId` makes the id; `parseStack` reads a stack text.
 */
export function fromProdxJson(raw: unknown, ctx: { now: number; newId: () => string; parseStack: (s: unknown) => Frame[] }): Converted {
  if (!isObject(raw)) return { ok: false, reason: 'not-an-object', message: 'an error event must be a JSON object' };
  const stack = cut(raw['stack'], Number.MAX_SAFE_INTEGER);
  let type = cut(raw['type'], 256);
  let message = cut(raw['message'], MAX_MESSAGE);
  if (stack !== undefined && (type === undefined || message === undefined)) {
    const head = STACK_HEAD.exec(stack.slice(0, MAX_MESSAGE).split('\n', 1)[0] ?? '');
    if (head) {
      type ??= head[1];
      message ??= cut(head[2], MAX_MESSAGE);
    }
  }
  const frames = stack !== undefined ? parsedFrames(stack, ctx.parseStack) : framesOf(raw['frames']);
  if (type === undefined && message === undefined && stack === undefined && frames.length === 0)
    return { ok: false, reason: 'empty-event', message: 'an error event needs a "message", a "type" or a "stack" (or "frames")' };

  const exceptions: ExceptionValue[] = [];
  if (type !== undefined || stack !== undefined || frames.length > 0) {
    const e: ExceptionValue = { frames };
    if (type !== undefined) e.type = type;
    if (message !== undefined) e.value = message;
    exceptions.push(e);
  }
  const event: ErrorEvent = {
    id: ctx.newId(),
    ts: tsOf(raw['ts'], ctx.now),
    source: 'prodx',
    project: 'default',
    platform: cut(raw['platform'], 256) ?? 'javascript',
    level: levelOf(raw['level']),
    exceptions,
    release: cut(raw['release'], MAX_TAG) ?? '',
    environment: cut(raw['environment'], MAX_TAG) ?? '',
    user: userOf(raw['user']),
    session: cut(raw['session'], MAX_TAG) ?? '',
    tags: tagsOf(raw['tags']),
  };
  const fingerprint = fingerprintOf(raw['fingerprint']);
  const url = cut(raw['url'], MAX_LINE);
  if (exceptions.length === 0 && message !== undefined) event.message = message;
  if (fingerprint !== undefined) event.fingerprint = fingerprint;
  if (url !== undefined) event.url = url;
  return { ok: true, event };
}
