// The collector's error ingestion as SDKs and browsers meet it: the built `prodx collect` on a free
// loopback port, envelopes written the ways SDKs write them, every answer the protocol has, and
// `prodx errors report --json` reading what was stored.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnProdx, type ProdxChild } from '../support/canary.js';
import { prodx } from '../support/cli.js';
import { burstThenSigterm, send } from '../support/http.js';
import { rumProject } from '../support/rum.js';

const KEY = 'k3y0000000000000000000000000000a';
const ORIGIN = 'https://weather.example';

const running: ProdxChild[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) {
    c.child.kill('SIGKILL');
    await c.exited;
  }
});

async function collector(collectorConfig: Record<string, unknown> = {}, errors: Record<string, unknown> = {}) {
  const p = rumProject({ allowedOrigins: [ORIGIN], ...collectorConfig }, { errors: { sentryKeys: [KEY], ...errors } });
  const child = spawnProdx(['collect', '--json', '--config', p.config]);
  running.push(child);
  const line = await child.waitForLine((l) => typeof l['url'] === 'string', 'the collector to listen');
  return { ...p, child, url: line['url'] as string };
}

let n = 0;
const eventId = () => (++n).toString(16).padStart(32, '0');
const nodeEvent = (id = eventId(), extra: Record<string, unknown> = {}) => ({
  event_id: id,
  timestamp: Date.now() / 1000,
  platform: 'node',
  level: 'error',
  release: 'api@1.0.0',
  environment: 'production',
  exception: {
    values: [
      {
        type: 'Error',
        value: 'connect ECONNREFUSED 10.0.0.1:5432',
        stacktrace: {
          frames: [
            { filename: 'node:internal/process/task_queues', function: 'process.processTicksAndRejections', lineno: 95, in_app: false },
            { filename: '/srv/api/db.js', function: 'connect', lineno: 12, context_line: '  await pool.connect();', in_app: true },
          ],
        },
      },
    ],
  },
  ...extra,
});

/** as @sentry/node writes it: item headers without length, no newline at the end */
const envelope = (event: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  `${JSON.stringify({ event_id: event['event_id'], sent_at: new Date().toISOString(), ...header })}\n${JSON.stringify({ type: 'event' })}\n${JSON.stringify(event)}`;

const ENVELOPE = `/api/42/envelope/?sentry_key=${KEY}&sentry_version=7`;

async function report(config: string, ...args: string[]) {
  const r = await prodx(['errors', 'report', '--json', '--config', config, ...args]);
  return JSON.parse(r.stdout) as {
    events: number;
    groups: { id: string; title: string; count: number; category: string }[];
    releases: Record<string, { total: number; crashed: number; crashFree: number | null }>;
  };
}

describe('Sentry envelopes', () => {
  it('takes envelopes without lengths or a final newline, with lengths, unknown items, the store endpoint', async () => {
    const c = await collector();
    const id = eventId();
    let a = await send(c.url, { path: ENVELOPE, body: envelope(nodeEvent(id)) });
    expect(a).toMatchObject({ status: 200, body: { id } });
    // explicit lengths (in bytes: the é is two), a trailing newline, items prodx does not keep
    const ev = JSON.stringify(nodeEvent(eventId(), { message: 'café' }));
    const tx = JSON.stringify({ type: 'transaction', spans: [] });
    const body = `{"event_id":"${'b'.repeat(32)}"}\n{"type":"transaction","length":${Buffer.byteLength(tx)}}\n${tx}\n{"type":"event","length":${Buffer.byteLength(ev)}}\n${ev}\n{"type":"replay_event"}\n{}\n`;
    a = await send(c.url, { path: ENVELOPE, body });
    expect(a).toMatchObject({ status: 200, body: { id: 'b'.repeat(32) } });
    // no event at all: {}
    a = await send(c.url, {
      path: ENVELOPE,
      body: `{}\n{"type":"client_report"}\n{"discarded_events":[{"reason":"queue_overflow","category":"error","quantity":3}]}`,
    });
    expect(a).toMatchObject({ status: 200, body: {} });
    a = await send(c.url, {
      path: `/api/42/store/?sentry_key=${KEY}`,
      body: JSON.stringify(nodeEvent()),
      headers: { 'content-type': 'application/json' },
    });
    expect(a.status).toBe(200);
    // a retried envelope (same event_id) is one event
    a = await send(c.url, { path: ENVELOPE, body: envelope(nodeEvent(id)) });
    expect(a.status).toBe(200);
    const st = (await send(c.url, { method: 'GET', path: '/' })).body['errors'] as Record<string, unknown>;
    expect(st).toMatchObject({ events: 3, duplicates: 1, skippedItems: { transaction: 1, replay_event: 1 }, clientReports: 1 });
    const r = await report(c.config);
    expect(r.events).toBe(3);
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]).toMatchObject({ count: 3, category: 'network' });
  });

  it('decompresses gzip, deflate and br, refuses zstd with 415, and holds the limits after decompression', async () => {
    const c = await collector({}, { maxEventBytes: 65_536, maxEnvelopeBytes: 200_000 });
    for (const [enc, zip] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ] as const) {
      const a = await send(c.url, { path: ENVELOPE, body: zip(Buffer.from(envelope(nodeEvent()))), headers: { 'content-encoding': enc } });
      expect(a.status, enc).toBe(200);
    }
    let a = await send(c.url, { path: ENVELOPE, body: Buffer.from('x'), headers: { 'content-encoding': 'zstd' } });
    expect(a.status).toBe(415);
    expect(a.headers['x-sentry-error']).toContain('zstd');
    // 3 MB of zeros gzip to a few KB: refused at the limit while it inflates
    const bomb = gzipSync(Buffer.from(envelope(nodeEvent(eventId(), { extra: { pad: '0'.repeat(3_000_000) } }))));
    expect(bomb.length).toBeLessThan(200_000);
    a = await send(c.url, { path: ENVELOPE, body: bomb, headers: { 'content-encoding': 'gzip' } });
    expect(a.status).toBe(413);
    // one event item over maxEventBytes
    a = await send(c.url, { path: ENVELOPE, body: envelope(nodeEvent(eventId(), { extra: { pad: 'y'.repeat(70_000) } })) });
    expect(a.status).toBe(413);
    a = await send(c.url, { path: ENVELOPE, body: Buffer.from('not gzip at all'), headers: { 'content-encoding': 'gzip' } });
    expect(a.status).toBe(400);
    expect((await report(c.config)).events).toBe(3);
  });

  it('answers every auth form: query, X-Sentry-Auth, the envelope dsn; none 403, wrong 401, conflicting 400', async () => {
    const c = await collector();
    const host = new URL(c.url).host;
    const path = '/api/42/envelope/';
    let a = await send(c.url, { path, body: envelope(nodeEvent()) });
    expect(a.status).toBe(403);
    expect(a.headers['x-sentry-error']).toBeTruthy();
    expect(a.body['detail']).toEqual(a.headers['x-sentry-error']);
    a = await send(c.url, { path: '/api/42/envelope/?sentry_key=nope', body: envelope(nodeEvent()) });
    expect(a.status).toBe(401);
    a = await send(c.url, {
      path,
      body: envelope(nodeEvent()),
      headers: { 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${KEY}, sentry_client=test/1` },
    });
    expect(a.status).toBe(200);
    a = await send(c.url, { path, body: envelope(nodeEvent(), { dsn: `http://${KEY}@${host}/42` }) });
    expect(a.status).toBe(200);
    a = await send(c.url, { path, body: envelope(nodeEvent(), { dsn: `http://other@${host}/42` }) });
    expect(a.status).toBe(401);
    a = await send(c.url, { path: `${ENVELOPE}`, body: envelope(nodeEvent()), headers: { 'x-sentry-auth': 'Sentry sentry_key=other' } });
    expect(a.status).toBe(400);
    expect((await report(c.config)).events).toBe(2);
  });

  it('refuses malformed envelopes with a reason and stores nothing of them', async () => {
    const c = await collector();
    for (const body of ['not json\n{"type":"event"}\n{}', `{}\n{"type":"event","length":9999}\n{"a":1}`, `{}\nnot a header\n{}`]) {
      const a = await send(c.url, { path: ENVELOPE, body });
      expect(a.status, body).toBe(400);
      expect(a.headers['x-sentry-error']).toBeTruthy();
    }
    const a = await send(c.url, { path: ENVELOPE, body: `{}\n{"type":"event"}\n{"broken": ` });
    expect(a.status).toBe(400);
    expect((await report(c.config)).events).toBe(0);
  });

  it('limits the rate with Retry-After and X-Sentry-Rate-Limits; CORS exposes the Sentry headers', async () => {
    const c = await collector({}, { ratePerKey: 1, burst: 2 });
    const pre = await send(c.url, {
      method: 'OPTIONS',
      path: ENVELOPE,
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(ORIGIN);
    const statuses: number[] = [];
    let limited: Record<string, unknown> = {};
    for (let i = 0; i < 5; i++) {
      const a = await send(c.url, { path: ENVELOPE, body: envelope(nodeEvent()), headers: { origin: ORIGIN } });
      statuses.push(a.status);
      expect(a.headers['access-control-expose-headers']).toContain('x-sentry-rate-limits');
      if (a.status === 429) limited = a.headers;
    }
    expect(statuses).toContain(429);
    expect(Number(limited['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited['x-sentry-rate-limits']).toMatch(/^\d+::organization$/);
    const other = await send(c.url, { path: ENVELOPE, body: envelope(nodeEvent()), headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(403);
  });
});

describe('other senders and release health', () => {
  it('stores CSP reports as security errors, /v1/errors JSON with a stack string, and crash-free sessions', async () => {
    const c = await collector();
    let a = await send(c.url, {
      path: `/api/42/security/?sentry_key=${KEY}`,
      headers: { 'content-type': 'application/csp-report' },
      body: JSON.stringify({
        'csp-report': {
          'document-uri': 'https://weather.example/',
          'effective-directive': 'script-src-elem',
          'blocked-uri': 'https://ads.example/x.js',
          disposition: 'enforce',
        },
      }),
    });
    expect(a.status).toBe(200);
    a = await send(c.url, {
      path: '/v1/csp',
      headers: { 'content-type': 'application/reports+json' },
      body: JSON.stringify([
        {
          type: 'csp-violation',
          url: 'https://weather.example/radar',
          body: { effectiveDirective: 'img-src', blockedURL: 'https://pixel.example/p.gif', disposition: 'report' },
        },
      ]),
    });
    expect(a.status).toBe(200);
    const stack =
      'TypeError: x is undefined\n    at renderTiles (https://weather.example/assets/radar.1a2b3c4d.js:1:200)\n    at https://weather.example/assets/radar.1a2b3c4d.js:1:90';
    a = await send(c.url, {
      path: '/v1/errors',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ message: 'x is undefined', type: 'TypeError', stack, release: 'web@2.0.0' }, { nothing: true }]),
    });
    expect(a.status).toBe(400);
    expect(a.body['detail']).toContain('1 stored');
    const session = (status: string) =>
      JSON.stringify({
        sid: eventId(),
        status,
        errors: status === 'crashed' ? 1 : 0,
        started: new Date().toISOString(),
        attrs: { release: 'api@1.0.0', environment: 'production' },
      });
    for (const s of ['ok', 'exited', 'exited', 'exited', 'crashed'])
      expect((await send(c.url, { path: ENVELOPE, body: `{}\n{"type":"session"}\n${session(s)}` })).status).toBe(200);
    const r = await report(c.config);
    expect(r.groups.filter((g) => g.category === 'security')).toHaveLength(2);
    expect(r.groups.filter((g) => g.title.startsWith('TypeError'))).toMatchObject([{ count: 1, category: 'javascript' }]);
    // the running session's update ("ok") is not an outcome: 4 sessions ended, one crashed
    expect(r.releases['api@1.0.0']).toMatchObject({ total: 4, crashed: 1, crashFree: 0.75 });
  });

  it('loses nothing it answered 200 when SIGTERM comes during a burst', async () => {
    const c = await collector({}, { ratePerKey: 100_000, burst: 100_000 });
    const { answered, exit } = await burstThenSigterm(
      c.child,
      async (agent) => ((await send(c.url, { path: ENVELOPE, body: envelope(nodeEvent()), agent })).status === 200 ? 1 : 0),
      300,
    );
    expect(exit.code).toBe(0);
    expect((await report(c.config)).events).toBe(answered);
  });
});
