// `npm run conformance -- [dir]`: bundles scripts/conformance/main.ts with esbuild (as the CLI
// and the benchmarks are: prodx's TypeScript, with node_modules resolved where they lie) and runs
// it against the flagd test bed in `dir` (default ../shared/flagd-testbed) and bin/prodx.js,
// which `npm run conformance` builds first.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'node_modules', '.cache', 'prodx-conformance', 'main.mjs');
await build({
  absWorkingDir: root,
  entryPoints: [join(root, 'scripts', 'conformance', 'main.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outfile: out,
  logLevel: 'warning',
});
const dir = process.argv[2] ?? join(root, '..', 'shared', 'flagd-testbed');
const run = spawnSync(process.execPath, [out, dir, join(root, 'bin', 'prodx.js')], { stdio: 'inherit' });
process.exit(run.status ?? 1);
