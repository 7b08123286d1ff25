// Error tracking from a real browser: the real @sentry/browser (11) from node_modules, bundled by
// esbuild into one script, runs in Debian's Chromium (driven by playwright-core) on a loopback
// page whose DSN points at the built `prodx collect`; the page captures errors, a message and
// fingerprinted exceptions and throws one uncaught error from a timer, `Sentry.flush()` says all
// was delivered (cross-origin, so through the collector's CORS), and `prodx errors report --json`
// shows the groups Sentry would make.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../support/browser.js';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnProdx, type ProdxChild } from '../support/canary.js';
import { prodx, tempDir } from '../support/cli.js';
import { rumProject } from '../support/rum.js';

const ROOT = resolve(import.meta.dirname, '../..');
const KEY = 'b2c3d4e5f60718293a4b5c6d7e8f9a01';
const RELEASE = 'weather-web@3.0.0';

const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>Radar</title>
<script src="/sentry.js"></script>
<script src="/app.js"></script></head>
<body><h1>Rain radar</h1></body></html>`;

// The page's own code, a script of its own (its frames' module is the URL's path: "app").
// renderTile throws from two lines whose text is the same: with no context lines from the browser
// SDK, its two throws differ only in line (and column) numbers, so they are one group only when
// grouping ignores them. The uncaught throw from the timer is renderTile's too (same type, same
// message as the first caught one), but called from lateTile, not drawTiles: another stack, so
// another group, as in Sentry.
const app = (dsn: string) => `Sentry.init({ dsn: ${JSON.stringify(dsn)}, release: ${JSON.stringify(RELEASE)}, environment: 'test' });

function renderTile(n) {
  if (n === 1) {
    throw new TypeError('tile ' + n + ' has no data');
  }
  if (n === 2) {
    throw new TypeError('tile ' + n + ' has no data');
  }
  return n;
}

function drawTiles() {
  for (const n of [1, 2]) {
    try {
      renderTile(n);
    } catch (err) {
      Sentry.captureException(err);
    }
  }
}

function parseRadarFrame(frame) {
  throw new RangeError('radar frame ' + frame + ' is out of range');
}

function fetchRadarTiles() {
  throw new Error('radar tiles did not arrive');
}

function fetchRadarLegend() {
  throw new TypeError('radar legend is undefined');
}

drawTiles();
try {
  parseRadarFrame(12);
} catch (err) {
  Sentry.captureException(err);
}
Sentry.captureMessage('Radar layer failed to load');
try {
  fetchRadarTiles();
} catch (err) {
  Sentry.captureException(err, { fingerprint: ['radar-fetch'] });
}
try {
  fetchRadarLegend();
} catch (err) {
  Sentry.captureException(err, { fingerprint: ['radar-fetch'] });
}
setTimeout(function lateTile() {
  renderTile(1);
}, 0);
`;

interface Row {
  id: string;
  title: string;
  count: number;
  groupedBy: string;
  culprit: string;
}
interface Shown {
  events: { exceptions: { type?: string; frames: { function?: string; filename?: string; lineno?: number }[] }[] }[];
}

const hasChromium = existsSync(CHROMIUM);
let site: Server | undefined;
let collector: ProdxChild | undefined;
let context: BrowserContext | undefined;
afterAll(async () => {
  await context?.close();
  collector?.child.kill('SIGKILL');
  await collector?.exited;
  await new Promise((r) => (site ? site.close(r) : r(null)));
});

describe('@sentry/browser in Chromium reports to prodx collect', () => {
  // CI installs chromium (.ci/run); a developer machine without it skips this one test
  it.skipIf(!hasChromium && !process.env['CI'])(
    'groups as Sentry does: one function two lines, another call site, another function, a message, a fingerprint',
    async () => {
      // @sentry/browser ships only ES modules with dependencies (no CDN bundle in the npm package): one IIFE exposing `Sentry`
      const bundle = join(tempDir('prodx-sentry-browser-'), 'sentry.js');
      await build({
        stdin: { contents: "export * from '@sentry/browser';", resolveDir: ROOT, loader: 'js' },
        bundle: true,
        format: 'iife',
        globalName: 'Sentry',
        platform: 'browser',
        target: 'chrome110',
        outfile: bundle,
        logLevel: 'silent',
      });
      const sdk = await readFile(bundle);

      let appCode = '';
      site = createServer((req, res) => {
        if (req.url === '/radar') res.writeHead(200, { 'content-type': 'text/html' }).end(page);
        else if (req.url === '/sentry.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
        else if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(appCode);
        else if (req.url === '/favicon.ico') res.writeHead(204).end();
        else res.writeHead(404).end();
      });
      await new Promise<void>((r) => site!.listen(0, '127.0.0.1', r));
      const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
      const { config } = rumProject({ allowedOrigins: [origin] }, { errors: { sentryKeys: [KEY] } });

      collector = spawnProdx(['collect', '--json', '--config', config]);
      const url = (await collector.waitForLine((l) => typeof l['url'] === 'string', 'the collector to listen'))['url'] as string;
      // the collector is another origin than the page (another port): every envelope is a CORS request
      appCode = app(`${url.replace('http://', `http://${KEY}@`)}/42`);

      context = await launchChromium();
      const tab = await context.newPage();
      const pageErrors: string[] = [];
      const consoleErrors: string[] = [];
      const failed: string[] = [];
      const toCollector: { method: string; url: string; status: number; body: string }[] = [];
      const uncaught = new Promise<void>((done) =>
        tab.on('pageerror', (e) => {
          pageErrors.push(e.message);
          done();
        }),
      );
      tab.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      tab.on('requestfailed', (r) => failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
      tab.on('response', (r) => {
        if (r.url().startsWith(url))
          void r.text().then(
            (body) => toCollector.push({ method: r.request().method(), url: r.url(), status: r.status(), body }),
            () => toCollector.push({ method: r.request().method(), url: r.url(), status: r.status(), body: '(unreadable)' }),
          );
      });
      await tab.goto(`${origin}/radar`, { waitUntil: 'load' });
      await uncaught; // the timer's throw has reached the top (Sentry's wrapper captured it on the way)
      const flushed = await tab.evaluate('Sentry.flush(5000)');
      const evidence = JSON.stringify({ consoleErrors, failed, toCollector }, null, 2);
      expect(flushed, evidence).toBe(true);
      expect(pageErrors).toEqual(['tile 1 has no data']);
      expect(consoleErrors, evidence).toEqual([]);
      expect(failed, evidence).toEqual([]);

      const st = (await (await fetch(url)).json()) as { errors: { events: number; rejected: number; rejectedBy: object } };
      expect(st.errors, evidence).toMatchObject({ events: 7, rejected: 0 });

      const report = JSON.parse((await prodx(['errors', 'report', '--json', '--config', config])).stdout) as {
        groups: Row[];
        events: number;
        latestRelease: string;
      };
      const groups = JSON.stringify(report.groups, null, 2);
      expect(report.events).toBe(7);
      expect(report.latestRelease).toBe(RELEASE);
      const by = (pred: (g: Row) => boolean) => report.groups.filter(pred);

      // renderTile's two caught throws (two lines, same text, two messages): one group of 2, by
      // the stack; line numbers in it would make two groups of 1
      const caught = by((g) => g.title.startsWith('TypeError: tile ') && g.count === 2);
      expect(caught, groups).toHaveLength(1);
      expect(caught[0]).toMatchObject({ groupedBy: 'stacktrace', culprit: 'renderTile (app.js)' });
      // …and the two events of it were thrown from different lines of renderTile
      const shown = JSON.parse((await prodx(['errors', 'show', caught[0]!.id, '--json', '--config', config])).stdout) as Shown;
      const lines = shown.events.map((e) => e.exceptions[0]!.frames.at(-1)).map((f) => `${f?.function} ${f?.lineno}`);
      expect(lines).toHaveLength(2);
      expect(new Set(lines).size, lines.join(', ')).toBe(2);
      expect(lines.every((l) => l.startsWith('renderTile '))).toBe(true);

      // the uncaught one: renderTile again, the same title as the first caught, but from lateTile: a group of its own
      expect(
        by((g) => g.title === 'TypeError: tile 1 has no data' && g.count === 1),
        groups,
      ).toMatchObject([{ groupedBy: 'stacktrace', culprit: 'renderTile (app.js)' }]);
      expect(by((g) => g.title.startsWith('RangeError: radar frame'))).toMatchObject([
        { count: 1, groupedBy: 'stacktrace', culprit: 'parseRadarFrame (app.js)' },
      ]);
      expect(by((g) => g.title === 'Radar layer failed to load')).toMatchObject([{ count: 1, groupedBy: 'message' }]);
      // two exceptions of different types from different functions, one fingerprint: one group of 2
      expect(
        by((g) => g.groupedBy === 'fingerprint'),
        groups,
      ).toMatchObject([{ count: 2 }]);
      expect(by((g) => g.title.includes('radar tiles did not arrive') || g.title.includes('radar legend'))).toHaveLength(1);
      expect(report.groups, groups).toHaveLength(5);
    },
    60_000,
  );
});
