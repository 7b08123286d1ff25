// `prodx rum snippet`: the few lines a page adds to report to `prodx collect`. It imports the
// attribution build of Google's `web-vitals` (v6) so the worst LCP element, INP target and CLS
// shift reach the report, queues each metric with the page's context, and sends the queue with
// navigator.sendBeacon when the page is hidden (visibilitychange) or left (pagehide), the two
// moments web-vitals itself reports final values on (a value it reports while the page is already
// hidden is sent at once); fetch with keepalive where sendBeacon refuses. Re-reported values keep
// their id, so the collector replaces instead of adding.
export interface SnippetOptions {
  /** the collector's base URL, e.g. http://127.0.0.1:8790 */
  collector: string;
  token?: string | null;
  /** the app version the page reports (a build stamps it) */
  version?: string;
  softNavs?: boolean;
}

export function rumSnippet(o: SnippetOptions): string {
  const url = new URL('/v1/rum', o.collector);
  if (o.token) url.searchParams.set('token', o.token);
  return `// prodx RUM: Core Web Vitals from real users (npm install web-vitals)
import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals/attribution';

const COLLECTOR = ${JSON.stringify(url.href)};
const VERSION = ${JSON.stringify(o.version ?? 'unknown')};
const sessionId = (() => {
  try {
    const id = sessionStorage.getItem('prodx.session') || crypto.randomUUID();
    sessionStorage.setItem('prodx.session', id);
    return id;
  } catch {
    return crypto.randomUUID();
  }
})();
const device = () => (matchMedia('(max-width: 767px)').matches ? 'phone' : matchMedia('(max-width: 1024px)').matches ? 'tablet' : 'desktop');
const context = () => ({
  page: location.pathname,
  device: device(),
  connection: (navigator.connection && navigator.connection.effectiveType) || 'unknown',
  version: VERSION,
  country: document.documentElement.dataset.country || 'unknown',
  sessionId,
  ts: Date.now(),
});
const queue = [];
let interactions = 0;
addEventListener('pointerdown', () => interactions++, { capture: true, passive: true });
addEventListener('keydown', () => interactions++, { capture: true, passive: true });
let visibleSince = document.visibilityState === 'visible' ? performance.now() : null;
let visibleMs = 0;

const ATTRIBUTION = ['target', 'interactionTarget', 'interactionType', 'largestShiftTarget', 'timeToFirstByte', 'resourceLoadDelay',
  'resourceLoadDuration', 'elementRenderDelay', 'inputDelay', 'processingDuration', 'presentationDelay'];
function report(m) {
  const attribution = {};
  for (const k of ATTRIBUTION) if (m.attribution && m.attribution[k] !== undefined) attribution[k] = m.attribution[k];
  queue.push({
    type: 'web-vital', name: m.name, value: m.value, rating: m.rating, delta: m.delta, id: m.id,
    navigationType: m.navigationType, navigationId: m.navigationId, navigationURL: m.navigationURL,
    navigationStartTime: m.navigationStartTime, attribution, ...context(),
  });
  // web-vitals reports some values from its own hidden/pagehide listeners, after ours ran: send those at once
  if (document.visibilityState === 'hidden') flush();
}
function flush() {
  if (visibleSince !== null) visibleMs += performance.now() - visibleSince;
  visibleSince = null;
  if (interactions || visibleMs >= 1) queue.push({ type: 'engagement', interactions, visibleMs: Math.round(visibleMs), ...context() });
  interactions = 0;
  visibleMs = 0;
  if (!queue.length) return;
  const body = JSON.stringify(queue.splice(0));
  if (!(navigator.sendBeacon && navigator.sendBeacon(COLLECTOR, body))) fetch(COLLECTOR, { method: 'POST', body, keepalive: true });
}

queue.push({ type: 'pageview', ...context() });
const opts = { reportSoftNavs: ${o.softNavs ? 'true' : 'false'} };
onLCP(report, opts);
onINP(report, opts);
onCLS(report, opts);
onFCP(report, opts);
onTTFB(report, opts);
addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flush();
  else visibleSince = performance.now();
});
addEventListener('pagehide', flush);
// a conversion: window.prodxConversion('subscribe', 4.99)
window.prodxConversion = (name, value = 0) => queue.push({ type: 'conversion', name, value, ...context() });
`;
}
