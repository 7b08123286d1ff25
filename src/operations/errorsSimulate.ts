// `prodx errors simulate`: replays fixture errors, shifted so the fixture ends now, through the
// collector's real endpoints — Sentry envelopes built the way @sentry/node sends them (no
// Content-Type, items without length, no trailing newline) to /api/<project>/envelope/, prodx's
// own JSON to /v1/errors, CSP reports to /v1/csp — or straight into the store (`--to state`,
// through the same conversion, grouping and writer the collector uses). Past the fixture's size
// the replay repeats it with fresh event ids, so --count can be any size.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ExitCode, ProdxError } from '../core/errors.js';
import type { ErrorEvent } from '../core/errors/event.js';
import { fromCspReport } from '../core/errors/csp.js';
import { groupEvent } from '../core/errors/grouping.js';
import { fromProdxJson } from '../core/errors/own.js';
import { fromSentryEvent } from '../core/errors/sentry.js';
import { parseStack } from '../core/errors/stack.js';
import { ErrorWriter, errorsDirOf } from '../adapters/events/errorStore.js';
import { fixturePath } from '../adapters/paths.js';
import { liveRecord } from '../adapters/process/daemon.js';
import type { OperationContext } from './context.js';
import { collectorService, type CollectorRecord } from './rum.js';

export interface SimulateErrorsOptions {
  fixture?: string;
  count?: number;
  /** a collector URL, or "state" */
  to?: string;
  /** the Sentry project in the envelope URL */
  project?: string;
  now?: number;
}

export interface SimulateErrorsResult {
  to: string;
  sent: number;
  stored: number;
  refused: Record<string, number>;
}

interface Delivery {
  via: 'envelope' | 'errors' | 'csp';
  ts: number;
  event?: Record<string, unknown>;
  report?: unknown;
}

const newId = () => randomBytes(16).toString('hex');

function loadFixture(file: string): Delivery[] {
  const path = file.includes('/') || file.endsWith('.ndjson') ? file : fixturePath('errors', `${file}.ndjson`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ProdxError('usage', `cannot read the errors fixture ${path}: give an NDJSON file, or a shipped name such as "weather".`);
  }
  const out: Delivery[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let v: Delivery;
    try {
      v = JSON.parse(line) as Delivery;
    } catch {
      throw new ProdxError('usage', `${path} line ${i + 1} is not JSON: an errors fixture has one delivery per line.`);
    }
    if (!['envelope', 'errors', 'csp'].includes(v?.via) || typeof v.ts !== 'number')
      throw new ProdxError('usage', `${path} line ${i + 1}: a delivery has "via" (envelope, errors or csp) and a numeric "ts".`);
    out.push(v);
  });
  if (!out.length) throw new ProdxError('usage', `${path} holds no deliveries.`);
  return out;
}

/** the fixture's deliveries shifted to end at `now`, repeated with new event ids past its size */
function replay(fixture: Delivery[], count: number, now: number): Delivery[] {
  const shift = now - Math.max(...fixture.map((d) => d.ts));
  return Array.from({ length: count }, (_, i) => {
    const d = fixture[i % fixture.length]!;
    const ts = d.ts + shift;
    if (d.via === 'envelope')
      return { ...d, ts, event: { ...d.event, event_id: i < fixture.length ? d.event?.['event_id'] : newId(), timestamp: ts / 1000 } };
    if (d.via === 'errors') return { ...d, ts, event: { ...d.event, ts } };
    return { ...d, ts };
  });
}

/** an envelope as @sentry/node writes one: header, item header without length, payload, no final newline */
export function envelopeOf(event: Record<string, unknown>, dsn: string): string {
  const header = { event_id: event['event_id'], sent_at: new Date().toISOString(), dsn, sdk: { name: 'prodx.simulate', version: '1' } };
  return `${JSON.stringify(header)}\n${JSON.stringify({ type: 'event' })}\n${JSON.stringify(event)}`;
}

function toEvents(d: Delivery, project: string, now: number): ErrorEvent[] {
  if (d.via === 'envelope') {
    const c = fromSentryEvent(d.event, { project, now, newId });
    return c.ok ? [c.event] : [];
  }
  if (d.via === 'errors') {
    const c = fromProdxJson(d.event, { now, newId, parseStack });
    return c.ok ? [c.event] : [];
  }
  // a CSP report carries no time of its own: the fixture's, shifted
  const c = fromCspReport(d.report, { project: 'default', now: d.ts, newId });
  return c.ok ? c.events : [];
}

export async function simulateErrors(ctx: OperationContext, o: SimulateErrorsOptions): Promise<SimulateErrorsResult> {
  const now = o.now ?? Date.now();
  const fixture = loadFixture(o.fixture ?? 'weather');
  const count = o.count ?? fixture.length;
  if (!Number.isInteger(count) || count < 1) throw new ProdxError('usage', `--count is a whole number above 0, got ${String(o.count)}.`);
  const project = o.project ?? 'weather';
  const deliveries = replay(fixture, count, now);
  const e = ctx.config.errors;
  if (o.to === 'state') {
    const writer = new ErrorWriter(errorsDirOf(ctx.stateDir));
    const grouping = { fingerprintRules: e.fingerprintRules, categoryRules: e.categoryRules, notInApp: e.notInApp };
    let stored = 0;
    try {
      for (let i = 0; i < deliveries.length; i += 1000)
        stored += writer.append(
          deliveries.slice(i, i + 1000).flatMap((d) => toEvents(d, project, now).map((ev) => groupEvent(ev, grouping))),
        );
    } finally {
      writer.close(now);
    }
    return { to: 'state', sent: deliveries.length, stored, refused: {} };
  }
  const running = liveRecord<CollectorRecord>(collectorService(ctx));
  const base = o.to ?? running?.url ?? `http://${ctx.config.collector.host}:${ctx.config.collector.port}`;
  let url: URL;
  try {
    url = new URL(base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new ProdxError('usage', `--to is a collector URL (http://127.0.0.1:8790) or "state", got "${base}".`);
  }
  const origin = url.origin;
  const key = e.sentryKeys[0] ?? 'prodx';
  const dsn = `${url.protocol}//${key}@${url.host}/${project}`;
  const token = ctx.config.collector.token;
  const r: SimulateErrorsResult = { to: origin, sent: 0, stored: 0, refused: {} };
  for (const d of deliveries) {
    const [path, body, headers] =
      d.via === 'envelope'
        ? [`/api/${project}/envelope/?sentry_key=${encodeURIComponent(key)}&sentry_version=7`, envelopeOf(d.event!, dsn), {}]
        : d.via === 'errors'
          ? ['/v1/errors', JSON.stringify(d.event), { 'content-type': 'application/json' }]
          : ['/v1/csp', JSON.stringify(d.report), { 'content-type': 'application/csp-report' }];
    const once = async (): Promise<Response> => {
      try {
        return await fetch(`${origin}${path}`, {
          method: 'POST',
          headers: { ...headers, ...(token && d.via !== 'envelope' ? { 'x-prodx-token': token } : {}) },
          body,
        });
      } catch (err) {
        const cause = (err as { cause?: Error }).cause;
        throw new ProdxError(
          'collector-unreachable',
          `cannot reach the collector at ${origin} (${cause ? cause.message : (err as Error).message}): start it with \`prodx errors start\`.`,
          ExitCode.failed,
        );
      }
    };
    let res = await once();
    // as the SDKs do: wait as long as Retry-After says, then send it again
    for (let tries = 0; res.status === 429 && tries < 5; tries++) {
      await res.arrayBuffer();
      await new Promise((done) => setTimeout(done, Math.min(10, Number(res.headers.get('retry-after')) || 1) * 1000));
      res = await once();
    }
    r.sent++;
    const text = await res.text();
    if (res.status === 200)
      r.stored += d.via === 'errors' ? ((JSON.parse(text) as { accepted?: number }).accepted ?? 0) : d.via === 'csp' ? 1 : 1;
    else {
      const reason = res.headers.get('x-sentry-error') ?? String(res.status);
      r.refused[reason] = (r.refused[reason] ?? 0) + 1;
    }
  }
  return r;
}
