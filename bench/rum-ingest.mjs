// Collector ingest: 4 keep-alive clients posting sendBeacon-style arrays of 10 events to
// `prodx collect` (validation, de-duplication, rollups and durable appends on), against a bare
// node:http server that only parses and appends the same bodies. Both servers run as their own
// process, the same client drives both, rounds interleave; medians of events per second and the
// ratio (target 0.8x or more).
// It also prints each server's CPU time per request (from /proc), which says where a gap comes
// from; BENCH_DEBUG=1 prints the client's CPU and the wall time per request of every round.
// Run with `node scripts/build.mjs && node bench/rum-ingest.mjs` (BENCH_REQUESTS per client, BENCH_RUNS).
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const perClient = Number(process.env.BENCH_REQUESTS ?? 1500);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const CLIENTS = 4;
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prodx-bench-ingest-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// the bodies: the shipped fixture, shifted to now, with ids fresh per request
const fixture = readFileSync(join(root, 'fixtures/rum/weather.ndjson'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const shift = Date.now() - Math.max(...fixture.map((e) => e.ts));
let round = 0;
const bodiesFor = (n) =>
  Array.from({ length: n }, (_, r) => {
    round++;
    return JSON.stringify(
      Array.from({ length: 10 }, (_, i) => {
        const e = { ...fixture[(r * 10 + i) % fixture.length] };
        e.ts += shift;
        if (e.id) e.id = `${e.id}~${round}`;
        return e;
      }),
    );
  });

const bare = `
const { createServer } = require('node:http');
const { openSync, writeSync } = require('node:fs');
const fd = openSync(process.argv[1], 'a');
const s = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const events = JSON.parse(body.toString('utf8'));
    writeSync(fd, body);
    writeSync(fd, '\\n');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, accepted: events.length }));
  });
});
s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + s.address().port })));
process.on('SIGTERM', () => s.close(() => process.exit(0)));`;

function start(args) {
  const child = spawn(process.execPath, args, { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.includes('"url"'));
      if (line) resolve({ child, url: JSON.parse(line).url });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

function post(url, agent, body) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/rum`, { method: 'POST', agent, headers: { 'content-type': 'text/plain;charset=UTF-8' } }, (res) => {
      let t = '';
      res.on('data', (c) => (t += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(t).accepted) : reject(new Error(`${res.statusCode} ${t}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function drive(url, n = perClient) {
  const bodies = Array.from({ length: CLIENTS }, () => bodiesFor(n));
  const agents = bodies.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const startAt = process.hrtime.bigint();
  const counts = await Promise.all(
    bodies.map(async (list, c) => {
      let n = 0;
      for (const b of list) n += await post(url, agents[c], b);
      return n;
    }),
  );
  const s = Number(process.hrtime.bigint() - startAt) / 1e9;
  for (const a of agents) a.destroy();
  return counts.reduce((a, b) => a + b, 0) / s;
}

// the server's CPU time (user + system, from /proc) per request: where the time goes
const cpuPerRequest = [[], []];
const TICK_US = 1e6 / 100;
function cpuOf(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_US;
  } catch {
    return NaN;
  }
}

async function once(kind, i) {
  const sub = join(dir, `${kind}-${i}`);
  let srv;
  if (kind === 'bare')
    srv = await start([
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []),
      ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
      '-e',
      bare,
      join(dir, `bare-${i}.ndjson`),
    ]);
  else {
    const config = join(dir, `prodx-${i}.config.json`);
    writeFileSync(
      config,
      JSON.stringify({
        app: 'weather',
        stateDir: sub,
        environments: { production: { targets: { blue: { url: 'http://127.0.0.1:1' } } } },
        collector: { port: 0, ratePerClient: 1e9, burst: 1e9 },
      }),
    );
    srv = await start([
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []),
      ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
      join(root, 'bin/prodx.js'),
      'collect',
      '--json',
      '--config',
      config,
    ]);
  }
  // a collector is a long-running service: what counts is its steady state, so each server first
  // takes an untimed burst (the JIT compiles its hot path), then the timed one
  await drive(srv.url, Math.ceil(perClient / 3));
  const cpu0 = cpuOf(srv.child.pid);
  const me0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  const rate = await drive(srv.url);
  const me = process.cpuUsage(me0);
  if (process.env.BENCH_DEBUG)
    console.error(
      kind,
      'client cpu per request',
      ((me.user + me.system) / (CLIENTS * perClient)).toFixed(0),
      'us; wall per request',
      (Number(process.hrtime.bigint() - w0) / 1e3 / (CLIENTS * perClient)).toFixed(0),
      'us; server',
      ((cpuOf(srv.child.pid) - cpu0) / (CLIENTS * perClient)).toFixed(0),
    );
  cpuPerRequest[kind === 'bare' ? 0 : 1].push((cpuOf(srv.child.pid) - cpu0) / (CLIENTS * perClient));
  srv.child.kill('SIGTERM');
  await new Promise((r) => srv.child.once('exit', r));
  return rate;
}

const bareRates = [];
const collectorRates = [];
for (let i = 0; i < runs; i++) {
  bareRates.push(await once('bare', i));
  collectorRates.push(await once('prodx', i));
}
const [b, c] = [median(bareRates), median(collectorRates)];
const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(
  `bare node:http parse + append   median ${fmt(b)} events/s  (${runs} runs, ${CLIENTS} keep-alive clients x ${perClient} arrays of 10)`,
);
console.log(`prodx collect                   median ${fmt(c)} events/s`);
if (cpuPerRequest[0].every(Number.isFinite))
  console.log(`server CPU per request: bare ${median(cpuPerRequest[0]).toFixed(0)} us, prodx ${median(cpuPerRequest[1]).toFixed(0)} us`);
console.log(`ratio ${(c / b).toFixed(2)}x  (target 0.8x or more)`);
rmSync(dir, { recursive: true, force: true });
