import { describe, expect, it } from 'vitest';
import { blockedOf, fromCspReport, MAX_REPORTS } from '../../../../src/core/errors/csp.js';
import type { ErrorEvent } from '../../../../src/core/errors/event.js';

const NOW = Date.UTC(2026, 11, 1, 12);
let n = 0;
const ctx = { project: 'default', now: NOW, newId: () => String(++n).padStart(32, '0') };
const convert = (body: unknown): ErrorEvent[] => {
  const r = fromCspReport(body, ctx);
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.events;
};

// what Chrome sends to a report-uri (application/csp-report)
const chromeLegacy = {
  'csp-report': {
    'document-uri': 'https://w.example/radar?city=zurich',
    referrer: '',
    'violated-directive': 'script-src-elem',
    'effective-directive': 'script-src-elem',
    'original-policy': "default-src 'self'; script-src 'self'; report-uri /v1/csp",
    disposition: 'enforce',
    'blocked-uri': 'https://evil.example/x.js?v=1',
    'line-number': 12,
    'column-number': 5,
    'source-file': 'https://w.example/radar',
    'status-code': 200,
    'script-sample': '',
  },
};

// what Chrome sends to a report-to endpoint (application/reports+json): a batch, CSP and others
const reportingApi = [
  {
    age: 1_500,
    type: 'csp-violation',
    url: 'https://w.example/',
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0',
    body: {
      blockedURL: 'inline',
      columnNumber: 39,
      disposition: 'report',
      documentURL: 'https://w.example/checkout',
      effectiveDirective: 'script-src-elem',
      lineNumber: 121,
      originalPolicy: "script-src 'self'; report-to csp",
      referrer: '',
      sample: 'console.log("hi")',
      sourceFile: 'https://w.example/checkout',
      statusCode: 200,
    },
  },
  { age: 10, type: 'deprecation', url: 'https://w.example/', body: { id: 'UnloadHandler', message: 'unload is deprecated' } },
  {
    age: 20,
    type: 'csp-violation',
    url: 'https://w.example/radar',
    body: { blockedURL: 'https://cdn.tracker.example:8443/t.js', disposition: 'enforce', effectiveDirective: 'connect-src' },
  },
];

describe('fromCspReport', () => {
  it('reads an application/csp-report body: the directive and the blocked origin, an error when enforced', () => {
    const [e, ...rest] = convert(chromeLegacy);
    expect(rest).toEqual([]);
    expect(e).toEqual({
      id: expect.stringMatching(/^\d{32}$/),
      ts: NOW,
      source: 'csp',
      project: 'default',
      platform: 'javascript',
      level: 'error',
      message: "Blocked 'script-src-elem' from https://evil.example",
      exceptions: [{ type: 'CSPViolation', value: "Blocked 'script-src-elem' from https://evil.example", frames: [] }],
      release: '',
      environment: '',
      user: '',
      session: '',
      url: 'https://w.example/radar?city=zurich',
      tags: { directive: 'script-src-elem', blocked: 'https://evil.example' },
    });
  });

  it('gives one message for one directive and origin, whatever the path', () => {
    const a = convert({ 'csp-report': { ...chromeLegacy['csp-report'], 'blocked-uri': 'https://evil.example/a.js' } })[0]!;
    const b = convert({ 'csp-report': { ...chromeLegacy['csp-report'], 'blocked-uri': 'https://evil.example/b/c.js?x#y' } })[0]!;
    expect(a.message).toBe(b.message);
  });

  it('reads an older report: the first word of violated-directive, a report-only policy as a warning', () => {
    const [e] = convert({
      'csp-report': {
        'document-uri': 'https://w.example/',
        'violated-directive': "script-src 'self'",
        'blocked-uri': 'eval',
        disposition: 'report',
      },
    });
    expect(e).toMatchObject({
      level: 'warning',
      message: "Blocked 'script-src' from eval",
      tags: { directive: 'script-src', blocked: 'eval' },
    });
  });

  it('reads an application/reports+json batch: csp-violation reports only, dated by their age', () => {
    const events = convert(reportingApi);
    expect(events.map((e) => [e.message, e.level, e.url, e.ts])).toEqual([
      ["Blocked 'script-src-elem' from inline", 'warning', 'https://w.example/checkout', NOW - 1_500],
      ["Blocked 'connect-src' from https://cdn.tracker.example:8443", 'error', 'https://w.example/radar', NOW - 20],
    ]);
    expect(events[1]!.tags).toEqual({ directive: 'connect-src', blocked: 'https://cdn.tracker.example:8443' });
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
    expect(convert(reportingApi[0])).toHaveLength(1);
    expect(convert([reportingApi[1]])).toEqual([]);
  });

  it('reads at most MAX_REPORTS reports of one body', () => {
    expect(convert(Array.from({ length: MAX_REPORTS + 5 }, () => reportingApi[2]))).toHaveLength(MAX_REPORTS);
  });

  it('refuses a body of neither shape', () => {
    for (const body of [null, 'x', 3, {}, { 'csp-report': 'x' }, { type: 'csp-violation' }])
      expect(fromCspReport(body, ctx), JSON.stringify(body)).toMatchObject({ ok: false, reason: 'not-a-report' });
  });

  it('never throws on junk in any field, and keeps directive and blocked short words', () => {
    const junk: unknown[] = [
      null,
      0,
      -1,
      1e300,
      Number.NaN,
      '',
      ' ',
      'x'.repeat(10_000),
      'http://',
      ':::',
      'data:',
      true,
      [],
      {},
      [1],
      Object.create(null),
    ];
    const legacy = Object.keys(chromeLegacy['csp-report']);
    const modern = Object.keys(reportingApi[0]!.body);
    for (const v of junk) {
      for (const k of legacy) {
        const r = fromCspReport({ 'csp-report': { ...chromeLegacy['csp-report'], [k]: v } }, ctx);
        expect(r.ok && r.events.length).toBe(1);
      }
      for (const k of modern) {
        const r = fromCspReport([{ ...reportingApi[0], body: { ...reportingApi[0]!.body, [k]: v } }], ctx);
        expect(r.ok && r.events.length).toBe(1);
        if (r.ok) expect(r.events[0]!.tags['blocked']!.length).toBeLessThanOrEqual(200);
      }
      for (const k of ['age', 'url', 'type', 'body']) expect(fromCspReport([{ ...reportingApi[0], [k]: v }], ctx).ok).toBe(true);
    }
  });
});

describe('blockedOf', () => {
  it('gives the origin of a web URL, the scheme of another, and keywords as they are', () => {
    expect(blockedOf('https://evil.example/x.js')).toBe('https://evil.example');
    expect(blockedOf('wss://live.example:9000/socket')).toBe('wss://live.example:9000');
    expect(blockedOf('data:image/png;base64,iVBOR')).toBe('data');
    expect(blockedOf('blob:https://w.example/2b1e-44')).toBe('blob');
    expect(blockedOf('chrome-extension://abcdefgh/inject.js')).toBe('chrome-extension');
    for (const w of ['inline', 'eval', 'wasm-eval', 'self', 'trusted-types-sink']) expect(blockedOf(w)).toBe(w);
    expect(blockedOf('')).toBe('unknown');
    expect(blockedOf(undefined)).toBe('unknown');
  });
});
