import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ErrorEvent, ExceptionValue, Frame, GroupingOptions } from '../../../../src/core/errors/event.js';
import { globMatch, groupEvent, isInApp, matches } from '../../../../src/core/errors/grouping.js';

const OPTIONS: GroupingOptions = { fingerprintRules: [], categoryRules: [], notInApp: [] };
const BASE: ErrorEvent = {
  id: 'a'.repeat(32),
  ts: Date.UTC(2026, 11, 1, 12),
  source: 'sentry',
  project: 'web',
  platform: 'javascript',
  level: 'error',
  exceptions: [],
  release: 'web@1.4.0',
  environment: 'production',
  user: '',
  session: '',
  tags: {},
};
const APP = 'https://weather.example/assets/app.3f2a1b9c.js';

const event = (over: Partial<ErrorEvent>): ErrorEvent => ({ ...BASE, ...over });
const frame = (fn: string | undefined, lineno = 10, over: Partial<Frame> = {}): Frame => ({
  ...(fn === undefined ? {} : { function: fn }),
  filename: APP,
  lineno,
  colno: 5,
  in_app: true,
  ...over,
});
const exception = (frames: Frame[], over: Partial<ExceptionValue> = {}): ExceptionValue => ({
  type: 'TypeError',
  value: "Cannot read properties of undefined (reading 'temp')",
  frames,
  ...over,
});
/** an event with one exception of these frames (innermost last) */
const thrown = (frames: Frame[], over: Partial<ExceptionValue> = {}, event_: Partial<ErrorEvent> = {}): ErrorEvent =>
  event({ exceptions: [exception(frames, over)], ...event_ });
const grouped = (e: ErrorEvent, o: GroupingOptions = OPTIONS) => groupEvent(e, o);
const group = (e: ErrorEvent, o: GroupingOptions = OPTIONS) => groupEvent(e, o).group;
const sha = (components: string[]) => createHash('sha256').update(components.join('\n')).digest('hex').slice(0, 32);

const STACK = [frame('main', 1), frame('render', 20), frame('fetchForecast', 10)];

describe('groupEvent: stack traces', () => {
  it('groups by the frames without line or column numbers', () => {
    const moved = [frame('main', 7), frame('render', 220), frame('fetchForecast', 99)].map((f) => ({ ...f, colno: 31 }));
    const g = grouped(thrown(STACK));
    expect(g.groupedBy).toBe('stacktrace');
    expect(g.group).toMatch(/^[0-9a-f]{32}$/);
    expect(group(thrown(moved))).toBe(g.group);
  });

  it('puts the same function at two lines with the same context line together, and apart when the line differs', () => {
    const at = (lineno: number, context_line: string) =>
      thrown([frame('main', 1), frame('fetchForecast', lineno, { context_line: `  ${context_line}  ` })]);
    expect(group(at(10, 'return data.current.temp;'))).toBe(group(at(48, 'return data.current.temp;')));
    expect(group(at(10, 'return data.current.temp;'))).not.toBe(group(at(10, 'return data.hourly.temp;')));
    // context lines over 120 characters do not count
    expect(group(at(10, 'x'.repeat(121)))).toBe(group(at(10, 'y'.repeat(121))));
  });

  it('tells apart a different function', () => {
    expect(group(thrown(STACK))).not.toBe(group(thrown([frame('main', 1), frame('render', 20), frame('loadRadar', 10)])));
  });

  it('uses the type but not the value when frames decide', () => {
    expect(group(thrown(STACK, { value: 'x is undefined' }))).toBe(group(thrown(STACK, { value: 'y is null' })));
    expect(group(thrown(STACK, { type: 'TypeError' }))).not.toBe(group(thrown(STACK, { type: 'RangeError' })));
  });

  it('trims function names to their own name', () => {
    const named = (a: string, b: string) => thrown([frame(a, 1), frame(b, 2)]);
    expect(group(named('Object.fetchForecast', 'async render'))).toBe(group(named('fetchForecast', 'render')));
    expect(group(named('new Widget', 'Widget.prototype.draw [as paint]'))).toBe(group(named('Widget', 'draw')));
    expect(group(named('render/<', 'Object.<anonymous>'))).toBe(group(named('render', '?')));
    expect(group(named('render', '<anonymous>'))).toBe(group(thrown([frame('render', 1), frame(undefined, 2)])));
  });

  it('ignores node_modules, node:, internal, native, CDN and vendor frames', () => {
    const noise = [
      frame('processTicksAndRejections', 95, { filename: 'node:internal/process/task_queues' }),
      frame('dispatch', 3, { filename: 'https://weather.example/node_modules/react-dom/cjs/react-dom.js' }),
      frame('ajax', 4, { filename: 'https://code.jquery.com/jquery-3.7.1.min.js' }),
      frame('h', 5, { filename: 'https://unpkg.com/preact@10.19.3/dist/preact.js' }),
      frame('t', 6, { filename: 'https://cdn.jsdelivr.net/npm/chart.js@4.4.1/dist/chart.umd.js' }),
      frame('map', 7, { filename: 'https://weather.example/vendor/lodash.js' }),
      frame('forEach', undefined, { filename: '[native code]' }),
      frame('run', 8, { filename: 'internal/modules/cjs/loader.js' }),
    ];
    const [outer, middle, inner] = STACK as [Frame, Frame, Frame];
    const noisy = thrown([...noise.slice(0, 3), outer, ...noise.slice(3, 6), middle, ...noise.slice(6), inner]);
    expect(group(noisy)).toBe(group(thrown(STACK)));
    expect(grouped(noisy).culprit).toBe(grouped(thrown(STACK)).culprit);
  });

  it('ignores frames that match errors.notInApp', () => {
    const stack = [...STACK, frame('track', 3, { filename: 'https://weather.example/assets/analytics/track.js' })];
    const options = { ...OPTIONS, notInApp: ['*/ANALYTICS/*'] };
    expect(group(thrown(stack), options)).toBe(group(thrown(STACK), options));
    expect(group(thrown(stack))).not.toBe(group(thrown(STACK)));
  });

  it('falls back to all frames when none is in-app', () => {
    const REACT = '/srv/app/node_modules/react-dom/cjs/react-dom.development.js';
    const onlyLibrary = (fn: string) => thrown([frame('flushSync', 1, { filename: REACT }), frame(fn, 2, { filename: REACT })]);
    expect(grouped(onlyLibrary('commitRoot')).groupedBy).toBe('stacktrace');
    expect(group(onlyLibrary('commitRoot'))).not.toBe(group(onlyLibrary('renderRoot')));
    expect(group(onlyLibrary('commitRoot'))).not.toBe(group(thrown([])));
  });

  it('counts recursion once', () => {
    const walk = (n: number) => Array.from({ length: n }, (_, i) => frame('walk', 30 + i));
    expect(group(thrown([frame('main', 1), ...walk(5)]))).toBe(group(thrown([frame('main', 1), ...walk(1)])));
    expect(group(thrown([frame('main', 1), frame('walk', 2), frame('visit', 3), frame('walk', 4)]))).not.toBe(
      group(thrown([frame('main', 1), frame('walk', 2), frame('visit', 3)])),
    );
  });

  it('strips content hashes and versions from URL modules, and keeps the file name', () => {
    const at = (filename: string) => thrown([frame('main', 1, { filename }), frame('fetchForecast', 2, { filename })]);
    expect(group(at('https://cdn.example/app.3f2a1b9c.js'))).toBe(group(at('https://cdn.example/app.77aa00ff.js?v=2#x')));
    expect(group(at('https://cdn.example/assets/main-a1b2c3d4.js'))).toBe(group(at('https://other.example/assets/main-0f9e8d7c.js')));
    expect(group(at('https://cdn.example/lib/1.2.3/app.js'))).toBe(group(at('https://cdn.example/lib/1.3.0/app.js')));
    expect(group(at('https://cdn.example/npm/widgets@1.2.3/app.js'))).toBe(group(at('https://cdn.example/npm/widgets@2.0.0/app.js')));
    expect(group(at('https://cdn.example/app.3f2a1b9c.js'))).not.toBe(group(at('https://cdn.example/chart.3f2a1b9c.js')));
    expect(group(at('/srv/app/src/Users.js'))).toBe(group(at('/opt/build/src/users.js')));
    expect(group(at('/srv/app/src/users.js'))).not.toBe(group(at('/srv/app/src/orders.js')));
  });

  it('lets every exception of the chain count', () => {
    const cause = (type: string) => exception([frame('query', 4, { filename: '/srv/app/db.js' })], { type });
    const chain = (type: string) => event({ exceptions: [exception(STACK), cause(type)] });
    expect(group(chain('ConnectionError'))).not.toBe(group(chain('SyntaxError')));
    expect(group(chain('ConnectionError'))).not.toBe(group(thrown(STACK)));
  });
});

describe('groupEvent: without frames', () => {
  it('groups an exception without frames by its type and normalized value', () => {
    const e = (value: string) => thrown([], { type: 'Error', value });
    expect(grouped(e('Order 42 failed')).groupedBy).toBe('exception');
    expect(group(e('Order 42 failed'))).toBe(sha(['Error', 'Order <int> failed']));
    expect(group(e('Order 42 failed'))).toBe(group(e('Order 9001 failed')));
    expect(group(e('Order 42 failed'))).not.toBe(group(e('Order 42 shipped')));
  });

  it('groups a synthetic stack (captureMessage) by its message', () => {
    const captured = (message: string, fn: string) =>
      event({ message, exceptions: [exception([frame('main', 1), frame(fn, 7)], { type: 'Error', value: message, synthetic: true })] });
    const a = grouped(captured('Checkout failed for order 4711', 'checkout'));
    expect(a.groupedBy).toBe('message');
    expect(a.title).toBe('Checkout failed for order <int>');
    expect(group(captured('Checkout failed for order 982', 'retryCheckout'))).toBe(a.group);
    expect(group(event({ message: 'Checkout failed for order 1' }))).toBe(a.group);
    expect(group(captured('Payment declined for order 4711', 'checkout'))).not.toBe(a.group);
    // the SDK's stack says where the message was sent from, not what failed: no culprit from it
    expect(a.culprit).toBe('');
  });

  it('groups an event with nothing at all under "<empty>"', () => {
    const empty = grouped(event({}));
    expect(empty).toMatchObject({ groupedBy: 'message', title: '<empty>', culprit: '', category: 'javascript' });
    expect(empty.group).toBe(sha(['<empty>']));
    expect(group(event({ message: 'Something broke' }))).not.toBe(empty.group);
  });
});

describe('groupEvent: fingerprints', () => {
  it('extends the default grouping with {{ default }}', () => {
    const e = (fingerprint?: string[]) => thrown(STACK, {}, fingerprint ? { fingerprint } : {});
    const extended = grouped(e(['{{ default }}', 'GET /api/forecast']));
    expect(extended.groupedBy).toBe('fingerprint');
    expect(extended.group).not.toBe(group(e()));
    expect(group(e(['{{default}}', 'GET /api/forecast']))).toBe(extended.group);
    expect(group(e(['{{ default }}', 'GET /api/radar']))).not.toBe(extended.group);
    expect(group(thrown(STACK.slice(1), {}, { fingerprint: ['{{ default }}', 'GET /api/forecast'] }))).not.toBe(extended.group);
    // `{{ default }}` alone is the default grouping
    expect(grouped(e(['{{ default }}']))).toMatchObject({ group: group(e()), groupedBy: 'stacktrace' });
  });

  it("replaces the default grouping with the client's fingerprint", () => {
    const a = thrown(STACK, {}, { fingerprint: ['checkout-flaky'] });
    const b = thrown([frame('other', 3)], { type: 'RangeError' }, { fingerprint: ['checkout-flaky'] });
    expect(group(a)).toBe(group(b));
    expect(group(a)).toBe(sha(['checkout-flaky']));
  });

  it('lets the first matching rule, with globs, override the fingerprint', () => {
    const rules: GroupingOptions = {
      ...OPTIONS,
      fingerprintRules: [
        { match: { type: 'chunkload*', message: 'Loading chunk * failed.*' }, fingerprint: ['chunk-load'] },
        { match: { type: 'ChunkLoadError' }, fingerprint: ['never-reached'] },
      ],
    };
    const chunk = (n: number, fn: string, fingerprint?: string[]) =>
      thrown(
        [frame(fn, n)],
        { type: 'ChunkLoadError', value: `Loading chunk ${n} failed.\n(error: https://weather.example/${n}.js)` },
        fingerprint ? { fingerprint } : {},
      );
    const g = grouped(chunk(7, 'loadRadar', ['client-said']), rules);
    expect(g).toMatchObject({ groupedBy: 'fingerprint', group: sha(['chunk-load']) });
    expect(group(chunk(12, 'loadSettings'), rules)).toBe(g.group);
    expect(group(chunk(7, 'loadRadar'))).not.toBe(group(chunk(12, 'loadSettings')));
    expect(group(thrown(STACK), rules)).toBe(group(thrown(STACK)));
  });
});

describe('matches and globMatch', () => {
  it('matches globs against the whole value, case-insensitively', () => {
    expect(globMatch('Fetch*', 'fetchForecast')).toBe(true);
    expect(globMatch('fetch', 'fetchForecast')).toBe(false);
    expect(globMatch('f?tch', 'FETCH')).toBe(true);
    expect(globMatch('f?tch', 'ftch')).toBe(false);
    expect(globMatch('*/radar/*.js', 'https://w.example/radar/map.js')).toBe(true);
    expect(globMatch('*a*a*a*a*b', 'a'.repeat(5_000))).toBe(false);
  });

  it('needs every key: frames match when any frame does, tags all', () => {
    const e = thrown(STACK, {}, { level: 'warning', tags: { route: '/radar', browser: 'Firefox' } });
    expect(matches({}, e)).toBe(true);
    expect(matches({ function: 'fetchForecast', level: 'warn*' }, e)).toBe(true);
    expect(matches({ function: 'Object.fetchForecast' }, thrown([frame('Object.fetchForecast')]))).toBe(true);
    expect(matches({ function: 'fetchForecast' }, thrown([frame('Object.fetchForecast')]))).toBe(true);
    expect(matches({ function: 'fetchForecast', level: 'error' }, e)).toBe(false);
    expect(matches({ filename: '*/app.*.js', module: 'assets/app' }, e)).toBe(true);
    expect(matches({ filename: '*/chart.js' }, e)).toBe(false);
    expect(matches({ tags: { route: '/radar', browser: 'fire*' } }, e)).toBe(true);
    expect(matches({ tags: { route: '/radar', os: '*' } }, e)).toBe(false);
    expect(matches({ message: '*reading*' }, e)).toBe(true);
    expect(matches({ message: 'reading' }, e)).toBe(false);
  });

  it('decides in-app by path, whatever the SDK said', () => {
    expect(isInApp({ filename: APP, in_app: false }, [])).toBe(true);
    for (const filename of [
      '/srv/app/node_modules/express/lib/router.js',
      'C:\\app\\node_modules\\pg\\lib\\client.js',
      'node:internal/process/task_queues',
      'internal/modules/cjs/loader.js',
      '<anonymous>',
      '[native code]',
      'https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.29.4/moment.min.js',
      'https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js',
      'https://weather.example/static/vendor/chart.js',
    ]) {
      expect(isInApp({ filename, in_app: true }, [])).toBe(false);
    }
    expect(isInApp({ module: 'node_modules/pg/lib/client' }, [])).toBe(false);
    expect(isInApp({ filename: 'https://weather.example/legacy/a.js' }, ['*/legacy/*'])).toBe(false);
    expect(isInApp({ filename: 'https://notunpkg.com.example/a.js' }, [])).toBe(true);
  });
});

describe('groupEvent: title and culprit', () => {
  it('titles "Type: value" with the value cut, or the type alone', () => {
    expect(grouped(thrown(STACK)).title).toBe("TypeError: Cannot read properties of undefined (reading 'temp')");
    expect(grouped(thrown(STACK, { value: 'x'.repeat(500) })).title).toBe(`TypeError: ${'x'.repeat(200)}`);
    expect(grouped(thrown(STACK, { value: undefined })).title).toBe('TypeError');
    expect(grouped(event({ message: 'Disk 93% full\nsecond\nthird' })).title).toBe('Disk <int>% full');
  });

  it('names the innermost in-app frame as the culprit', () => {
    const stack = [...STACK, frame('dispatch', 3, { filename: '/srv/app/node_modules/react-dom/index.js' })];
    expect(grouped(thrown(stack)).culprit).toBe('fetchForecast (app.3f2a1b9c.js)');
    expect(grouped(thrown([frame('Object.render', 2, { module: 'weather/views' })])).culprit).toBe('render (weather/views)');
    expect(grouped(thrown([])).culprit).toBe('');
  });
});

describe('groupEvent: categories', () => {
  const category = (value: string, over: Partial<ErrorEvent> = {}, type = 'Error', o = OPTIONS) =>
    grouped(thrown([], { type, value }, over), o).category;

  it('says security for CSP reports, 401/403 and CSRF', () => {
    expect(category('script-src blocked', { source: 'csp' })).toBe('security');
    expect(category('Request failed with status code 403')).toBe('security');
    expect(category('HTTP 401')).toBe('security');
    expect(category('401 Unauthorized')).toBe('security');
    expect(category('Forbidden')).toBe('security');
    expect(category('invalid csrf token', {}, 'ForbiddenError')).toBe('security');
    expect(category("Refused to load the script because it violates the following Content Security Policy directive: 'self'")).toBe(
      'security',
    );
  });

  it('says network for failed fetches, socket errors, timeouts, aborts, CORS and 5xx statuses', () => {
    for (const value of [
      'Failed to fetch',
      'NetworkError when attempting to fetch resource.',
      'Load failed',
      'connect ECONNREFUSED 127.0.0.1:5432',
      'read ECONNRESET',
      'connect ETIMEDOUT 10.0.0.7:443',
      'getaddrinfo ENOTFOUND api.weather.example',
      'Timeout of 5000ms exceeded',
      'The request timed out.',
      'Request blocked by CORS policy',
      '502 Bad Gateway',
      'Request failed with status code 500',
      'HTTP/1.1 503',
      '504',
    ]) {
      expect(category(value), value).toBe('network');
    }
    expect(category('The user aborted a request.', {}, 'AbortError')).toBe('network');
  });

  it('says javascript otherwise, also for numbers that are no status', () => {
    expect(category("Cannot read properties of undefined (reading 'timeout')", {}, 'TypeError')).toBe('javascript');
    expect(category('500 rows expected, got 3')).toBe('javascript');
    expect(category('Order 401 not found')).toBe('javascript');
  });

  it('lets categoryRules, then a valid category tag, decide first', () => {
    const o = { ...OPTIONS, categoryRules: [{ match: { type: 'Payment*' }, category: 'business' as const }] };
    expect(category('Failed to fetch', {}, 'PaymentDeclined', o)).toBe('business');
    expect(category('Failed to fetch', {}, 'TypeError', o)).toBe('network');
    expect(category('Failed to fetch', { tags: { category: 'business' } })).toBe('business');
    expect(category('Failed to fetch', { tags: { category: 'banana' } })).toBe('network');
  });
});
