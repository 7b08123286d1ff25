// `prodx simulate rum`: replays fixture events, shifted so the fixture ends now, through the
// collector's real HTTP endpoint (sendBeacon-style arrays of 10) or straight into the store
// (`--to state`, through the same RumWriter the collector uses, rollups included). Past the
// fixture's size the replay repeats it with fresh ids and sessions, so --count can be any size.
import { readFileSync } from 'node:fs';
import { ExitCode, ProdxError } from '../core/errors.js';
import { checkRumEvent } from '../core/rum/events.js';
import { rate } from '../core/rum/metrics.js';
import { rumDirOf, RumWriter } from '../adapters/events/rumStore.js';
import { fixturePath } from '../adapters/paths.js';
import { liveRecord } from '../adapters/process/daemon.js';
import type { OperationContext } from './context.js';
import { collectorService, type CollectorRecord } from './rum.js';

export interface SimulateRumOptions {
  fixture?: string;
  count?: number;
  /** events per second over HTTP (default: as fast as the collector answers) */
  rate?: number;
  /** a collector URL, or "state" */
  to?: string;
  now?: number;
}

export interface SimulateRumResult {
  to: string;
  sent: number;
  stored: number;
  rejected: number;
  requests: number;
  refused: Record<string, number>;
}

const BATCH = 10;

export function loadFixture(file: string): Record<string, unknown>[] {
  let text: string;
  const path = file.includes('/') || file.endsWith('.ndjson') ? file : fixturePath('rum', `${file}.ndjson`);
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ProdxError('usage', `cannot read the RUM fixture ${path}: give an NDJSON file, or a shipped name such as "weather".`);
  }
  const out: Record<string, unknown>[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      out.push(v as Record<string, unknown>);
    } catch {
      throw new ProdxError('usage', `${path} line ${i + 1} is not a JSON object: a RUM fixture has one event per line.`);
    }
  });
  if (!out.length) throw new ProdxError('usage', `${path} holds no events.`);
  return out;
}

/** The events to replay: the fixture's times shifted to end at `now`, repeated with new ids past its size. */
export function replayEvents(fixture: Record<string, unknown>[], count: number, now: number): Record<string, unknown>[] {
  const last = Math.max(...fixture.map((e) => (typeof e['ts'] === 'number' ? e['ts'] : 0)));
  const shift = now - last;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const round = Math.floor(i / fixture.length);
    const e = { ...fixture[i % fixture.length]! };
    if (typeof e['ts'] === 'number') e['ts'] = e['ts'] + shift;
    if (round > 0) {
      if (typeof e['id'] === 'string') e['id'] = `${e['id']}~${round}`;
      if (typeof e['sessionId'] === 'string') e['sessionId'] = `${e['sessionId']}~${round}`;
    }
    out.push(e);
  }
  return out;
}

async function post(url: string, headers: Record<string, string>, batch: unknown[]): Promise<Response> {
  try {
    return await fetch(url, { method: 'POST', headers, body: JSON.stringify(batch) });
  } catch (err) {
    const cause = (err as { cause?: Error }).cause;
    throw new ProdxError(
      'collector-unreachable',
      `cannot reach the collector at ${url} (${cause ? cause.message : (err as Error).message}): start it with \`prodx rum start\`.`,
      ExitCode.failed,
    );
  }
}

async function postAll(
  url: string,
  events: Record<string, unknown>[],
  rps: number | undefined,
  token: string | null,
): Promise<SimulateRumResult> {
  const r: SimulateRumResult = { to: url, sent: 0, stored: 0, rejected: 0, requests: 0, refused: {} };
  const started = Date.now();
  const headers: Record<string, string> = { 'content-type': 'text/plain;charset=UTF-8', ...(token ? { 'x-prodx-token': token } : {}) };
  for (let i = 0; i < events.length; i += BATCH) {
    if (rps) {
      const due = started + (i / rps) * 1000;
      if (due > Date.now()) await new Promise((done) => setTimeout(done, due - Date.now()));
    }
    const batch = events.slice(i, i + BATCH);
    let res = await post(url, headers, batch);
    r.requests++;
    // as a well-behaved client does: wait as long as Retry-After says, then send the batch again
    for (let tries = 0; res.status === 429 && tries < 5; tries++) {
      const wait = Math.min(10, Number(res.headers.get('retry-after')) || 1);
      await res.arrayBuffer();
      await new Promise((done) => setTimeout(done, wait * 1000));
      res = await post(url, headers, batch);
      r.requests++;
    }
    r.sent += batch.length;
    const body = (await res.json().catch(() => ({}))) as { accepted?: number; rejected?: number; error?: { code?: string } };
    if (res.status === 200 || res.status === 400) {
      r.stored += body.accepted ?? 0;
      r.rejected += body.rejected ?? 0;
    } else {
      const code = body.error?.code ?? String(res.status);
      r.refused[code] = (r.refused[code] ?? 0) + 1;
    }
  }
  return r;
}

export async function simulateRum(ctx: OperationContext, o: SimulateRumOptions): Promise<SimulateRumResult> {
  const now = o.now ?? Date.now();
  const fixture = loadFixture(o.fixture ?? 'weather');
  const count = o.count ?? fixture.length;
  if (!Number.isInteger(count) || count < 1) throw new ProdxError('usage', `--count is a whole number above 0, got ${String(o.count)}.`);
  const events = replayEvents(fixture, count, now);
  if (o.to === 'state') {
    const writer = new RumWriter(rumDirOf(ctx.stateDir), { finalizeAfterMs: ctx.config.rum.finalizeAfter });
    const oldest = now - ctx.config.rum.retentionDays * 86_400_000;
    const r: SimulateRumResult = { to: 'state', sent: events.length, stored: 0, rejected: 0, requests: 0, refused: {} };
    const accepted = [];
    for (const raw of events) {
      const c = checkRumEvent(raw, now, oldest, rate);
      if (c.ok) accepted.push(c.event);
      else r.rejected++;
    }
    for (let i = 0; i < accepted.length; i += 5000) writer.append(accepted.slice(i, i + 5000), now);
    writer.close(now);
    r.stored = accepted.length;
    return r;
  }
  const running = liveRecord<CollectorRecord>(collectorService(ctx));
  const base = o.to ?? running?.url ?? `http://${ctx.config.collector.host}:${ctx.config.collector.port}`;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new ProdxError('usage', `--to is a collector URL (http://127.0.0.1:8790) or "state", got "${base}".`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/rum';
  if (o.rate !== undefined && !(o.rate > 0)) throw new ProdxError('usage', `--rate is events per second above 0, got ${o.rate}.`);
  return postAll(url.href, events, o.rate, ctx.config.collector.token);
}
