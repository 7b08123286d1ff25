import { describe, expect, it } from 'vitest';
import { isLockStale, type LockInfo } from '../../../../src/core/state/schema.js';

const lock: LockInfo = { pid: 42, host: 'ci-1', operation: 'deploy', environment: 'production', acquiredAt: 1_000 };
const ctx = (over: Partial<Parameters<typeof isLockStale>[1]>) => ({
  host: 'ci-1',
  now: 2_000,
  pidAlive: () => true,
  staleAfterMs: 3_600_000,
  ...over,
});

describe('isLockStale', () => {
  it('on the same host, is stale exactly when the owner pid is gone', () => {
    expect(isLockStale(lock, ctx({ pidAlive: () => true }))).toBe(false);
    expect(isLockStale(lock, ctx({ pidAlive: (pid) => pid !== 42 }))).toBe(true);
  });
  it('on another host, is stale only after staleAfterMs', () => {
    expect(isLockStale(lock, ctx({ host: 'laptop', now: 1_000 + 3_600_000 }))).toBe(false);
    expect(isLockStale(lock, ctx({ host: 'laptop', now: 1_001 + 3_600_000 }))).toBe(true);
  });
});
