// Grouping 200,000 error events with stacks, against a plain readline + JSON.parse loop over the
// same NDJSON file. The events are copies of one the real @sentry/node makes on this machine
// (about 6 KB: contexts, modules, breadcrumbs, frames with source lines), varied below; a thin
// hand-made event of 1 KB makes the parse cheap and the ratio about 4x, which no SDK sends. prodx's side is what the collector does per event: JSON.parse, the Sentry
// event check (fromSentryEvent), Sentry-like grouping (in-app rules, frame components, message
// placeholders, sha-256) and the hourly rollup per group. Both sides run in their own process;
// rounds interleave; medians. Peak RSS is printed at two sizes to show it is flat in N.
// The core modules are bundled from src/ with esbuild into a temporary file (the built CLI has no
// entry point for one function). Run with `node bench/errors-group.mjs` (BENCH_EVENTS, BENCH_RUNS).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const N = Number(process.env.BENCH_EVENTS ?? 200_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prodx-bench-errors-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// events: what the real @sentry/node sends. One event is captured from the SDK itself (beforeSend,
// nothing leaves the machine): contexts, modules, breadcrumbs, frames with their source lines.
// Copies vary it the way a weather app's errors vary: eight functions, their callers, line
// numbers, users, releases, numbers in the messages, browser assets with hashed names.
const captureScript = join(root, 'bench', '.errors-capture.mjs');
writeFileSync(
  captureScript,
  `import * as Sentry from '@sentry/node';
let captured;
Sentry.init({ dsn: 'http://key@127.0.0.1:9/1', release: 'weather@4.2.0', environment: 'production', tracesSampleRate: 0,
  beforeSend(e) { captured = e; return null; } });
Sentry.addBreadcrumb({ category: 'http', message: 'GET /v2/forecast/berlin 200', level: 'info' });
Sentry.addBreadcrumb({ category: 'console', message: 'cache miss for berlin', level: 'log' });
Sentry.setUser({ id: 'u-17' });
Sentry.setTag('route', '/api/forecast');
function renderForecast(days) { return days.map((d) => d.temp.max); }
try { renderForecast([{}]); } catch (err) { Sentry.captureException(err); }
await Sentry.flush(2000);
delete captured.sdkProcessingMetadata;
process.stdout.write(JSON.stringify(captured));
`,
);
let template;
try {
  template = execFileSync(process.execPath, [captureScript], { encoding: 'utf8' });
} finally {
  rmSync(captureScript, { force: true });
}
let seed = 3;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const FUNCS = ['renderTiles', 'drawRadar', 'fetchForecast', 'parseDays', 'formatSunrise', 'alertsBanner', 'checkout', 'loadCity'];
function event(i) {
  const e = JSON.parse(template);
  const fn = FUNCS[i % FUNCS.length];
  const caller = FUNCS[(i >> 3) % FUNCS.length];
  const file =
    i % 2 === 0 ? `https://weather.example/assets/${fn}.${(i % 5).toString(16).padStart(8, 'a')}.js` : `/srv/weather/server/${fn}.js`;
  e.event_id = i.toString(16).padStart(32, '0');
  e.timestamp = 1_796_000_000 + i / 100;
  e.release = `weather@4.${i % 3}.0`;
  e.user = { id: `u-${Math.floor(rand() * 5000)}` };
  const x = e.exception.values[0];
  x.type = i % 7 === 0 ? 'RangeError' : 'TypeError';
  x.value = `Cannot read properties of undefined (reading 'x${i % 4}') after ${Math.floor(rand() * 1e6)}ms`;
  let k = 0;
  for (const f of x.stacktrace.frames)
    if (f.in_app) {
      f.filename = f.abs_path = file;
      f.module = undefined;
      f.function = k++ % 2 === 0 ? caller : fn;
      f.lineno = 10 + Math.floor(rand() * 400);
      f.context_line = `  const v = ${f.function}(input.x${i % 4});`;
    }
  return e;
}

async function writeEvents(file, n) {
  const out = createWriteStream(file);
  for (let i = 0; i < n; i++) if (!out.write(`${JSON.stringify(event(i))}\n`)) await new Promise((r) => out.once('drain', r));
  await new Promise((r) => out.end(r));
}

// the two programs: the same readline loop, one only parses
const entry = join(root, 'bench', '.errors-group-entry.mjs');
writeFileSync(
  entry,
  `import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fromSentryEvent } from '../src/core/errors/sentry.ts';
import { groupEvent } from '../src/core/errors/grouping.ts';
import { ErrorsRollup } from '../src/core/errors/rollup.ts';
const [file, mode] = process.argv.slice(2);
const o = { fingerprintRules: [], categoryRules: [], notInApp: [] };
const rollup = new ErrorsRollup(0);
let n = 0;
const t = process.hrtime.bigint();
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  const raw = JSON.parse(line);
  if (mode === 'prodx') {
    const c = fromSentryEvent(raw, { project: 'bench', now: 1_796_000_000_000, newId: () => '0'.repeat(32) });
    if (c.ok) rollup.add(groupEvent(c.event, o));
  }
  n++;
}
const ms = Number(process.hrtime.bigint() - t) / 1e6;
console.log(JSON.stringify({ n, ms, groups: rollup.groups.size, rssMiB: process.resourceUsage().maxRSS / 1024 }));
`,
);
const bundle = join(dir, 'group.mjs');
try {
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'warning' });
} finally {
  if (!process.env.BENCH_KEEP) rmSync(entry, { force: true });
}
const once = (file, mode) => JSON.parse(execFileSync(process.execPath, [bundle, file, mode], { encoding: 'utf8' }));

const big = join(dir, 'events.ndjson');
const small = join(dir, 'events-quarter.ndjson');
await writeEvents(big, N);
await writeEvents(small, Math.floor(N / 4));
once(big, 'parse');
once(big, 'prodx');
const parse = [];
const prodx = [];
let last;
for (let i = 0; i < runs; i++) {
  parse.push(once(big, 'parse').ms);
  last = once(big, 'prodx');
  prodx.push(last.ms);
}
const quarter = once(small, 'prodx');
const [p, g] = [median(parse), median(prodx)];
console.log(`readline + JSON.parse          median ${p.toFixed(0)} ms  (${N.toLocaleString('en-US')} events, ${runs} runs)`);
console.log(`+ check, group, roll up        median ${g.toFixed(0)} ms  (${last.groups} groups)`);
console.log(`ratio ${(g / p).toFixed(2)}x  (target 2.0x or less)`);
console.log(
  `peak RSS grouping ${quarter.n.toLocaleString('en-US')} events ${quarter.rssMiB.toFixed(0)} MiB, ${last.n.toLocaleString('en-US')} events ${last.rssMiB.toFixed(0)} MiB`,
);
if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
else console.log(dir);
