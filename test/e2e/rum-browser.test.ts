// A real browser reporting to a real collector: Debian's Chromium (driven by playwright-core)
// opens a page on loopback that runs `prodx rum snippet`'s code with the real `web-vitals` from
// node_modules; the page is shifted (CLS), clicked (INP) and left (pagehide and visibilitychange
// to hidden, when web-vitals reports), the beacons reach `prodx collect` by sendBeacon, and
// `prodx rum report --json` shows the page's LCP, CLS, INP, FCP and TTFB.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../support/browser.js';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnProdx, type ProdxChild } from '../support/canary.js';
import { prodx } from '../support/cli.js';
import { rumProject } from '../support/rum.js';
import { waitUntil } from '../support/load.js';

const WEB_VITALS = resolve(import.meta.dirname, '../../node_modules/web-vitals/dist/web-vitals.attribution.js');

const page = (snippetUrl: string) => `<!doctype html>
<html data-country="DE"><head><meta charset="utf-8"><title>Radar</title>
<script type="importmap">{ "imports": { "web-vitals/attribution": "/web-vitals.attribution.js" } }</script>
<script type="module" src="${snippetUrl}"></script></head>
<body><h1 id="title">Rain radar</h1>
<p id="lead">Showers over Berlin in the next hour, clearing from the west by the evening.</p>
<button id="units" style="font-size:24px">°C / °F</button>
<script>
  // a late banner pushes the content down: a layout shift without input
  setTimeout(() => {
    const b = document.createElement('div');
    b.id = 'banner';
    b.style.height = '180px';
    b.textContent = 'Severe weather warning';
    document.body.prepend(b);
  }, 300);
  // the test leaves once the browser has timed the click (as web-vitals' observer will see it)
  new PerformanceObserver((l) => {
    if (l.getEntries().some((e) => e.name === 'click' && e.duration >= 40)) window.clickTimed = true;
  }).observe({ type: 'event', durationThreshold: 16 });
  // a slow click handler: an interaction long enough for INP to count it
  document.getElementById('units').addEventListener('click', () => {
    const end = performance.now() + 120;
    while (performance.now() < end);
    document.getElementById('units').textContent = '°F / °C';
  });
</script></body></html>`;

const hasChromium = existsSync(CHROMIUM);
let site: Server | undefined;
let collector: ProdxChild | undefined;
let context: BrowserContext | undefined;
afterAll(async () => {
  await context?.close();
  collector?.child.kill('SIGKILL');
  await new Promise((r) => (site ? site.close(r) : r(null)));
});

describe('RUM from a real browser', () => {
  // CI installs chromium (.ci/run); a developer machine without it skips this one test
  it.skipIf(!hasChromium && !process.env['CI'])('web-vitals beacons from Chromium reach the collector and the report', async () => {
    let snippet = '';
    site = createServer((req, res) => {
      if (req.url === '/radar') res.writeHead(200, { 'content-type': 'text/html' }).end(page('/rum.js'));
      else if (req.url === '/rum.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(snippet);
      else if (req.url === '/web-vitals.attribution.js')
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(WEB_VITALS));
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Next</title><p>next page</p>');
    });
    await new Promise<void>((r) => site!.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    const { config } = rumProject({ allowedOrigins: [origin] });

    collector = spawnProdx(['collect', '--json', '--config', config]);
    const url = (await collector.waitForLine((l) => typeof l['url'] === 'string', 'the collector to listen'))['url'] as string;
    const printed = JSON.parse(
      (await prodx(['rum', 'snippet', '--json', '--collector', url, '--app-version', '4.3.0', '--config', config])).stdout,
    ) as {
      code: string;
    };
    snippet = printed.code;
    expect(snippet).toContain("from 'web-vitals/attribution'");

    context = await launchChromium();
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`${origin}/radar`, { waitUntil: 'load' });
    await tab.waitForSelector('#banner');
    await tab.waitForTimeout(200); // the shift is observed after it paints (a browser's frame, not a test's guess)
    await tab.click('#units');
    await tab.waitForFunction('window.clickTimed === true');
    // web-vitals takes event entries in an idle callback; one of ours, queued after it, says it ran
    // (a page hidden before that loses the interaction: web-vitals' own race, not the collector's)
    await tab.evaluate('new Promise((done) => requestIdleCallback(() => done(null), { timeout: 2000 }))');
    // leaving the page: pagehide and visibilitychange to hidden, when web-vitals reports
    await tab.goto(`${origin}/next`, { waitUntil: 'load' });
    expect(errors).toEqual([]);

    const status = async () => (await (await fetch(`${url}/`)).json()) as { stored: number; rejected: number; rejectedBy: object };
    await waitUntil(async () => (await status()).stored >= 7, 'the beacons to be stored (a page view, five metrics, engagement)', 15_000);
    expect((await status()).rejected).toBe(0);
    const r = JSON.parse((await prodx(['rum', 'report', '--json', '--window', '1h', '--config', config])).stdout) as {
      metrics: { name: string; count: number; p75: number }[];
      engagement: { pageviews: number; interactions: number };
    };
    const byName = Object.fromEntries(r.metrics.map((m) => [m.name, m]));
    for (const name of ['LCP', 'CLS', 'INP', 'FCP', 'TTFB']) expect(byName[name]?.count, name).toBe(1);
    expect(byName['CLS']!.p75).toBeGreaterThan(0);
    expect(byName['INP']!.p75).toBeGreaterThanOrEqual(100);
    expect(r.engagement).toMatchObject({ pageviews: 1 });
    expect(r.engagement.interactions).toBeGreaterThanOrEqual(1);
  });
});
