import { describe, expect, it } from 'vitest';
import { dsnOf, eventIdOf, MAX_HEADER_BYTES, parseDsn, parseEnvelope } from '../../../../src/core/errors/envelope.js';

const LIMITS = { maxItemBytes: 1_000_000 };
const parse = (body: string | Buffer, limits = LIMITS) =>
  parseEnvelope(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, limits);
const texts = (r: ReturnType<typeof parse>) => (r.ok ? r.items.map((i) => [i.type, i.payload.toString('utf8')]) : r);

const EVENT = '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","message":"hello world","level":"error"}';

describe('parseEnvelope', () => {
  it('reads items with explicit lengths, counting bytes: a UTF-8 payload does not shift what follows', () => {
    const utf8 = '{"message":"Zürich — 東京 ✓"}';
    expect(Buffer.byteLength(utf8)).toBeGreaterThan(utf8.length);
    const body =
      '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","dsn":"https://e12d836b15bb49d7bbf99e64295d995b@sentry.io/42"}\n' +
      `{"type":"event","length":${Buffer.byteLength(utf8)}}\n${utf8}\n` +
      '{"type":"attachment","length":10,"filename":"hello.txt"}\n\ufeffHello\r\n\n' +
      '{"type":"attachment","length":0}\n\n';
    const r = parse(body);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.header).toEqual({
      event_id: '9ec79c33ec9942ab8353589fcb2e04dc',
      dsn: 'https://e12d836b15bb49d7bbf99e64295d995b@sentry.io/42',
    });
    expect(texts(r)).toEqual([
      ['event', utf8],
      ['attachment', '\ufeffHello\r\n'],
      ['attachment', ''],
    ]);
    expect(JSON.parse(r.items[0]!.payload.toString('utf8'))).toEqual({ message: 'Zürich — 東京 ✓' });
    expect(r.items[1]!.header).toEqual({ type: 'attachment', length: 10, filename: 'hello.txt' });
  });

  it('reads a payload with newlines inside when the length says so', () => {
    const payload = 'line one\nline two\n';
    const r = parse(`{}\n{"type":"attachment","length":${payload.length}}\n${payload}`);
    expect(texts(r)).toEqual([['attachment', payload]]);
  });

  it('reads @sentry/node envelopes: no lengths and no trailing newline', () => {
    const body = `{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","sent_at":"2026-12-01T12:00:00.000Z","sdk":{"name":"sentry.javascript.node","version":"8.47.0"}}\n{"type":"event"}\n${EVENT}`;
    const r = parse(body);
    expect(texts(r)).toEqual([['event', EVENT]]);
  });

  it('reads implicit lengths up to the next newline, and an item header at the very end as an empty payload', () => {
    const r = parse(
      '{}\n{"type":"session"}\n{"sid":"a","status":"ok"}\n{"type":"session"}\n{"sid":"b","status":"exited"}\n{"type":"client_report"}',
    );
    expect(texts(r)).toEqual([
      ['session', '{"sid":"a","status":"ok"}'],
      ['session', '{"sid":"b","status":"exited"}'],
      ['client_report', ''],
    ]);
  });

  it('mixes explicit and implicit lengths, and keeps a "\\r" as part of an implicit payload', () => {
    const r = parse(
      `{}\n{"type":"event","length":${EVENT.length}}\n${EVENT}\n{"type":"attachment"}\nhelloworld\r\n{"type":"event"}\n${EVENT}\n`,
    );
    expect(texts(r)).toEqual([
      ['event', EVENT],
      ['attachment', 'helloworld\r'],
      ['event', EVENT],
    ]);
  });

  it('takes an empty envelope header and an envelope with no items', () => {
    expect(parse('{}')).toEqual({ ok: true, header: {}, items: [] });
    expect(parse('{}\n')).toEqual({ ok: true, header: {}, items: [] });
  });

  it('tolerates empty lines between items and after the last', () => {
    const r = parse(`{}\n\n{"type":"event"}\n${EVENT}\n\n\n{"type":"event","length":2}\n{}\n\n`);
    expect(texts(r)).toEqual([
      ['event', EVENT],
      ['event', '{}'],
    ]);
  });

  it('refuses a length past the end of the body, a length that is not a byte count, and a length that does not end at a newline', () => {
    for (const body of [
      `{}\n{"type":"event","length":${EVENT.length + 1}}\n${EVENT}`,
      `{}\n{"type":"event","length":-1}\n${EVENT}`,
      `{}\n{"type":"event","length":2.5}\n${EVENT}`,
      `{}\n{"type":"event","length":"12"}\n${EVENT}`,
      `{}\n{"type":"event","length":${EVENT.length - 1}}\n${EVENT}\n`,
    ]) {
      const r = parse(body);
      expect(r, body).toMatchObject({ ok: false, reason: 'bad-length' });
      expect(!r.ok && r.message).toMatch(/"event" item at byte \d+/);
    }
  });

  it('refuses header lines that are not JSON objects, and item headers without a type', () => {
    for (const body of [
      '',
      '\n{"type":"event"}\n{}',
      'not json\n{"type":"event"}\n{}',
      '[1,2]\n',
      '{}\n{"type":"event"\n{}',
      '{}\nnull\n{}',
      '{}\n{"length":2}\n{}',
      '{}\n{"type":""}\n{}',
      '{}\n{"type":7}\n{}',
      `{"x":"${'a'.repeat(MAX_HEADER_BYTES)}"}\n`,
    ])
      expect(parse(body), JSON.stringify(body.slice(0, 40))).toMatchObject({ ok: false, reason: 'bad-header' });
    // a header of exactly MAX_HEADER_BYTES passes
    expect(parse(`{"x":"${'a'.repeat(MAX_HEADER_BYTES - 8)}"}\n`).ok).toBe(true);
  });

  it('refuses an event or transaction item over the limit, explicit or implicit, and lets other items be large', () => {
    const limits = { maxItemBytes: 64 };
    const big = JSON.stringify({ message: 'x'.repeat(100) });
    for (const type of ['event', 'transaction']) {
      expect(parse(`{}\n{"type":"${type}","length":${big.length}}\n${big}`, limits)).toMatchObject({ ok: false, reason: 'item-too-large' });
      expect(parse(`{}\n{"type":"${type}"}\n${big}`, limits)).toMatchObject({ ok: false, reason: 'item-too-large' });
    }
    expect(parse(`{}\n{"type":"attachment","length":${big.length}}\n${big}`, limits).ok).toBe(true);
    expect(parse(`{}\n{"type":"event"}\n${'y'.repeat(64)}`, limits).ok).toBe(true);
  });

  it('returns payloads as views of the body, byte for byte', () => {
    const bytes = Buffer.from([0x00, 0xff, 0x0a, 0x80, 0x7f]);
    const body = Buffer.concat([Buffer.from('{}\n{"type":"attachment","length":5}\n'), bytes]);
    const r = parseEnvelope(body, LIMITS);
    expect(r.ok && [...r.items[0]!.payload]).toEqual([...bytes]);
  });
});

describe('envelope headers', () => {
  it('eventIdOf gives 32 lowercase hex characters, dashes removed, or undefined', () => {
    expect(eventIdOf({ event_id: '9ec79c33ec9942ab8353589fcb2e04dc' })).toBe('9ec79c33ec9942ab8353589fcb2e04dc');
    expect(eventIdOf({ event_id: '12C2D058-D584-4270-9AA2-ECA08BF20986' })).toBe('12c2d058d58442709aa2eca08bf20986');
    for (const v of [
      undefined,
      null,
      7,
      '',
      'xyz',
      '9ec79c33ec9942ab8353589fcb2e04d',
      '9ec79c33ec9942ab8353589fcb2e04dcz',
      {},
      'g'.repeat(32),
    ])
      expect(eventIdOf({ event_id: v }), String(v)).toBeUndefined();
  });

  it('dsnOf gives the dsn string', () => {
    expect(dsnOf({ dsn: 'http://k@h/1' })).toBe('http://k@h/1');
    expect(dsnOf({ dsn: 5 })).toBeUndefined();
    expect(dsnOf({ dsn: '' })).toBeUndefined();
    expect(dsnOf({})).toBeUndefined();
  });
});

describe('parseDsn', () => {
  it('reads the key, the project and the host with its port', () => {
    expect(parseDsn('http://abc123@localhost:8787/42')).toEqual({ key: 'abc123', project: '42', host: 'localhost:8787' });
    expect(parseDsn('https://e12d836b15bb49d7bbf99e64295d995b@o0.ingest.sentry.io/7')).toEqual({
      key: 'e12d836b15bb49d7bbf99e64295d995b',
      project: '7',
      host: 'o0.ingest.sentry.io',
    });
  });

  it('takes a path prefix before the project, a trailing slash, and the legacy secret', () => {
    expect(parseDsn('https://pub@errors.example.com/sentry/prefix/radar')).toEqual({
      key: 'pub',
      project: 'radar',
      host: 'errors.example.com',
    });
    expect(parseDsn('http://pub:secret@h.example:9000/12/')).toEqual({ key: 'pub', project: '12', host: 'h.example:9000' });
  });

  it('refuses what is not a DSN', () => {
    for (const dsn of [
      '',
      'not a url',
      'http://h.example/42',
      'http://k@h.example',
      'http://k@h.example/',
      'ftp://k@h.example/1',
      'file:///x/1',
    ])
      expect(parseDsn(dsn), dsn).toBeNull();
  });
});
