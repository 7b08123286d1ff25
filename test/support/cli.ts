// Runs the built prodx binary as a user (or CI) would: a child process, no terminal.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// PRODX_BIN runs the tests against another build (e.g. an older commit's, to see a defect test fail there)
export const BIN = process.env['PRODX_BIN'] ?? resolve(import.meta.dirname, '../../bin/prodx.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function prodx(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: opts.cwd ?? process.cwd(), env: { ...process.env, CI: 'true', NO_COLOR: '1', ...opts.env }, timeout: 60_000 },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const made: string[] = [];

/** A fresh folder under the system's temp folder; removeTempDirs (after each test file) deletes it. */
export function tempDir(prefix = 'prodx-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Writes a config with the given targets into a fresh folder; returns its path. */
export function writeConfig(
  targets: Record<string, string>,
  health: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): string {
  const dir = tempDir();
  const path = join(dir, 'prodx.config.json');
  const config = {
    app: 'weather',
    environments: {
      production: {
        targets: Object.fromEntries(Object.entries(targets).map(([name, url]) => [name, { url }])),
        health: { interval: '200ms', timeout: '500ms', healthyThreshold: 2, unhealthyThreshold: 2, ...health },
      },
    },
    ...extra,
  };
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** No user mistake may print a stack trace. */
export function expectNoStack(text: string): boolean {
  return !/\n\s+at .+:\d+:\d+/.test(text) && !/Error: .*\n\s+at /.test(text);
}
