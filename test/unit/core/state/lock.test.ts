import { describe, expect, it } from 'vitest';
import { holderAlive, liveRunner, roleOf, type LockInfo } from '../../../../src/core/state/lock.js';

const lock: LockInfo = { pid: 42, host: 'ci-1', role: 'deploy', operation: 'deploy 1.0.0', environment: 'production', acquiredAt: 1_000 };
const l = (over: Partial<Parameters<typeof holderAlive>[1]> = {}) => ({
  host: 'ci-1',
  now: 2_000,
  pidAlive: () => true,
  staleAfterMs: 3_600_000,
  ...over,
});

describe('holderAlive', () => {
  it('on the same host, is alive exactly while the owner pid exists', () => {
    expect(holderAlive(lock, l({ pidAlive: () => true }))).toBe(true);
    expect(holderAlive(lock, l({ pidAlive: (pid) => pid !== 42 }))).toBe(false);
  });
  it('on another host, is presumed alive until staleAfterMs', () => {
    expect(holderAlive(lock, l({ host: 'laptop', now: 1_000 + 3_600_000 }))).toBe(true);
    expect(holderAlive(lock, l({ host: 'laptop', now: 1_001 + 3_600_000 }))).toBe(false);
  });
});

describe('liveRunner: the one rule for "a live prodx runs this canary"', () => {
  it('is the lock only when its role is canary-runner and its holder lives', () => {
    const runner = { ...lock, role: 'canary-runner' as const, operation: 'canary 1.1.0' };
    expect(liveRunner(runner, l())).toBe(runner);
    expect(liveRunner(runner, l({ pidAlive: () => false }))).toBeNull();
    expect(liveRunner({ ...runner, role: 'canary-control' }, l())).toBeNull();
    expect(liveRunner(lock, l())).toBeNull();
    expect(liveRunner(null, l())).toBeNull();
  });
  it('reads the role of a lock an older prodx wrote from its operation', () => {
    expect(roleOf('canary 1.1.0')).toBe('canary-runner');
    expect(roleOf('canary --resume')).toBe('canary-runner');
    expect(roleOf('canary abort')).toBe('canary-control');
    expect(roleOf('rollback')).toBe('rollback');
    expect(roleOf('deploy --resume')).toBe('deploy');
  });
});
