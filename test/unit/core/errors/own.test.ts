import { describe, expect, it } from 'vitest';
import { MAX_FRAMES, MAX_MESSAGE, MAX_TAG, type ErrorEvent, type Frame } from '../../../../src/core/errors/event.js';
import { fromProdxJson, MAX_STACK_CHARS } from '../../../../src/core/errors/own.js';

const NOW = Date.UTC(2026, 11, 1, 12);

// a small V8 stack reader standing in for the real one: "    at fn (file:line:col)", innermost first → innermost last
function parseStack(s: unknown): Frame[] {
  if (typeof s !== 'string') return [];
  const frames: Frame[] = [];
  for (const line of s.split('\n')) {
    const m = /^\s+at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (m) frames.push({ ...(m[1] ? { function: m[1] } : {}), filename: m[2]!, lineno: Number(m[3]), colno: Number(m[4]) });
  }
  return frames.reverse();
}
const seen: string[] = [];
const ctx = { now: NOW, newId: () => 'f'.repeat(32), parseStack: (s: unknown) => (seen.push(String(s)), parseStack(s)) };
const convert = (raw: unknown): ErrorEvent => {
  const r = fromProdxJson(raw, ctx);
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.event;
};

const STACK = [
  "TypeError: Cannot read properties of undefined (reading 'temp')",
  '    at renderCard (https://w.example/assets/index-9c1d.js:1:2345)',
  '    at HTMLButtonElement.onClick (https://w.example/assets/index-9c1d.js:1:9911)',
].join('\n');

describe('fromProdxJson', () => {
  it('reads a full event: one exception from type, message and stack, frames innermost last', () => {
    const e = convert({
      message: "Cannot read properties of undefined (reading 'temp')",
      type: 'TypeError',
      stack: STACK,
      url: 'https://w.example/radar',
      release: 'radar@1.4.2',
      environment: 'production',
      user: 'ada',
      session: 's-1',
      tags: { page: '/radar', retry: 2 },
      level: 'warn',
      ts: NOW - 5_000,
      fingerprint: ['radar', 'temp'],
    });
    expect(e).toEqual({
      id: 'f'.repeat(32),
      ts: NOW - 5_000,
      source: 'prodx',
      project: 'default',
      platform: 'javascript',
      level: 'warning',
      exceptions: [
        {
          type: 'TypeError',
          value: "Cannot read properties of undefined (reading 'temp')",
          frames: [
            { function: 'HTMLButtonElement.onClick', filename: 'https://w.example/assets/index-9c1d.js', lineno: 1, colno: 9911 },
            { function: 'renderCard', filename: 'https://w.example/assets/index-9c1d.js', lineno: 1, colno: 2345 },
          ],
        },
      ],
      fingerprint: ['radar', 'temp'],
      release: 'radar@1.4.2',
      environment: 'production',
      user: 'ada',
      session: 's-1',
      url: 'https://w.example/radar',
      tags: { page: '/radar', retry: '2' },
    });
  });

  it('takes the type and message from the first line of a stack when they are missing', () => {
    const e = convert({ stack: STACK });
    expect(e.exceptions[0]).toMatchObject({ type: 'TypeError', value: "Cannot read properties of undefined (reading 'temp')" });
    expect(convert({ stack: 'RangeError\n    at f (a.js:1:1)' }).exceptions[0]!.type).toBe('RangeError');
    // a Firefox stack has no such line
    const ff = convert({ stack: 'renderCard@https://w.example/a.js:1:2\n' });
    expect(ff.exceptions[0]!.type).toBeUndefined();
    expect(ff.exceptions[0]!.value).toBeUndefined();
    // what the client said wins
    expect(convert({ stack: STACK, type: 'Oops', message: 'mine' }).exceptions[0]).toMatchObject({ type: 'Oops', value: 'mine' });
  });

  it('takes frames instead of a stack, innermost last, keeping the innermost MAX_FRAMES', () => {
    const frames = Array.from({ length: MAX_FRAMES + 10 }, (_, i) => ({ function: `f${i}`, abs_path: '/app/x.js', lineno: i, junk: true }));
    const e = convert({ type: 'Error', message: 'deep', frames });
    const kept = e.exceptions[0]!.frames;
    expect(kept).toHaveLength(MAX_FRAMES);
    expect(kept[0]).toEqual({ function: 'f10', filename: '/app/x.js', lineno: 10 });
    expect(kept.at(-1)!.function).toBe(`f${MAX_FRAMES + 9}`);
    // the stack wins over frames
    expect(convert({ stack: STACK, frames }).exceptions[0]!.frames).toHaveLength(2);
  });

  it('keeps a bare message a message, with no exception', () => {
    const e = convert({ message: 'checkout took 9 s', level: 'info' });
    expect(e.message).toBe('checkout took 9 s');
    expect(e.exceptions).toEqual([]);
    expect(e.level).toBe('info');
    expect(convert({ type: 'QuotaExceeded' })).toMatchObject({ exceptions: [{ type: 'QuotaExceeded', frames: [] }] });
    expect(convert({ type: 'QuotaExceeded' }).message).toBeUndefined();
  });

  it('refuses an event with nothing to group by, and what is not an object', () => {
    for (const raw of [
      {},
      { message: '' },
      { url: 'https://w.example/', tags: { a: 'b' } },
      { message: 7, type: [], stack: {} },
      { frames: [null, 3] },
    ])
      expect(fromProdxJson(raw, ctx), JSON.stringify(raw)).toMatchObject({ ok: false, reason: 'empty-event' });
    for (const raw of [null, 'oops', 3, [{ message: 'x' }]])
      expect(fromProdxJson(raw, ctx)).toMatchObject({ ok: false, reason: 'not-an-object' });
  });

  it('cuts long strings and hands the parser at most MAX_STACK_CHARS of a stack', () => {
    const e = convert({
      message: 'm'.repeat(MAX_MESSAGE * 2),
      release: 'r'.repeat(500),
      user: 'u'.repeat(500),
      tags: { t: 'v'.repeat(500) },
    });
    expect(e.message).toHaveLength(MAX_MESSAGE);
    expect(e.release).toHaveLength(MAX_TAG);
    expect(e.user).toHaveLength(MAX_TAG);
    expect(e.tags['t']).toHaveLength(MAX_TAG);
    seen.length = 0;
    convert({ stack: STACK + '\n    at x (y.js:1:1)'.repeat(20_000) });
    expect(seen[0]!.length).toBe(MAX_STACK_CHARS);
    expect(seen[0]!.startsWith(STACK)).toBe(true);
  });

  it('stamps now for a missing or absurd ts, and reads numbers as epoch ms', () => {
    expect(convert({ message: 'x', ts: NOW - 1 }).ts).toBe(NOW - 1);
    expect(convert({ message: 'x', ts: '2026-12-01T11:00:00Z' }).ts).toBe(Date.UTC(2026, 11, 1, 11));
    for (const ts of [undefined, NOW / 1000, NOW + 2 * 86_400_000, -5, 'soon', Number.NaN])
      expect(convert({ message: 'x', ts }).ts, String(ts)).toBe(NOW);
  });

  it('survives a parser that throws or returns junk', () => {
    const bad = (parse: (s: unknown) => Frame[]) => fromProdxJson({ stack: STACK }, { ...ctx, parseStack: parse });
    expect(
      bad(() => {
        throw new Error('parser bug');
      }),
    ).toMatchObject({ ok: true, event: { exceptions: [{ type: 'TypeError', frames: [] }] } });
    expect(bad(() => [null, 'x', { lineno: 'y' }, { function: 'ok' }] as unknown as Frame[])).toMatchObject({
      ok: true,
      event: { exceptions: [{ frames: [{ function: 'ok' }] }] },
    });
  });

  it('never throws on junk in any field', () => {
    const junk: unknown[] = [
      null,
      0,
      Number.NaN,
      -Infinity,
      '',
      '\ud800',
      'x'.repeat(50_000),
      true,
      [],
      [null, [1]],
      {},
      { a: { b: {} } },
      [{ lineno: 'x' }],
      Object.create(null),
    ];
    const fields = [
      'message',
      'type',
      'stack',
      'frames',
      'url',
      'release',
      'environment',
      'user',
      'session',
      'tags',
      'level',
      'ts',
      'fingerprint',
      'platform',
    ];
    for (const f of fields)
      for (const [i, v] of junk.entries()) {
        // a type or a message is left whatever field the junk replaced
        const r = fromProdxJson({ message: 'base', type: 'BaseError', [f]: v }, ctx);
        expect(r.ok, `${f} = junk[${i}]`).toBe(true);
        expect(() => JSON.stringify(r)).not.toThrow();
      }
  });
});
