// Start-up cost of `prodx status --json` (no network: it reads config and state only), as a
// ratio to bare `node -e 0` measured in the same run, interleaved so machine noise hits both.
// Prints medians; the target is a ratio of 2.0 or less. Run with `npm run bench`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.env.BENCH_RUNS ?? 31);
const bin = fileURLToPath(new URL('../bin/prodx.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prodx-bench-'));
const config = join(dir, 'prodx.config.json');
writeFileSync(
  config,
  JSON.stringify({
    app: 'weather',
    environments: {
      production: { targets: { blue: { url: 'http://127.0.0.1:8081' }, green: { url: 'http://127.0.0.1:8082' } } },
      staging: { targets: { blue: { url: 'http://127.0.0.1:9081' } } },
    },
  }),
);
mkdirSync(join(dir, '.prodx'));
const history = Array.from({ length: 200 }, (_, i) => ({
  id: `d${i}`,
  version: `1.${i}.0`,
  strategy: 'blue-green',
  by: 'ci@runner',
  startedAt: i * 1000,
  endedAt: i * 1000 + 500,
  result: 'succeeded',
}));
writeFileSync(
  join(dir, '.prodx', 'state.json'),
  JSON.stringify({
    schemaVersion: 1,
    environments: {
      production: { live: { colour: 'blue', version: '1.199.0', since: 0 }, colours: { blue: { version: '1.199.0' } }, history },
    },
  }),
);

const time = (args) => {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// warm the file cache for both, then interleave
time(['-e', '0']);
time([bin, 'status', '--json', '--config', config]);
const base = [];
const prodx = [];
for (let i = 0; i < runs; i++) {
  base.push(time(['-e', '0']));
  prodx.push(time([bin, 'status', '--json', '--config', config]));
}
rmSync(dir, { recursive: true, force: true });
const b = median(base);
const p = median(prodx);
console.log(`node -e 0                  median ${b.toFixed(1)} ms  (${runs} runs)`);
console.log(`prodx status --json        median ${p.toFixed(1)} ms  (${runs} runs)`);
console.log(`ratio ${(p / b).toFixed(2)}x  (target 2.0x or less)`);
