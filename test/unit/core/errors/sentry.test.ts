import { describe, expect, it } from 'vitest';
import { MAX_FRAMES, MAX_LINE, MAX_MESSAGE, MAX_TAG, type ErrorEvent } from '../../../../src/core/errors/event.js';
import { fromSentryEvent, fromSession, fromSessions, MAX_EXCEPTIONS, MAX_TAGS } from '../../../../src/core/errors/sentry.js';

const NOW = Date.UTC(2026, 11, 1, 12);
let ids = 0;
const ctx = { project: '42', now: NOW, newId: () => `new${String(++ids).padStart(29, '0')}` };
const convert = (raw: unknown): ErrorEvent => {
  const r = fromSentryEvent(raw, ctx);
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.event;
};

// what @sentry/node 8 sends for an unhandled rejection whose error has a cause (linkedErrors on)
const nodeEvent = {
  exception: {
    values: [
      {
        type: 'Error',
        value: 'connect ECONNREFUSED 127.0.0.1:5432',
        stacktrace: {
          frames: [
            {
              filename: 'node:net',
              module: 'net',
              function: 'TCPConnectWrap.afterConnect [as oncomplete]',
              lineno: 1607,
              colno: 16,
              in_app: false,
            },
            {
              filename: '/app/node_modules/pg/lib/client.js',
              module: 'pg.lib:client',
              function: 'Client._handleErrorEvent',
              lineno: 132,
              colno: 19,
              in_app: false,
            },
          ],
        },
        mechanism: { type: 'chained', handled: true, source: 'cause', exception_id: 1, parent_id: 0 },
      },
      {
        type: 'ForecastError',
        value: 'forecast for Zürich failed',
        stacktrace: {
          frames: [
            {
              filename: 'node:internal/process/task_queues',
              module: 'task_queues',
              function: 'process.processTicksAndRejections',
              lineno: 95,
              colno: 5,
              in_app: false,
            },
            {
              filename: '/app/dist/server.js',
              module: 'server',
              function: 'async handler',
              lineno: 88,
              colno: 7,
              in_app: true,
              pre_context: ['', 'app.get("/forecast", async (req, res) => {'],
              context_line: '  const f = await fetchForecast(req.query.city);',
              post_context: ['  res.json(f);', '});'],
            },
            {
              filename: '/app/dist/forecast.js',
              module: 'forecast',
              function: 'fetchForecast',
              lineno: 42,
              colno: 11,
              in_app: true,
              context_line: '    throw new ForecastError(`forecast for ${city} failed`, { cause: err });',
            },
          ],
        },
        mechanism: { type: 'onunhandledrejection', handled: false, exception_id: 0 },
      },
    ],
  },
  event_id: 'c6a1f1f5f5c74d3c9e3a0d1b2c3d4e5f',
  level: 'error',
  platform: 'node',
  contexts: {
    trace: { trace_id: '5b8efff798038103d269b633813fc60c', span_id: 'eee19b7ec3c1b174' },
    runtime: { name: 'node', version: 'v20.19.0' },
    os: { kernel_version: '6.8.0', name: 'Linux' },
  },
  server_name: 'web-1',
  timestamp: 1764590400.123,
  environment: 'production',
  release: 'radar@1.4.2',
  sdk: { name: 'sentry.javascript.node', version: '8.47.0', integrations: ['InboundFilters', 'LinkedErrors'] },
  tags: { region: 'eu-west-1', canary: true, shard: 3 },
  user: { id: 4711, email: 'ada@example.com', ip_address: '10.0.0.9' },
  breadcrumbs: [{ timestamp: 1764590399.5, category: 'http', data: { method: 'GET', url: 'http://db/' } }],
  modules: { pg: '8.13.0' },
};

// what @sentry/browser 9 sends for an error thrown in a click handler
const browserEvent = {
  exception: {
    values: [
      {
        type: 'TypeError',
        value: "Cannot read properties of undefined (reading 'temp')",
        stacktrace: {
          frames: [
            { filename: 'https://w.example/assets/vendor-3f2a.js', function: 'HTMLButtonElement.r', lineno: 1, colno: 9911, in_app: true },
            { abs_path: 'https://w.example/assets/index-9c1d.js', function: 'renderCard', lineno: 1, colno: 2345, in_app: true },
          ],
        },
        mechanism: { type: 'instrument', handled: false, data: { function: 'addEventListener', handler: 'r', target: 'EventTarget' } },
      },
    ],
  },
  level: 'error',
  event_id: '9ec79c33-ec99-42ab-8353-589fcb2e04dc',
  platform: 'javascript',
  request: { url: 'https://w.example/radar?city=zurich', headers: { 'User-Agent': 'Mozilla/5.0' } },
  timestamp: 1764590400.5,
  environment: 'staging',
  release: 'radar@1.5.0-rc.1',
  sdk: { name: 'sentry.javascript.browser', version: '9.10.0' },
  user: { ip_address: '{{auto}}', username: 'ada' },
};

describe('fromSentryEvent', () => {
  it('reads a @sentry/node event: exceptions outermost first, frames innermost last', () => {
    const e = convert(nodeEvent);
    expect(e).toMatchObject({
      id: 'c6a1f1f5f5c74d3c9e3a0d1b2c3d4e5f',
      ts: 1764590400123,
      source: 'sentry',
      project: '42',
      platform: 'node',
      level: 'error',
      release: 'radar@1.4.2',
      environment: 'production',
      user: '4711',
      session: '',
      tags: { region: 'eu-west-1', canary: 'true', shard: '3' },
    });
    expect(e.message).toBeUndefined();
    expect(e.url).toBeUndefined();
    expect(e.exceptions.map((x) => [x.type, x.value])).toEqual([
      ['ForecastError', 'forecast for Zürich failed'],
      ['Error', 'connect ECONNREFUSED 127.0.0.1:5432'],
    ]);
    expect(e.exceptions[0]!.frames.map((f) => f.function)).toEqual(['process.processTicksAndRejections', 'async handler', 'fetchForecast']);
    expect(e.exceptions[0]!.frames[2]).toEqual({
      filename: '/app/dist/forecast.js',
      module: 'forecast',
      function: 'fetchForecast',
      lineno: 42,
      colno: 11,
      in_app: true,
      context_line: '    throw new ForecastError(`forecast for ${city} failed`, { cause: err });',
    });
    expect(e.exceptions[1]!.frames[1]).toMatchObject({ module: 'pg.lib:client', in_app: false });
    expect(e.exceptions.some((x) => x.synthetic)).toBe(false);
  });

  it('reads a @sentry/browser event: the request URL, filename from abs_path, the id without dashes, no {{auto}} user', () => {
    const e = convert(browserEvent);
    expect(e).toMatchObject({
      id: '9ec79c33ec9942ab8353589fcb2e04dc',
      ts: 1764590400500,
      platform: 'javascript',
      url: 'https://w.example/radar?city=zurich',
      environment: 'staging',
      release: 'radar@1.5.0-rc.1',
      user: 'ada',
      tags: {},
    });
    expect(e.exceptions).toHaveLength(1);
    expect(e.exceptions[0]!.type).toBe('TypeError');
    expect(e.exceptions[0]!.frames.map((f) => f.filename)).toEqual([
      'https://w.example/assets/vendor-3f2a.js',
      'https://w.example/assets/index-9c1d.js',
    ]);
    expect(convert({ user: { ip_address: '{{auto}}' } }).user).toBe('');
    expect(convert({ user: { ip_address: '10.1.2.3', username: 'x' } }).user).toBe('x');
    expect(convert({ user: { email: 'e@x', username: 'x' } }).user).toBe('e@x');
    expect(convert({ user: { ip_address: '10.1.2.3' } }).user).toBe('10.1.2.3');
  });

  it('reads captureMessage with attachStacktrace: the message, and a synthetic exception', () => {
    const e = convert({
      event_id: 'aa'.repeat(16),
      level: 'warning',
      message: 'cache miss storm',
      exception: {
        values: [
          {
            value: 'cache miss storm',
            stacktrace: { frames: [{ filename: '/app/dist/cache.js', function: 'warm', lineno: 3, colno: 1, in_app: true }] },
            mechanism: { type: 'generic', handled: true, synthetic: true },
          },
        ],
      },
    });
    expect(e.message).toBe('cache miss storm');
    expect(e.level).toBe('warning');
    expect(e.exceptions).toEqual([
      {
        value: 'cache miss storm',
        synthetic: true,
        frames: [{ filename: '/app/dist/cache.js', function: 'warm', lineno: 3, colno: 1, in_app: true }],
      },
    ]);
  });

  it('takes the message from logentry (formatted first), or from a message object', () => {
    expect(convert({ logentry: { message: 'user %s failed', params: ['ada'] } }).message).toBe('user %s failed');
    expect(convert({ logentry: { message: 'user %s failed', formatted: 'user ada failed' } }).message).toBe('user ada failed');
    expect(convert({ message: { formatted: 'formatted text', message: 'raw %s' } }).message).toBe('formatted text');
    expect(convert({ message: { message: 'raw %s' } }).message).toBe('raw %s');
    expect(convert({ logentry: { formatted: 'from logentry' }, message: 'plain' }).message).toBe('from logentry');
    expect(convert({ message: 'm'.repeat(MAX_MESSAGE + 10) }).message).toHaveLength(MAX_MESSAGE);
  });

  it('takes tags as an object or a list of pairs, at most MAX_TAGS, values cut', () => {
    expect(
      convert({
        tags: [['region', 'eu'], ['n', 2], ['bad'], 'x', [3, 'y'], ['obj', {}]],
      }).tags,
    ).toEqual({ region: 'eu', n: '2' });
    const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`t${i}`, 'v']));
    expect(Object.keys(convert({ tags: many }).tags)).toHaveLength(MAX_TAGS);
    expect(convert({ tags: { long: 'v'.repeat(500) } }).tags['long']).toHaveLength(MAX_TAG);
    expect(Object.getPrototypeOf(convert({ tags: JSON.parse('{"__proto__":"x","a":"b"}') }).tags)).toBe(Object.prototype);
  });

  it('maps levels onto LEVELS', () => {
    const cases: [unknown, string][] = [
      ['fatal', 'fatal'],
      ['error', 'error'],
      ['warning', 'warning'],
      ['warn', 'warning'],
      ['WARNING', 'warning'],
      ['info', 'info'],
      ['log', 'info'],
      ['debug', 'debug'],
      ['critical', 'fatal'],
      ['verbose', 'error'],
      [undefined, 'error'],
      [3, 'error'],
    ];
    for (const [level, want] of cases) expect(convert({ level }).level, String(level)).toBe(want);
  });

  it('reads timestamps as seconds or RFC 3339, and puts an absurd one at now', () => {
    expect(convert({ timestamp: '2026-12-01T11:00:00.250Z' }).ts).toBe(Date.UTC(2026, 11, 1, 11, 0, 0, 250));
    // without a zone it is UTC, whatever the collector's zone
    const tz = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      expect(convert({ timestamp: '2026-12-01T11:00:00' }).ts).toBe(Date.UTC(2026, 11, 1, 11));
    } finally {
      if (tz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = tz;
    }
    expect(convert({ timestamp: '1764590400.5' }).ts).toBe(1764590400500);
    expect(convert({ timestamp: NOW / 1000 + 3600 }).ts).toBe(NOW + 3_600_000);
    for (const timestamp of [NOW / 1000 + 2 * 86_400, 946_684_799, NOW, -1, 'yesterday', '', null, {}, Number.NaN])
      expect(convert({ timestamp }).ts, String(timestamp)).toBe(NOW);
  });

  it('makes an id when event_id is not a UUID, and keeps a fingerprint', () => {
    const e = convert({ event_id: 'nope', fingerprint: ['{{ default }}', 'checkout', 7, null] });
    expect(e.id).toMatch(/^new\d{29}$/);
    expect(e.fingerprint).toEqual(['{{ default }}', 'checkout', '7']);
    expect(convert({ fingerprint: [] }).fingerprint).toBeUndefined();
    expect(convert({ fingerprint: 'x' }).fingerprint).toBeUndefined();
  });

  it('keeps the innermost MAX_FRAMES frames and the outermost MAX_EXCEPTIONS exceptions, and cuts context lines', () => {
    const frames = Array.from({ length: MAX_FRAMES + 30 }, (_, i) => ({ function: `f${i}`, context_line: 'x'.repeat(MAX_LINE * 2) }));
    const e = convert({ exception: { values: [{ type: 'E', stacktrace: { frames } }] } });
    const kept = e.exceptions[0]!.frames;
    expect(kept).toHaveLength(MAX_FRAMES);
    expect(kept[0]!.function).toBe('f30');
    expect(kept.at(-1)!.function).toBe(`f${MAX_FRAMES + 29}`);
    expect(kept[0]!.context_line).toHaveLength(MAX_LINE);
    const chain = Array.from({ length: MAX_EXCEPTIONS + 5 }, (_, i) => ({ type: `E${i}` }));
    const types = convert({ exception: { values: chain } }).exceptions.map((x) => x.type);
    expect(types).toHaveLength(MAX_EXCEPTIONS);
    expect(types[0]).toBe(`E${MAX_EXCEPTIONS + 4}`);
  });

  it('cuts strings without leaving half a surrogate pair', () => {
    const m = convert({ message: 'a'.repeat(MAX_MESSAGE - 1) + '😀😀' }).message!;
    expect(m).toHaveLength(MAX_MESSAGE - 1);
    expect(m).not.toMatch(/[\uD800-\uDBFF]$/);
  });

  it('refuses only what is not an object', () => {
    for (const raw of [null, undefined, 1, 'x', [], [nodeEvent], true])
      expect(fromSentryEvent(raw, ctx), JSON.stringify(raw)).toMatchObject({ ok: false, reason: 'not-an-object' });
    expect(fromSentryEvent({}, ctx)).toMatchObject({ ok: true, event: { level: 'error', platform: 'other', exceptions: [], tags: {} } });
  });

  it('never throws and never refuses an object, whatever junk any field holds', () => {
    const junk: unknown[] = [
      null,
      undefined,
      0,
      -1,
      1e308,
      Number.NaN,
      Infinity,
      '',
      'x',
      '\u0000\ud800',
      'x'.repeat(100_000),
      true,
      false,
      [],
      [null],
      [[1, 2, 3]],
      [{ frames: 7 }],
      {},
      { values: 'x' },
      {
        values: [
          null,
          1,
          'x',
          [],
          { stacktrace: 'x' },
          { stacktrace: { frames: [null, 1, {}, { lineno: -1, colno: 1.5, in_app: 'yes' }] } },
        ],
      },
      { formatted: 3, message: [] },
      { id: {}, email: [], username: null, ip_address: 5 },
      { url: 7 },
      { synthetic: 'true' },
      Object.create(null) as object,
      JSON.parse('{"__proto__":{"polluted":true}}'),
    ];
    const fields = [
      'event_id',
      'timestamp',
      'platform',
      'level',
      'message',
      'logentry',
      'exception',
      'fingerprint',
      'release',
      'environment',
      'user',
      'tags',
      'request',
      'contexts',
    ];
    for (const f of fields)
      for (const [i, v] of junk.entries()) {
        const r = fromSentryEvent({ ...nodeEvent, [f]: v }, ctx);
        expect(r.ok, `${f} = junk[${i}]`).toBe(true);
        expect(() => JSON.stringify(r)).not.toThrow();
      }
    // junk inside the exception values and frames too
    for (const v of junk) {
      const r = fromSentryEvent(
        {
          exception: {
            values: [{ type: v, value: v, stacktrace: { frames: [v, { function: v, lineno: v, filename: v }] }, mechanism: v }],
          },
        },
        ctx,
      );
      expect(r.ok).toBe(true);
      if (r.ok) for (const fr of r.event.exceptions[0]!.frames) expect(typeof (fr.lineno ?? 0)).toBe('number');
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('fromSession', () => {
  it('reads a session update', () => {
    expect(
      fromSession({
        sid: '7c7b6585f3c54e33b0d9b9a7b9b7c1a3',
        did: 'ada',
        init: false,
        started: '2026-12-01T11:00:00.000Z',
        timestamp: '2026-12-01T11:05:00.000Z',
        status: 'crashed',
        errors: 2,
        duration: 300,
        attrs: { release: 'radar@1.4.2', environment: 'production', user_agent: 'node' },
      }),
    ).toEqual({ release: 'radar@1.4.2', environment: 'production', status: 'crashed', errors: 2, sid: '7c7b6585f3c54e33b0d9b9a7b9b7c1a3' });
  });

  it('takes a missing status as ok and bad counts as 0, and refuses no release or an unknown status', () => {
    expect(fromSession({ attrs: { release: 'r' }, errors: -3 })).toEqual({
      release: 'r',
      environment: '',
      status: 'ok',
      errors: 0,
      sid: '',
    });
    for (const s of ['ok', 'exited', 'crashed', 'abnormal', 'errored'])
      expect(fromSession({ status: s, attrs: { release: 'r' } })?.status).toBe(s);
    expect(fromSession({ status: 'exploded', attrs: { release: 'r' } })).toBeNull();
    expect(fromSession({ status: 'ok', attrs: {} })).toBeNull();
    expect(fromSession({ status: 'ok' })).toBeNull();
    for (const raw of [null, 1, 'x', [], { attrs: 'x' }, { attrs: { release: 5 } }]) expect(fromSession(raw)).toBeNull();
  });
});

describe('fromSessions', () => {
  it('sums the buckets of a sessions aggregate', () => {
    expect(
      fromSessions({
        aggrs: [
          { started: '2026-12-01T11:00:00Z', exited: 10, errored: 2 },
          { started: '2026-12-01T11:01:00Z', exited: 5, crashed: 1, abnormal: 1, did: 'x' },
          null,
          { exited: 'many', errored: -4 },
        ],
        attrs: { release: 'radar@1.4.2', environment: 'production' },
      }),
    ).toEqual({ release: 'radar@1.4.2', environment: 'production', exited: 15, errored: 2, crashed: 1, abnormal: 1 });
  });

  it('refuses an aggregate without a release or buckets', () => {
    expect(fromSessions({ aggrs: [{ exited: 1 }] })).toBeNull();
    expect(fromSessions({ aggrs: 'x', attrs: { release: 'r' } })).toBeNull();
    expect(fromSessions({ aggrs: [], attrs: { release: 'r' } })).toEqual({
      release: 'r',
      environment: '',
      exited: 0,
      errored: 0,
      crashed: 0,
      abnormal: 0,
    });
    for (const raw of [null, 1, 'x', []]) expect(fromSessions(raw)).toBeNull();
  });
});
