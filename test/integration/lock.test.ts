import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/adapters/state/lock.js';
import { ProdxError } from '../../src/core/errors.js';
import { tempDir } from '../support/cli.js';

describe('operation lock (.prodx/lock)', () => {
  it('is exclusive, names its holder, and is released by its owner only', () => {
    const dir = tempDir();
    const held = acquireLock(dir, 'deploy', 'production', 1_000);
    let error: unknown;
    try {
      acquireLock(dir, 'rollback', 'production', 61_000);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ProdxError);
    expect((error as ProdxError).exitCode).toBe(3);
    expect((error as ProdxError).message).toBe(
      `another prodx operation holds the lock: deploy on production by pid ${process.pid} on ${hostname()}, for 1m. Wait for it to finish, or remove ${join(dir, 'lock')} if that process is gone.`,
    );
    held.release();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    acquireLock(dir, 'rollback', 'production').release();
  });

  it('takes over a lock whose owner process is gone', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'lock'),
      JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), operation: 'deploy', environment: 'production', acquiredAt: 0 }),
    );
    const held = acquireLock(dir, 'rollback', 'production');
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8'))).toMatchObject({ pid: process.pid, operation: 'rollback' });
    held.release();
  });

  it('does not take over a fresh lock from another host (its owner cannot be checked)', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'lock'),
      JSON.stringify({ pid: 1, host: 'ci-runner-7', operation: 'deploy', environment: 'production', acquiredAt: Date.now() }),
    );
    expect(() => acquireLock(dir, 'rollback', 'production')).toThrow(/by pid 1 on ci-runner-7/);
  });
});
