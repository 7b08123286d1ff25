// Tests drive the real built binary (bin/prodx.js → dist/), so build once before any test runs.
// The binaries the tests start keep their config cache (src/adapters/config/cache.ts) in a
// folder of this run, not in the home of whoever runs the suite; it goes when the run ends.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const cache = mkdtempSync(join(tmpdir(), 'prodx-test-cache-'));
  process.env['XDG_CACHE_HOME'] = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
