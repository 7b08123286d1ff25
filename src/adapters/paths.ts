// Locates files shipped with prodx (fixtures/) both from source (src/adapters/paths.ts under
// vitest) and from the esbuild bundle (dist/cli.js or a dist/chunk-*.js), where relative
// offsets from import.meta.url differ; walking up to our own package.json works for both.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'prodx';
let cachedRoot: string | undefined;

function packageNameAt(dir: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string' ? parsed.name : undefined;
  } catch {
    return undefined; // no package.json here, or an unreadable one: keep walking
  }
}

/** Absolute path of the prodx package root (the directory holding its package.json). */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (packageNameAt(dir) === PACKAGE_NAME) return (cachedRoot = dir);
    if (dirname(dir) === dir) break;
  }
  throw new Error(`cannot find the ${PACKAGE_NAME} package.json above ${start}`);
}

/** Absolute path of a file under the package's fixtures/ folder. */
export function fixturePath(...parts: string[]): string {
  return join(packageRoot(), 'fixtures', ...parts);
}
