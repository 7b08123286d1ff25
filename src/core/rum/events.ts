// RUM events as the collector accepts them (DESIGN.md "RUM events"): web-vitals v6's `Metric`
// plus the page's context, and pageview, engagement and conversion events. `checkRumEvent` turns
// one untrusted JSON value into an event or a rejection with a reason a person can act on; it is
// the only door into the store, so nothing absurd ever reaches a sketch or a count.
import { isMetricName, METRIC_LIMITS, type MetricName, type Rating } from './metrics.js';

export const DEVICES = ['phone', 'tablet', 'desktop', 'unknown'] as const;
export type Device = (typeof DEVICES)[number];
/** the Network Information API's effectiveType, and `unknown` where a browser has none */
export const CONNECTIONS = ['slow-2g', '2g', '3g', '4g', 'unknown'] as const;
export type Connection = (typeof CONNECTIONS)[number];
/** every navigationType web-vitals v6 reports */
export const NAVIGATION_TYPES = [
  'navigate',
  'reload',
  'back-forward',
  'back-forward-cache',
  'prerender',
  'restore',
  'soft-navigation',
] as const;
export type NavigationType = (typeof NAVIGATION_TYPES)[number];

/** the segment dimensions a report can group by */
export const DIMENSIONS = ['device', 'connection', 'page', 'version', 'country'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface RumContext {
  /** the path of the page (from navigationURL when the metric has one), no query or fragment */
  page: string;
  device: Device;
  connection: Connection;
  version: string;
  country: string;
  sessionId: string;
  /** epoch ms */
  ts: number;
}

/** the part of web-vitals' attribution prodx keeps: what to fix, and where the time went */
export interface RumAttribution {
  /** LCP element, INP interaction target or the CLS largest shift's target (a CSS selector) */
  target?: string;
  /** INP: pointer, keyboard */
  interactionType?: string;
  /** LCP phases and INP phases, in ms */
  phases?: Partial<Record<string, number>>;
}

export interface WebVitalEvent extends RumContext {
  type: 'web-vital';
  name: MetricName;
  value: number;
  rating: Rating;
  delta: number;
  /** unique per metric instance on a page: a re-report with the same id replaces the value */
  id: string;
  navigationType: NavigationType;
  navigationId?: string | undefined;
  navigationURL?: string | undefined;
  navigationStartTime?: number | undefined;
  attribution?: RumAttribution | undefined;
}
export interface PageviewEvent extends RumContext {
  type: 'pageview';
}
export interface EngagementEvent extends RumContext {
  type: 'engagement';
  interactions: number;
  visibleMs: number;
}
export interface ConversionEvent extends RumContext {
  type: 'conversion';
  name: string;
  value: number;
}
export type RumEvent = WebVitalEvent | PageviewEvent | EngagementEvent | ConversionEvent;

export interface Rejection {
  /** stable: counted per reason in `rum status` */
  reason: string;
  message: string;
}
export type Checked = { ok: true; event: RumEvent } | ({ ok: false } & Rejection);

/** longest string prodx keeps in any field: a selector, a path, a version */
export const MAX_STRING = 512;
/** how far ahead of the collector's clock an event may be stamped (browser clocks drift) */
const FUTURE_SLACK_MS = 5 * 60_000;

const reject = (reason: string, message: string): Checked => ({ ok: false, reason, message });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Bad extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

function str(o: Record<string, unknown>, key: string, fallback?: string): string {
  const v = o[key];
  if (v === undefined || v === null || v === '') {
    if (fallback !== undefined) return fallback;
    throw new Bad('missing-field', `"${key}" is missing`);
  }
  if (typeof v !== 'string') throw new Bad('wrong-type', `"${key}" must be a string`);
  if (v.length > MAX_STRING) throw new Bad('too-long', `"${key}" is longer than ${MAX_STRING} characters`);
  return v;
}

function num(o: Record<string, unknown>, key: string, min: number, max: number, fallback?: number): number {
  const v = o[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new Bad('missing-field', `"${key}" is missing`);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Bad('wrong-type', `"${key}" must be a finite number`);
  if (v < min || v > max) throw new Bad('out-of-range', `"${key}" is ${v}: expected ${min} to ${max}`);
  return v;
}

function oneOf<T extends string>(o: Record<string, unknown>, key: string, allowed: readonly T[], fallback: T): T {
  const v = str(o, key, fallback);
  if (!(allowed as readonly string[]).includes(v)) throw new Bad('bad-value', `"${key}" is "${v}": expected one of ${allowed.join(', ')}`);
  return v as T;
}

const pages = new Map<string, string>();

/** the path of a URL or path, without query and fragment (remembered: a site has few URLs, and URL parsing is the costliest step of a check) */
export function pageOf(urlOrPath: string): string {
  let page = pages.get(urlOrPath);
  if (page === undefined) {
    try {
      page = new URL(urlOrPath, 'http://page.invalid').pathname || '/';
    } catch {
      page = urlOrPath.split(/[?#]/)[0] || '/';
    }
    if (pages.size >= 10_000) pages.clear();
    pages.set(urlOrPath, page);
  }
  return page;
}

function contextOf(o: Record<string, unknown>, now: number, oldest: number): RumContext {
  const url = o['navigationURL'];
  const page = typeof url === 'string' && url !== '' ? pageOf(str(o, 'navigationURL')) : pageOf(str(o, 'page', '/'));
  const device = o['device'] === 'mobile' ? 'phone' : oneOf(o, 'device', DEVICES, 'unknown');
  const ts = num(o, 'ts', 0, Number.MAX_SAFE_INTEGER, now);
  if (ts > now + FUTURE_SLACK_MS || ts < oldest)
    throw new Bad('ts-out-of-range', `"ts" ${new Date(ts).toISOString()} is outside the retention window or in the future`);
  return {
    page,
    device,
    connection: oneOf(o, 'connection', CONNECTIONS, 'unknown'),
    version: str(o, 'version', 'unknown'),
    country: str(o, 'country', 'unknown').toUpperCase(),
    sessionId: str(o, 'sessionId', 'unknown'),
    ts,
  };
}

function attributionOf(raw: unknown): RumAttribution | undefined {
  if (!isObject(raw)) return undefined;
  const out: RumAttribution = {};
  // LCP: target; INP: interactionTarget; CLS: largestShiftTarget
  for (const key of ['target', 'interactionTarget', 'largestShiftTarget']) {
    const v = raw[key];
    if (typeof v === 'string' && v !== '') out.target = v.slice(0, MAX_STRING);
  }
  if (typeof raw['interactionType'] === 'string') out.interactionType = raw['interactionType'].slice(0, 32);
  const phases: Record<string, number> = {};
  for (const key of [
    'timeToFirstByte',
    'resourceLoadDelay',
    'resourceLoadDuration',
    'elementRenderDelay',
    'inputDelay',
    'processingDuration',
    'presentationDelay',
  ]) {
    const v = raw[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) phases[key] = v;
  }
  if (Object.keys(phases).length) out.phases = phases;
  return Object.keys(out).length ? out : undefined;
}

function webVital(o: Record<string, unknown>, c: RumContext, rate: (name: MetricName, v: number) => Rating): WebVitalEvent {
  const name = o['name'];
  if (typeof name !== 'string' || !isMetricName(name))
    throw new Bad(
      'unknown-metric',
      `"${String(name).slice(0, 40)}" is not a web-vitals metric (LCP, INP, CLS, FCP, TTFB, or the legacy FID)`,
    );
  const [, max] = METRIC_LIMITS[name];
  const value = num(o, 'value', 0, max);
  const delta = o['delta'];
  // web-vitals v6 numbers its navigations; earlier clients sent a string
  const navId = o['navigationId'];
  const navURL = o['navigationURL'];
  // one object literal with every key, in one order: every event has one shape, which keeps
  // the checks, the rollups and JSON.stringify on V8's fast paths (an absent key is undefined
  // and is not written)
  return {
    type: 'web-vital',
    name,
    value,
    // the rating is prodx's own, from the thresholds: a client's word is not trusted
    rating: rate(name, value),
    delta: typeof delta === 'number' && Number.isFinite(delta) ? delta : value,
    id: str(o, 'id'),
    navigationType: oneOf(o, 'navigationType', NAVIGATION_TYPES, 'navigate'),
    navigationId:
      typeof navId === 'number' && Number.isFinite(navId)
        ? String(navId)
        : typeof navId === 'string' && navId !== ''
          ? str(o, 'navigationId')
          : undefined,
    navigationURL: typeof navURL === 'string' && navURL !== '' ? str(o, 'navigationURL') : undefined,
    navigationStartTime: o['navigationStartTime'] !== undefined ? num(o, 'navigationStartTime', 0, Number.MAX_SAFE_INTEGER) : undefined,
    attribution: attributionOf(o['attribution']),
    page: c.page,
    device: c.device,
    connection: c.connection,
    version: c.version,
    country: c.country,
    sessionId: c.sessionId,
    ts: c.ts,
  };
}

/**
 * One event from untrusted JSON. `now` stamps events without `ts`; `oldest` (now minus the
 * retention) refuses events no report could ever show. A web-vitals `Metric` without `type`
 * is a web-vital event.
 */
export function checkRumEvent(raw: unknown, now: number, oldest: number, rate: (name: MetricName, v: number) => Rating): Checked {
  if (!isObject(raw)) return reject('not-an-object', 'an event must be a JSON object');
  try {
    const type: unknown = raw['type'] ?? (typeof raw['name'] === 'string' && 'value' in raw ? 'web-vital' : undefined);
    const ctx = contextOf(raw, now, oldest);
    switch (type) {
      case 'web-vital':
        return { ok: true, event: webVital(raw, ctx, rate) };
      case 'pageview':
        return { ok: true, event: { type: 'pageview', ...ctx } };
      case 'engagement':
        return {
          ok: true,
          event: {
            type: 'engagement',
            ...ctx,
            interactions: num(raw, 'interactions', 0, 100_000, 0),
            visibleMs: num(raw, 'visibleMs', 0, 86_400_000, 0),
          },
        };
      case 'conversion':
        return { ok: true, event: { type: 'conversion', ...ctx, name: str(raw, 'name'), value: num(raw, 'value', -1e12, 1e12, 0) } };
      default:
        return reject('unknown-type', `"type" must be web-vital, pageview, engagement or conversion`);
    }
  } catch (err) {
    if (err instanceof Bad) return reject(err.reason, err.message);
    throw err;
  }
}

// The segment line of a checked event. Written by hand rather than with JSON.stringify because
// the shapes are known and fixed: enum fields (type, name, rating, navigationType, device,
// connection) are prodx's own constants and need no escaping, numbers are finite, and only the
// free strings go through JSON.stringify. It is the costliest step of the collector's hot path
// after the parse (bench/rum-ingest.mjs); JSON.parse of the line gives the event back.
const q = JSON.stringify;
function contextLine(e: RumContext): string {
  return `"page":${q(e.page)},"device":"${e.device}","connection":"${e.connection}","version":${q(e.version)},"country":${q(e.country)},"sessionId":${q(e.sessionId)},"ts":${e.ts}}`;
}
export function eventLine(e: RumEvent): string {
  switch (e.type) {
    case 'web-vital': {
      let s = `{"type":"web-vital","name":"${e.name}","value":${e.value},"rating":"${e.rating}","delta":${e.delta},"id":${q(e.id)},"navigationType":"${e.navigationType}",`;
      if (e.navigationId !== undefined) s += `"navigationId":${q(e.navigationId)},`;
      if (e.navigationURL !== undefined) s += `"navigationURL":${q(e.navigationURL)},`;
      if (e.navigationStartTime !== undefined) s += `"navigationStartTime":${e.navigationStartTime},`;
      if (e.attribution !== undefined) s += `"attribution":${q(e.attribution)},`;
      return s + contextLine(e);
    }
    case 'pageview':
      return `{"type":"pageview",${contextLine(e)}`;
    case 'engagement':
      return `{"type":"engagement","interactions":${e.interactions},"visibleMs":${e.visibleMs},${contextLine(e)}`;
    case 'conversion':
      return `{"type":"conversion","name":${q(e.name)},"value":${e.value},${contextLine(e)}`;
  }
}
