import { describe, expect, it } from 'vitest';
import { MAX_FRAMES } from '../../../../src/core/errors/event.js';
import { parseStack } from '../../../../src/core/errors/stack.js';

// the guards must make these finish in milliseconds; without them they take minutes
const GUARDED = 5_000;

describe('parseStack', () => {
  it('reads a Chrome stack: async, new, anonymous; innermost last', () => {
    const stack = [
      "TypeError: Cannot read properties of undefined (reading 'temp')",
      '    at Object.fetchForecast (https://weather.example/assets/app.3f2a1b9c.js:10:5)',
      '    at async render (https://weather.example/assets/app.3f2a1b9c.js:20:7)',
      '    at new Widget (https://weather.example/assets/app.3f2a1b9c.js:30:9)',
      '    at https://weather.example/assets/main.js:1:2',
    ].join('\n');
    expect(parseStack(stack)).toEqual([
      { filename: 'https://weather.example/assets/main.js', lineno: 1, colno: 2 },
      { function: 'new Widget', filename: 'https://weather.example/assets/app.3f2a1b9c.js', lineno: 30, colno: 9 },
      { function: 'async render', filename: 'https://weather.example/assets/app.3f2a1b9c.js', lineno: 20, colno: 7 },
      { function: 'Object.fetchForecast', filename: 'https://weather.example/assets/app.3f2a1b9c.js', lineno: 10, colno: 5 },
    ]);
  });

  it('reads a Firefox stack, anonymous frames without a function', () => {
    const stack = [
      'fetchForecast@https://weather.example/assets/app.js:10:5',
      'render/<@https://weather.example/assets/app.js:20:7',
      '@https://weather.example/assets/app.js:1:2',
      '',
    ].join('\n');
    expect(parseStack(stack)).toEqual([
      { filename: 'https://weather.example/assets/app.js', lineno: 1, colno: 2 },
      { function: 'render/<', filename: 'https://weather.example/assets/app.js', lineno: 20, colno: 7 },
      { function: 'fetchForecast', filename: 'https://weather.example/assets/app.js', lineno: 10, colno: 5 },
    ]);
  });

  it('reads a Safari stack with global code and [native code]', () => {
    const stack = [
      'fetchForecast@https://weather.example/assets/app.js:10:5',
      'forEach@[native code]',
      'global code@https://weather.example/assets/app.js:40:3',
    ].join('\n');
    expect(parseStack(stack)).toEqual([
      { function: 'global code', filename: 'https://weather.example/assets/app.js', lineno: 40, colno: 3 },
      { function: 'forEach', filename: '[native code]' },
      { function: 'fetchForecast', filename: 'https://weather.example/assets/app.js', lineno: 10, colno: 5 },
    ]);
  });

  it('reads a Node stack with node:internal and file:// frames, and skips the header', () => {
    const stack = [
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
      '    at loadUser (/srv/app/src/users.js:12:11)',
      '    at async handler (file:///srv/app/src/server.mjs:3:4)',
      '    at node:internal/process/task_queues:95:5',
      '    at file:///srv/app/src/main.mjs:7:1',
    ].join('\r\n');
    expect(parseStack(stack)).toEqual([
      { filename: 'file:///srv/app/src/main.mjs', lineno: 7, colno: 1 },
      { filename: 'node:internal/process/task_queues', lineno: 95, colno: 5 },
      { function: 'async handler', filename: 'file:///srv/app/src/server.mjs', lineno: 3, colno: 4 },
      { function: 'loadUser', filename: '/srv/app/src/users.js', lineno: 12, colno: 11 },
      { function: 'TCPConnectWrap.afterConnect [as oncomplete]', filename: 'node:net', lineno: 1555, colno: 16 },
    ]);
  });

  it('skips Node headers with a code and lines that are no frame', () => {
    const stack = ['Error [ERR_HTTP_HEADERS_SENT]: Cannot set headers after they are sent to the client', '    at Promise.all (index 0)'];
    stack.push('    at send (/srv/app/src/http.js:8:3)');
    expect(parseStack(stack.join('\n'))).toEqual([{ function: 'send', filename: '/srv/app/src/http.js', lineno: 8, colno: 3 }]);
  });

  it('keeps the MAX_FRAMES frames nearest the throw', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `    at f${i} (/srv/app/x.js:${i + 1}:1)`);
    const frames = parseStack(['RangeError: Maximum call stack size exceeded', ...lines].join('\n'));
    expect(frames).toHaveLength(MAX_FRAMES);
    expect(frames.at(-1)).toEqual({ function: 'f0', filename: '/srv/app/x.js', lineno: 1, colno: 1 });
    expect(frames[0]?.function).toBe('f49');
  });

  it('gives [] for what is not a string, and whatever parses of an unknown format', () => {
    for (const v of [undefined, null, 42, { stack: '    at f (/a.js:1:2)' }, ['    at f (/a.js:1:2)']]) expect(parseStack(v)).toEqual([]);
    expect(parseStack('')).toEqual([]);
    expect(parseStack('something went wrong\nno frames here\n\t\t')).toEqual([]);
    expect(parseStack('nothing to see\n    at keep (/srv/app/a.js:3:1)\n(((')).toEqual([
      { function: 'keep', filename: '/srv/app/a.js', lineno: 3, colno: 1 },
    ]);
  });

  it(
    'survives one 200,000-character line of "(" and still reads the frames after it',
    () => {
      expect(parseStack('('.repeat(200_000))).toEqual([]);
      const frames = parseStack(`${'('.repeat(200_000)}\n    at after (/srv/app/a.js:1:2)`);
      expect(frames).toEqual([{ function: 'after', filename: '/srv/app/a.js', lineno: 1, colno: 2 }]);
    },
    GUARDED,
  );

  it(
    'survives a 1 MB stack of 100,000 lines, frames or not',
    () => {
      const frames = Array.from({ length: 100_000 }, (_, i) => `f${i}@/a:1`).join('\n');
      expect(frames.length).toBeGreaterThan(1_000_000);
      const parsed = parseStack(frames);
      expect(parsed).toHaveLength(MAX_FRAMES);
      expect(parsed.at(-1)?.function).toBe('f0');
      expect(parseStack(Array.from({ length: 100_000 }, () => 'x'.repeat(10)).join('\n'))).toEqual([]);
    },
    GUARDED,
  );

  it(
    'survives lines crafted to make the Gecko and JSC regexes cubic',
    () => {
      const line = '('.repeat(500) + ')@'.repeat(262);
      const parsed = parseStack(Array.from({ length: 1_000 }, () => line).join('\n'));
      expect(parsed.length).toBeLessThanOrEqual(MAX_FRAMES);
    },
    GUARDED,
  );
});
