// Tests drive the real built binary (bin/prodx.js → dist/), so build once before any test runs.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
