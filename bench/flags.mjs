// Flags benchmarks, each a ratio against a baseline measured in the same run (interleaved, so
// machine noise hits both sides), printed as medians:
//   1. start-up of `prodx flags evaluate … --json` against `node -e 0` (target 2.0x or less);
//   2. evaluations per second through prodx's evaluator (src/core/flags/evaluator.ts, bundled
//      with esbuild as the CLI is) against calling @openfeature/flagd-core directly (target
//      0.9x or more). Both sides use the same flagd-core module from node_modules.
// Run with `node scripts/build.mjs && node bench/flags.mjs` (BENCH_RUNS to change the rounds).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const runs = Number(process.env.BENCH_RUNS ?? 31);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'prodx.js');
const dir = mkdtempSync(join(tmpdir(), 'prodx-bench-flags-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// --- 1. start-up -------------------------------------------------------------------------
copyFileSync(join(root, 'fixtures', 'flags', 'flags.json'), join(dir, 'flags.json'));
const config = join(dir, 'prodx.config.json');
writeFileSync(
  config,
  JSON.stringify({ app: 'weather', environments: { production: { targets: { blue: { url: 'http://127.0.0.1:8081' } } } } }),
);
const evaluateArgs = [
  bin,
  'flags',
  'evaluate',
  'new-forecast-engine',
  'user-42',
  '--context',
  'appVersion=3.4.0',
  'country=DE',
  '--json',
  '--config',
  config,
];
const time = (args) => {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
  return Number(process.hrtime.bigint() - start) / 1e6;
};
// prodx remembers the hashes of flags files that passed flagd's full schema check
// (.prodx/flags/validated.json), so a file is fully checked on its first load only: "cold" is
// that first load (the record removed before each run), "warm" every later one
const validated = join(dir, '.prodx', 'flags', 'validated.json');
time(['-e', '0']);
const check = JSON.parse(execFileSync(process.execPath, evaluateArgs, { encoding: 'utf8' }));
if (!check.ok) throw new Error(`the evaluate command failed: ${JSON.stringify(check)}`);
const base = [];
const cli = [];
const cold = [];
for (let i = 0; i < runs; i++) {
  base.push(time(['-e', '0']));
  cli.push(time(evaluateArgs));
  rmSync(validated, { force: true });
  cold.push(time(evaluateArgs));
}
const b = median(base);
const c = median(cli);
const k = median(cold);

// --- 2. evaluation throughput ------------------------------------------------------------
// inside node_modules so the bundle resolves flagd-core where the CLI would
const bundle = join(root, 'node_modules', '.cache', 'prodx-bench', 'flags-evaluator.mjs');
await build({
  absWorkingDir: root,
  entryPoints: [join(root, 'bench', 'flags-entry.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  outfile: bundle,
  // the same flagd-core (and its OpenFeature core) for both sides
  external: ['@openfeature/flagd-core', '@openfeature/core'],
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  logLevel: 'warning',
});
// the ESM entry, as the bundle imports it (it re-exports the one CommonJS build)
const { FlagdCore } = await import('@openfeature/flagd-core');
const { loadEvaluator } = await import(pathToFileURL(bundle).href);
const text = readFileSync(join(root, 'fixtures', 'flags', 'flags.json'), 'utf8');
const prodx = loadEvaluator(text);
const raw = new FlagdCore();
raw.setConfigurations(text);

const flags = Object.entries(JSON.parse(text).flags).map(([key, f]) => {
  const first = Object.values(f.variants)[0];
  const type = typeof first === 'object' ? 'object' : typeof first;
  return { key, type, fallback: type === 'boolean' ? false : type === 'string' ? '' : type === 'number' ? 0 : {} };
});
const contexts = Array.from({ length: 2000 }, (_, i) => ({
  targetingKey: `user-${i * 7919}`,
  country: ['DE', 'US', 'FR', 'NL'][i % 4],
  plan: ['free', 'plus', 'pro', 'team'][i % 4],
  appVersion: `${i % 5}.${i % 7}.0`,
  email: i % 9 === 0 ? `u${i}@weather.example` : `u${i}@example.com`,
}));
const resolvers = {
  boolean: 'resolveBooleanEvaluation',
  string: 'resolveStringEvaluation',
  number: 'resolveNumberEvaluation',
  object: 'resolveObjectEvaluation',
};
const evalRaw = () => {
  let n = 0;
  for (const ctx of contexts) for (const f of flags) n += raw[resolvers[f.type]](f.key, f.fallback, ctx).reason.length;
  return n;
};
const evalProdx = () => {
  let n = 0;
  for (const ctx of contexts) for (const f of flags) n += prodx.evaluate(f.key, ctx, f.fallback).reason.length;
  return n;
};
const perSecond = (fn) => {
  const start = process.hrtime.bigint();
  fn();
  return (contexts.length * flags.length) / (Number(process.hrtime.bigint() - start) / 1e9);
};
// warm up the JIT for both
for (let i = 0; i < 3; i++) {
  evalRaw();
  evalProdx();
}
const rawRate = [];
const prodxRate = [];
for (let i = 0; i < runs; i++) {
  // alternate which side goes first, so neither always runs on a warmer heap
  if (i % 2) prodxRate.push(perSecond(evalProdx));
  rawRate.push(perSecond(evalRaw));
  if (i % 2 === 0) prodxRate.push(perSecond(evalProdx));
}
rmSync(dir, { recursive: true, force: true });
rmSync(bundle, { force: true });
const r = median(rawRate);
const p = median(prodxRate);

console.log(`node -e 0                              median ${b.toFixed(1)} ms  (${runs} runs)`);
console.log(`prodx flags evaluate … --json          median ${c.toFixed(1)} ms  (${runs} runs, file checked before)`);
console.log(`start-up ratio ${(c / b).toFixed(2)}x  (target 2.0x or less)`);
console.log(`  first load of a new file (full schema check): median ${k.toFixed(1)} ms, ratio ${(k / b).toFixed(2)}x`);
console.log(`flagd-core directly                    median ${Math.round(r).toLocaleString('en-US')} evaluations/s`);
console.log(`prodx evaluator                        median ${Math.round(p).toLocaleString('en-US')} evaluations/s`);
console.log(`evaluation ratio ${(p / r).toFixed(2)}x  (target 0.9x or more)`);
