// Writes fixtures/errors/weather.ndjson: six hours of a weather app's errors, seeded so the file is
// the same on every run, as the real senders send them. Each line is one delivery:
//   {"via":"envelope","ts":…,"event":{…}}  a Sentry event, as @sentry/node or @sentry/browser
//                                          builds it (frames innermost last, in_app, context_line)
//   {"via":"errors","ts":…,"event":{…}}    prodx's own JSON with a browser's stack string
//                                          (Chrome, Firefox and Safari formats) for POST /v1/errors
//   {"via":"csp","ts":…,"report":{…}}      a browser's CSP report
// `ts` is milliseconds from the fixture's start: `prodx errors simulate` shifts it to now.
// Releases: 4.1.0, 4.2.0 from hour 2, 4.3.0 from hour 4. 4.3.0 brings a new RangeError in the
// sunrise formatter and brings back the alerts-banner TypeError that 4.2.0 had fixed.
import { mkdirSync, writeFileSync } from 'node:fs';

let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pickW = (pairs) => {
  let r = rand();
  for (const [v, w] of pairs) if ((r -= w) <= 0) return v;
  return pairs.at(-1)[0];
};
const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');

const SPAN = 6 * 3_600_000;
const releaseAt = (ts) => (ts < 2 * 3_600_000 ? '4.1.0' : ts < 4 * 3_600_000 ? '4.2.0' : '4.3.0');
const ASSET = 'https://weather.example/assets/radar.3f2a1b9c.js';
const ASSET_430 = 'https://weather.example/assets/radar.9d0e11aa.js';

const chrome = (asset) =>
  [
    "TypeError: Cannot read properties of undefined (reading 'x')",
    `    at renderTiles (${asset}:1:18234)`,
    '    at Array.forEach (<anonymous>)',
    `    at drawRadar (${asset}:1:17002)`,
    '    at https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js:5:4120',
  ].join('\n');
const firefox = (asset) =>
  [
    `renderTiles@${asset}:1:18240`,
    `drawRadar@${asset}:1:17010`,
    'o@https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js:5:4133',
  ].join('\n');
const safari = (asset) => [`renderTiles@${asset}:1:18240`, 'forEach@[native code]', `drawRadar@${asset}:1:17010`].join('\n');

const nodeFrame = (fn, file, lineno, context_line, in_app = true) => ({
  filename: file,
  abs_path: file,
  module: file.startsWith('/srv/weather/') ? file.slice('/srv/weather/'.length).replace(/\.js$/, '').replaceAll('/', ':') : undefined,
  function: fn,
  lineno,
  colno: 11,
  in_app,
  context_line,
});
const NODE_TAIL = [
  nodeFrame('process.processTicksAndRejections', 'node:internal/process/task_queues', 95, undefined, false),
  nodeFrame('Layer.handle', '/srv/weather/node_modules/express/lib/router/layer.js', 95, '    fn(req, res, next);', false),
];

function sentryEvent(ts, release, exc, extra = {}) {
  return {
    event_id: hex(32),
    timestamp: ts / 1000,
    platform: 'node',
    level: 'error',
    release,
    environment: 'production',
    server_name: 'weather-api-1',
    sdk: { name: 'sentry.javascript.node', version: '11.12.0' },
    exception: exc ? { values: [exc] } : undefined,
    tags: { route: extra.route ?? '/api/forecast' },
    user: { id: `u-${Math.floor(rand() * 90)}` },
    ...extra.fields,
  };
}

const KINDS = [
  // the radar TypeError, three browsers, one group
  [
    'radar-chrome',
    0.2,
    (ts) => ({
      via: 'errors',
      event: {
        message: "Cannot read properties of undefined (reading 'x')",
        type: 'TypeError',
        stack: chrome(ts >= 4 * 3_600_000 ? ASSET_430 : ASSET),
        url: 'https://weather.example/radar',
        tags: { browser: 'Chrome 131' },
      },
    }),
  ],
  [
    'radar-firefox',
    0.08,
    () => ({
      via: 'errors',
      event: {
        message: 'tile is undefined',
        type: 'TypeError',
        stack: firefox(ASSET),
        url: 'https://weather.example/radar',
        tags: { browser: 'Firefox 133' },
      },
    }),
  ],
  [
    'radar-safari',
    0.07,
    () => ({
      via: 'errors',
      event: {
        message: "undefined is not an object (evaluating 'tile.x')",
        type: 'TypeError',
        stack: safari(ASSET),
        url: 'https://weather.example/radar',
        tags: { browser: 'Safari 18.1' },
      },
    }),
  ],
  // the forecast upstream refusing connections (network)
  [
    'upstream',
    0.25,
    (ts) => ({
      via: 'envelope',
      event: sentryEvent(ts, releaseAt(ts), {
        type: 'Error',
        value: `connect ECONNREFUSED 10.0.3.${7 + Math.floor(rand() * 3)}:8080`,
        mechanism: { type: 'onunhandledrejection', handled: false },
        stacktrace: {
          frames: [
            ...NODE_TAIL,
            nodeFrame('getForecast', '/srv/weather/server/routes/forecast.js', 31, '  const data = await fetchUpstream(city);'),
            nodeFrame(
              'fetchUpstream',
              '/srv/weather/server/upstream.js',
              18,
              '  const res = await fetch(`${UPSTREAM}/v2/forecast/${city}`);',
            ),
          ],
        },
      }),
    }),
  ],
  // a slow query, reported with a duration in the message
  [
    'timeout',
    0.12,
    (ts) => ({
      via: 'envelope',
      event: sentryEvent(ts, releaseAt(ts), {
        type: 'TimeoutError',
        value: `forecast query timed out after ${4000 + Math.floor(rand() * 2000)}ms`,
        stacktrace: {
          frames: [
            ...NODE_TAIL,
            nodeFrame('getForecast', '/srv/weather/server/routes/forecast.js', 29, '  const cached = await db.forecast(city);'),
            nodeFrame(
              'Pool.query',
              '/srv/weather/server/db.js',
              44,
              '    throw new TimeoutError(`forecast query timed out after ${ms}ms`);',
            ),
          ],
        },
      }),
    }),
  ],
  // the alerts banner: in 4.1.0, fixed in 4.2.0, back in 4.3.0
  [
    'alerts',
    0.1,
    (ts) =>
      releaseAt(ts) === '4.2.0'
        ? null
        : {
            via: 'envelope',
            event: sentryEvent(
              ts,
              releaseAt(ts),
              {
                type: 'TypeError',
                value: "Cannot read properties of null (reading 'alerts')",
                stacktrace: {
                  frames: [
                    ...NODE_TAIL,
                    nodeFrame('renderPage', '/srv/weather/server/render.js', 12, '  html += alertsBanner(region);'),
                    nodeFrame('alertsBanner', '/srv/weather/server/banner.js', 7, '  return region.alerts.map(renderAlert).join("");'),
                  ],
                },
              },
              { route: '/alerts' },
            ),
          },
  ],
  // new in 4.3.0
  [
    'sunrise',
    0.1,
    (ts) =>
      releaseAt(ts) !== '4.3.0'
        ? null
        : {
            via: 'envelope',
            event: sentryEvent(ts, '4.3.0', {
              type: 'RangeError',
              value: 'Invalid time value',
              stacktrace: {
                frames: [
                  ...NODE_TAIL,
                  nodeFrame('forecastCard', '/srv/weather/server/cards.js', 22, '  const sunrise = formatSunrise(day.sunrise, tz);'),
                  nodeFrame(
                    'formatSunrise',
                    '/srv/weather/server/format.js',
                    9,
                    '  return new Intl.DateTimeFormat("en", { timeZone: tz }).format(new Date(t));',
                  ),
                ],
              },
            }),
          },
  ],
  // captureMessage with the synthetic stack @sentry/node 11 attaches
  [
    'message',
    0.04,
    (ts) => ({
      via: 'envelope',
      event: sentryEvent(
        ts,
        releaseAt(ts),
        {
          value: `Forecast cache miss rate ${30 + Math.floor(rand() * 30)}% over 5m`,
          mechanism: { type: 'generic', synthetic: true },
          stacktrace: {
            frames: [
              ...NODE_TAIL,
              nodeFrame(
                'checkCache',
                '/srv/weather/server/cache.js',
                40,
                '  Sentry.captureMessage(`Forecast cache miss rate ${rate}% over 5m`, "warning");',
              ),
            ],
          },
        },
        { fields: { level: 'warning', message: undefined } },
      ),
    }),
  ],
  // a business error, tagged
  [
    'payment',
    0.02,
    () => ({
      via: 'errors',
      event: {
        message: `Payment declined for order ${80000 + Math.floor(rand() * 9999)}`,
        type: 'PaymentDeclined',
        level: 'warning',
        tags: { category: 'business' },
        url: 'https://weather.example/premium',
      },
    }),
  ],
];

const lines = [];
for (let i = 0; i < 600; i++) {
  const ts = Math.floor((i / 600) * SPAN + rand() * 20_000);
  const kind = pickW(KINDS.map(([, w, make]) => [make, w]));
  const d = kind(ts);
  if (!d) continue;
  if (d.via === 'errors') {
    d.event.release = releaseAt(ts);
    d.event.environment = 'production';
    d.event.user = `u-${Math.floor(rand() * 90)}`;
    d.event.session = `s-${Math.floor(rand() * 200)}`;
    d.event.ts = ts;
  }
  lines.push({ ...d, ts });
}
// CSP: an injected script from a browser extension, a few times an hour
for (let h = 0; h < 6; h++)
  lines.push({
    via: 'csp',
    ts: h * 3_600_000 + 600_000,
    report: {
      'csp-report': {
        'document-uri': 'https://weather.example/forecast',
        'violated-directive': 'script-src-elem',
        'effective-directive': 'script-src-elem',
        'blocked-uri': `https://ads.tracker.example/inject.js?v=${h}`,
        'source-file': 'https://weather.example/forecast',
        'line-number': 1,
        disposition: 'enforce',
        'original-policy': "script-src 'self' https://cdn.jsdelivr.net",
      },
    },
  });
lines.sort((a, b) => a.ts - b.ts);
mkdirSync(new URL('../fixtures/errors/', import.meta.url), { recursive: true });
writeFileSync(new URL('../fixtures/errors/weather.ndjson', import.meta.url), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
console.log(`wrote ${lines.length} deliveries`);
