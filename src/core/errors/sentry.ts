// Sentry's event payload (develop.sentry.dev/sdk/data-model/event-payloads) as @sentry/node and
// @sentry/browser 8–11 send it, turned into prodx's `ErrorEvent`; and the release health of the
// `session` and `sessions` items. Input is untrusted JSON: a field of the wrong type is dropped,
// strings are cut to the caps of event.ts, and no input makes these functions throw. Sentry lists
// chained exceptions oldest (the innermost cause) first and the outermost last; prodx keeps the
// outermost first, so the list is reversed. Frames keep Sentry's order, innermost last.
// The field helpers here (cut, levelOf, tagsOf, framesOf …) are shared with own.ts and csp.ts.
import { eventIdOf } from './envelope.js';
import type { ErrorEvent, ExceptionValue, Frame, Level } from './event.js';
import { LEVELS, MAX_FRAMES, MAX_LINE, MAX_MESSAGE, MAX_TAG } from './event.js';

export type Converted = { ok: true; event: ErrorEvent } | { ok: false; reason: string; message: string };

/** at most this many tags per event (more are dropped) */
export const MAX_TAGS = 50;
/** at most this many exceptions of a chain (the outermost are kept) */
export const MAX_EXCEPTIONS = 10;
/** at most this many parts of a fingerprint */
export const MAX_FINGERPRINT = 20;
/** the longest name of a thing: an exception type, a platform, a session id */
const MAX_NAME = 256;
const MIN_TS = Date.UTC(2000, 0, 1);
/** how far ahead of the collector's clock an event may be stamped */
const FUTURE_SLACK_MS = 86_400_000;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const field = (o: unknown, key: string): unknown => (isObject(o) ? o[key] : undefined);

/** a string cut to `max` UTF-16 units (never half a surrogate pair); not a string, or '', → undefined */
export function cut(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  if (v.length <= max) return v;
  const last = v.charCodeAt(max - 1);
  return v.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** a string, or a finite number or a boolean written as one; anything else → undefined */
function scalar(v: unknown, max: number): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'boolean') return String(v);
  return cut(v, max);
}

const LEVEL_ALIASES: Record<string, Level> = { warn: 'warning', critical: 'fatal', log: 'info' };
/** one of LEVELS: Sentry's names, `warn` → warning, `critical` → fatal, `log` → info, else error */
export function levelOf(v: unknown): Level {
  if (typeof v !== 'string' || v.length > 16) return 'error';
  const l = v.toLowerCase();
  if ((LEVELS as readonly string[]).includes(l)) return l as Level;
  return LEVEL_ALIASES[l] ?? 'error';
}

/** tags from an object or a list of [key, value] pairs: scalar values, at most MAX_TAGS, cut to MAX_TAG */
export function tagsOf(v: unknown): Record<string, string> {
  const pairs: unknown[] = Array.isArray(v) ? v : isObject(v) ? Object.entries(v) : [];
  const tags: Record<string, string> = {};
  let n = 0;
  for (const pair of pairs) {
    if (n >= MAX_TAGS) break;
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    const key = cut(pair[0], MAX_TAG);
    const value = scalar(pair[1], MAX_TAG);
    if (key === undefined || value === undefined || key === '__proto__' || Object.hasOwn(tags, key)) continue;
    tags[key] = value;
    n++;
  }
  return tags;
}

const lineNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

/** one frame from a Sentry-like frame object (`filename` falls back to `abs_path`); undefined when nothing is left */
export function frameOf(v: unknown): Frame | undefined {
  if (!isObject(v)) return undefined;
  const frame: Frame = {};
  const fn = cut(v['function'], MAX_LINE);
  const filename = cut(v['filename'], MAX_LINE) ?? cut(v['abs_path'], MAX_LINE);
  const module = cut(v['module'], MAX_LINE);
  const lineno = lineNumber(v['lineno']);
  const colno = lineNumber(v['colno']);
  const contextLine = cut(v['context_line'], MAX_LINE);
  if (fn !== undefined) frame.function = fn;
  if (filename !== undefined) frame.filename = filename;
  if (module !== undefined) frame.module = module;
  if (lineno !== undefined) frame.lineno = lineno;
  if (colno !== undefined) frame.colno = colno;
  if (contextLine !== undefined) frame.context_line = contextLine;
  if (typeof v['in_app'] === 'boolean') frame.in_app = v['in_app'];
  return Object.keys(frame).length > 0 ? frame : undefined;
}

/** frames from a list, innermost last: the innermost MAX_FRAMES that are frames */
export function framesOf(v: unknown): Frame[] {
  if (!Array.isArray(v)) return [];
  const frames: Frame[] = [];
  for (let i = v.length - 1; i >= 0 && frames.length < MAX_FRAMES; i--) {
    const f = frameOf(v[i]);
    if (f) frames.push(f);
  }
  return frames.reverse();
}

/** a fingerprint: a list of strings (numbers written as strings), or undefined */
export function fingerprintOf(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const parts: string[] = [];
  for (const p of v.slice(0, MAX_FINGERPRINT)) {
    const s = scalar(p, MAX_TAG);
    if (s !== undefined) parts.push(s);
  }
  return parts.length > 0 ? parts : undefined;
}

/** `ms` when it is a sane time (2000 to a day ahead of `now`), else `now` */
export function saneTs(ms: number | undefined, now: number): number {
  return ms !== undefined && Number.isFinite(ms) && ms >= MIN_TS && ms <= now + FUTURE_SLACK_MS ? Math.round(ms) : now;
}

/** a Sentry timestamp: seconds since the epoch (a number or a numeric string), or RFC 3339 (UTC when it has no zone) */
function sentryTs(v: unknown, now: number): number {
  if (typeof v === 'number') return saneTs(v * 1000, now);
  if (typeof v !== 'string' || v.length > 64) return now;
  if (/^\d+(\.\d+)?$/.test(v)) return saneTs(Number(v) * 1000, now);
  const iso = /^\d{4}-\d\d-\d\dT[\d:.]+$/.test(v) ? `${v}Z` : v;
  return saneTs(Date.parse(iso), now);
}

/** Sentry's `message` (a string, or {formatted, message}) and `logentry`: the formatted text first */
function messageOf(raw: Record<string, unknown>): string | undefined {
  const { logentry, message } = raw;
  return (
    cut(field(logentry, 'formatted'), MAX_MESSAGE) ??
    cut(field(logentry, 'message'), MAX_MESSAGE) ??
    cut(message, MAX_MESSAGE) ??
    cut(field(message, 'formatted'), MAX_MESSAGE) ??
    cut(field(message, 'message'), MAX_MESSAGE)
  );
}

function exceptionOf(v: unknown): ExceptionValue | undefined {
  if (!isObject(v)) return undefined;
  const e: ExceptionValue = { frames: framesOf(field(v['stacktrace'], 'frames')) };
  const type = cut(v['type'], MAX_NAME);
  const value = cut(v['value'], MAX_MESSAGE);
  if (type !== undefined) e.type = type;
  if (value !== undefined) e.value = value;
  if (field(v['mechanism'], 'synthetic') === true) e.synthetic = true;
  return e;
}

/** `exception.values` (or the older bare list), outermost first */
function exceptionsOf(v: unknown): ExceptionValue[] {
  const values = Array.isArray(v) ? v : field(v, 'values');
  if (!Array.isArray(values)) return [];
  const out: ExceptionValue[] = [];
  for (let i = values.length - 1; i >= 0 && out.length < MAX_EXCEPTIONS; i--) {
    const e = exceptionOf(values[i]);
    if (e) out.push(e);
  }
  return out;
}

/** Sentry's user: id, else email, else username, else the IP (not the `{{auto}}` placeholder) */
function userOf(v: unknown): string {
  for (const key of ['id', 'email', 'username', 'ip_address']) {
    const s = scalar(field(v, key), MAX_TAG);
    if (s !== undefined && s !== '{{auto}}') return s;
  }
  return '';
}

/**
 * One Sentry event payload (an `event` item, or the body of the older store endpoint) as an
 * ErrorEvent. `project` is the one from the URL; `newId` makes the id when `event_id` is not a
 * UUID; `now` stamps events without a sane `timestamp`. Only a non-object is refused.
 */
export function fromSentryEvent(raw: unknown, ctx: { project: string; now: number; newId: () => string }): Converted {
  if (!isObject(raw)) return { ok: false, reason: 'not-an-object', message: 'a Sentry event must be a JSON object' };
  const event: ErrorEvent = {
    id: eventIdOf(raw) ?? ctx.newId(),
    ts: sentryTs(raw['timestamp'], ctx.now),
    source: 'sentry',
    project: ctx.project,
    platform: cut(raw['platform'], MAX_NAME) ?? 'other',
    level: levelOf(raw['level']),
    exceptions: exceptionsOf(raw['exception']),
    release: cut(raw['release'], MAX_TAG) ?? '',
    environment: cut(raw['environment'], MAX_TAG) ?? '',
    user: userOf(raw['user']),
    session: '',
    tags: tagsOf(raw['tags']),
  };
  const message = messageOf(raw);
  const fingerprint = fingerprintOf(raw['fingerprint']);
  const url = cut(field(raw['request'], 'url'), MAX_LINE);
  if (message !== undefined) event.message = message;
  if (fingerprint !== undefined) event.fingerprint = fingerprint;
  if (url !== undefined) event.url = url;
  return { ok: true, event };
}

export const SESSION_STATUSES = ['ok', 'exited', 'crashed', 'abnormal', 'errored'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export interface SessionUpdate {
  release: string;
  environment: string;
  status: SessionStatus;
  errors: number;
  sid: string;
}

export interface SessionAggregate {
  release: string;
  environment: string;
  exited: number;
  errored: number;
  crashed: number;
  abnormal: number;
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : 0);

/** A `session` item: one session's update. Null without a release (Sentry drops those too) or with an unknown status. */
export function fromSession(raw: unknown): SessionUpdate | null {
  if (!isObject(raw)) return null;
  const release = cut(field(raw['attrs'], 'release'), MAX_TAG);
  const status = raw['status'] ?? 'ok';
  if (release === undefined || !(SESSION_STATUSES as readonly unknown[]).includes(status)) return null;
  return {
    release,
    environment: cut(field(raw['attrs'], 'environment'), MAX_TAG) ?? '',
    status: status as SessionStatus,
    errors: count(raw['errors']),
    sid: cut(raw['sid'], MAX_NAME) ?? '',
  };
}

/** A `sessions` item: pre-aggregated counts (server-mode SDKs), summed over its buckets. Null without a release or buckets. */
export function fromSessions(raw: unknown): SessionAggregate | null {
  if (!isObject(raw)) return null;
  const release = cut(field(raw['attrs'], 'release'), MAX_TAG);
  const aggrs = raw['aggrs'];
  if (release === undefined || !Array.isArray(aggrs)) return null;
  const sum: SessionAggregate = {
    release,
    environment: cut(field(raw['attrs'], 'environment'), MAX_TAG) ?? '',
    exited: 0,
    errored: 0,
    crashed: 0,
    abnormal: 0,
  };
  for (const a of aggrs.slice(0, 1_000)) {
    sum.exited += count(field(a, 'exited'));
    sum.errored += count(field(a, 'errored'));
    sum.crashed += count(field(a, 'crashed'));
    sum.abnormal += count(field(a, 'abnormal'));
  }
  return sum;
}
