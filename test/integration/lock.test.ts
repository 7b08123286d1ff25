// The local LockPort: one O_EXCL lock file per environment under <stateDir>/locks/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envLockFile, localLocks } from '../../src/adapters/state/lock.js';
import { ProdxError } from '../../src/core/errors.js';
import { tempDir } from '../support/cli.js';

describe('environment locks (<stateDir>/locks/<env>.lock)', () => {
  it('is exclusive per environment, names its holder and role, and is released by its owner only', async () => {
    const dir = tempDir();
    const locks = localLocks(dir);
    const held = await locks.acquire('production', 'deploy', 'deploy 1.4.0', 1_000);
    const error = await locks.acquire('production', 'rollback', 'rollback', 61_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProdxError);
    expect((error as ProdxError).exitCode).toBe(3);
    expect((error as ProdxError).message).toBe(
      `another prodx operation holds the lock of production: deploy 1.4.0 by pid ${process.pid} on ${hostname()}, for 1m. Wait for it to finish, or remove ${envLockFile(dir, 'production')} if that process is gone.`,
    );
    // another environment is not held up
    const staging = await locks.acquire('staging', 'deploy', 'deploy 2.0.0', 2_000);
    expect(await locks.read('staging')).toMatchObject({ role: 'deploy', environment: 'staging' });
    await staging.release();
    await held.release();
    expect(existsSync(envLockFile(dir, 'production'))).toBe(false);
    await (await locks.acquire('production', 'rollback', 'rollback', 3_000)).release();
  });

  it('takes over a lock whose owner process is gone, and says whose it was', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'locks'));
    const dead = { pid: 2 ** 22 + 17, host: hostname(), operation: 'deploy 1.0.0', environment: 'production', acquiredAt: 0 };
    writeFileSync(envLockFile(dir, 'production'), JSON.stringify(dead));
    const held = await localLocks(dir).acquire('production', 'rollback', 'rollback', Date.now());
    expect(held.takenOver).toMatchObject({ pid: dead.pid, role: 'deploy' });
    expect(JSON.parse(readFileSync(envLockFile(dir, 'production'), 'utf8'))).toMatchObject({ pid: process.pid, role: 'rollback' });
    await held.release();
  });

  it('does not take over a fresh lock from another host (its owner cannot be checked)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'locks'));
    writeFileSync(
      envLockFile(dir, 'production'),
      JSON.stringify({
        pid: 1,
        host: 'ci-runner-7',
        role: 'deploy',
        operation: 'deploy',
        environment: 'production',
        acquiredAt: Date.now(),
      }),
    );
    await expect(localLocks(dir).acquire('production', 'rollback', 'rollback', Date.now())).rejects.toThrow(/by pid 1 on ci-runner-7/);
  });
});
