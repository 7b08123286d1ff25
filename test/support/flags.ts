// Test helpers for the flags feature: a temp project with the fixture flags file and a config
// pointing at it, and a seeded user generator.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '../../src/adapters/paths.js';
import { tempDir } from './cli.js';

export interface FlagsProject {
  dir: string;
  config: string;
  flags: string;
  stateDir: string;
  read(): string;
}

/** A folder with the fixture flags.json and a config: `staging` open, `production` protected. */
export function flagsProject(extra: Record<string, unknown> = {}): FlagsProject {
  const dir = tempDir('prodx-flags-');
  const flags = join(dir, 'flags.json');
  copyFileSync(fixturePath('flags', 'flags.json'), flags);
  const config = join(dir, 'prodx.config.json');
  const target = { targets: { blue: { url: 'http://127.0.0.1:1' } } };
  writeFileSync(
    config,
    JSON.stringify({
      app: 'weather',
      environments: { staging: target, production: { ...target, protected: true } },
      flags: { file: 'flags.json' },
      ...extra,
    }),
  );
  return { dir, config, flags, stateDir: join(dir, '.prodx'), read: () => readFileSync(flags, 'utf8') };
}

/** mulberry32: a seeded PRNG, so a failure reproduces */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` random user ids */
export function randomUsers(n: number, seed: number): string[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => `user-${Math.floor(r() * 2 ** 48).toString(36)}`);
}
