// Writes fixtures/rum/weather.ndjson: six hours of a weather site's real-user events, seeded so
// the file is the same on every run. Phones are slower than desktops, a slow-3G tail drags the
// p95, and release 4.3.0 (the last two hours) regresses LCP on /radar (its map canvas). Some CLS
// and INP values are re-reported with the same id, as web-vitals does while a page lives.
// `ts` is milliseconds from the fixture's start: `prodx simulate rum` shifts it to now.
import { writeFileSync } from 'node:fs';

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = (pairs) => {
  let r = rand();
  for (const [v, w] of pairs) if ((r -= w) <= 0) return v;
  return pairs.at(-1)[0];
};
const logNormal = (median, spread) => median * Math.exp(spread * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

const SPAN = 6 * 3_600_000;
const RELEASE_AT = 4 * 3_600_000;
const PAGES = [
  ['/', 0.35],
  ['/forecast', 0.3],
  ['/radar', 0.2],
  ['/alerts', 0.1],
  ['/about', 0.05],
];
const LCP_TARGET = { '/': 'img.hero', '/forecast': 'h1.city', '/radar': '#radar-map canvas', '/alerts': 'ul.alerts', '/about': 'main p' };
const DEVICE_SLOWDOWN = { phone: 1.6, tablet: 1.25, desktop: 1 };
const CONNECTION_SLOWDOWN = { '4g': 1, '3g': 1.9, 'slow-2g': 4.5 };
const lines = [];
let n = 0;
for (let s = 0; s < 220; s++) {
  const sessionId = `s-${s.toString(36)}-${Math.floor(rand() * 1e6).toString(36)}`;
  const device = pick([
    ['phone', 0.55],
    ['desktop', 0.35],
    ['tablet', 0.1],
  ]);
  const connection =
    device === 'desktop'
      ? pick([
          ['4g', 0.95],
          ['3g', 0.05],
        ])
      : pick([
          ['4g', 0.78],
          ['3g', 0.16],
          ['slow-2g', 0.06],
        ]);
  const country = pick([
    ['DE', 0.3],
    ['US', 0.25],
    ['GB', 0.15],
    ['FR', 0.12],
    ['NL', 0.1],
    ['JP', 0.08],
  ]);
  let t = Math.floor(rand() * (SPAN - 1_800_000));
  const version = t >= RELEASE_AT ? '4.3.0' : '4.2.0';
  const views = 1 + Math.floor(rand() * 4);
  for (let v = 0; v < views; v++) {
    const page = pick(PAGES);
    const slow = DEVICE_SLOWDOWN[device] * CONNECTION_SLOWDOWN[connection];
    const regress = page === '/radar' && version === '4.3.0' ? 1.9 : 1;
    const ctx = { page, device, connection, version, country, sessionId };
    const base = {
      navigationType:
        v === 0
          ? 'navigate'
          : pick([
              ['navigate', 0.8],
              ['back-forward', 0.1],
              ['reload', 0.1],
            ]),
      navigationId: v + 1,
    };
    const vital = (name, value, attribution, dt) => {
      const id = `v6-${t}-${(n++).toString(36)}`;
      lines.push({
        type: 'web-vital',
        name,
        value,
        delta: value,
        id,
        ...base,
        navigationURL: `https://weather.example${page}`,
        attribution,
        ...ctx,
        ts: t + dt,
      });
      return id;
    };
    lines.push({ type: 'pageview', ...ctx, ts: t });
    const ttfb = round(logNormal(280, 0.45) * (connection === '4g' ? 1 : 2.2));
    vital('TTFB', ttfb, { timeToFirstByte: ttfb }, 400);
    vital('FCP', round(logNormal(1100, 0.4) * slow), undefined, 900);
    const lcp = round(logNormal(1700, 0.45) * slow * regress);
    vital(
      'LCP',
      lcp,
      {
        target: LCP_TARGET[page],
        timeToFirstByte: ttfb,
        resourceLoadDelay: round(lcp * 0.1),
        resourceLoadDuration: round(lcp * 0.35),
        elementRenderDelay: round(lcp * 0.3),
      },
      1500,
    );
    const cls = round(logNormal(0.03, 0.9) * (page === '/alerts' ? 2.5 : 1), 4);
    const clsId = vital('CLS', cls, { largestShiftTarget: page === '/alerts' ? 'div.banner' : 'footer' }, 5000);
    if (rand() < 0.12)
      lines.push({ ...lines.find((l) => l.id === clsId), value: round(cls * 1.8, 4), delta: round(cls * 0.8, 4), ts: t + 20_000 });
    if (rand() < 0.7) {
      const inp = round(logNormal(120, 0.6) * DEVICE_SLOWDOWN[device] * (page === '/radar' ? 1.8 : 1));
      vital(
        'INP',
        inp,
        {
          interactionTarget: page === '/radar' ? '#radar-map' : 'button.units',
          interactionType: 'pointer',
          inputDelay: round(inp * 0.2),
          processingDuration: round(inp * 0.5),
          presentationDelay: round(inp * 0.3),
        },
        12_000,
      );
    }
    lines.push({
      type: 'engagement',
      interactions: Math.floor(rand() * 12),
      visibleMs: Math.floor(5_000 + rand() * 120_000),
      ...ctx,
      ts: t + 30_000,
    });
    t += 30_000 + Math.floor(rand() * 120_000);
  }
  if (rand() < (version === '4.3.0' ? 0.05 : 0.07))
    lines.push({
      type: 'conversion',
      name: 'subscribe',
      value: 4.99,
      page: '/forecast',
      device,
      connection,
      version,
      country,
      sessionId,
      ts: t,
    });
}
lines.sort((a, b) => a.ts - b.ts);
writeFileSync(new URL('../fixtures/rum/weather.ndjson', import.meta.url), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
console.log(`${lines.length} events`);
