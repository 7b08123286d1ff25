// `prodx rum report --json --window 24h` over a million stored beacons, against a plain readline
// + JSON.parse loop over the same events (the raw NDJSON segments), each in its own process and
// interleaved; medians, the ratio (target 0.25x or less: the rollups make a report independent
// of the raw volume) and the report's peak RSS (target under 150 MiB).
// Run with `node scripts/build.mjs && node bench/rum-report.mjs` (BENCH_EVENTS, BENCH_RUNS).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prodx-bench-rum-'));
const config = join(dir, 'prodx.config.json');
writeFileSync(
  config,
  JSON.stringify({ app: 'weather', environments: { production: { targets: { blue: { url: 'http://127.0.0.1:1' } } } } }),
);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const env = { ...process.env, CI: 'true', PRODX_NO_CACHE: '1' };

console.log(`storing ${events.toLocaleString('en-US')} beacons with \`prodx simulate rum --to state\` …`);
execFileSync(
  process.execPath,
  [join(root, 'bin/prodx.js'), 'simulate', 'rum', '--to', 'state', '--count', String(events), '--config', config],
  { env, stdio: 'inherit' },
);
const rumDir = join(dir, '.prodx', 'events', 'rum');
const segments = readdirSync(rumDir)
  .filter((n) => n.endsWith('.ndjson'))
  .map((n) => join(rumDir, n));

const baseline = `
const { createReadStream } = require('node:fs');
const { createInterface } = require('node:readline');
(async () => {
  let n = 0;
  for (const f of ${JSON.stringify(segments)}) for await (const line of createInterface({ input: createReadStream(f) })) if (line) { JSON.parse(line); n++; }
  console.log(n);
})();`;
const time = (args) => {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, stdout: r.stdout, stderr: r.stderr };
};
const reportArgs = [join(root, 'bench/support/rss.mjs'), 'rum', 'report', '--json', '--window', '24h', '--config', config];
const first = time(reportArgs);
const report = JSON.parse(first.stdout);
const raw = [];
const rep = [];
const rss = [];
for (let i = 0; i < runs; i++) {
  raw.push(time(['-e', baseline]).ms);
  const r = time(reportArgs);
  rep.push(r.ms);
  rss.push(Number(/maxRSS (\d+)/.exec(r.stderr)[1]) / 1024);
}
const [b, r] = [median(raw), median(rep)];
console.log(`readline + JSON.parse over the segments  median ${b.toFixed(0)} ms  (${runs} runs)`);
console.log(
  `prodx rum report --json --window 24h    median ${r.toFixed(0)} ms  (${runs} runs; ${report.events.toLocaleString('en-US')} events after de-duplication)`,
);
console.log(`ratio ${(r / b).toFixed(3)}x  (target 0.25x or less)`);
console.log(`report peak RSS median ${median(rss).toFixed(0)} MiB  (target under 150 MiB)`);
rmSync(dir, { recursive: true, force: true });
