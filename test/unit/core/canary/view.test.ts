import { describe, expect, it } from 'vitest';
import { canaryView, isCurrentCanary } from '../../../../src/core/canary/view.js';
import { canaryHistory } from '../../../../src/core/canary/history.js';
import { emptyEnvironmentState, type CanaryRun, type HistoryEntry } from '../../../../src/core/state/schema.js';

const run = (patch: Partial<CanaryRun> = {}): CanaryRun => ({
  id: 'c1',
  version: '1.1.0',
  by: 'a',
  startedAt: 100,
  canaryColour: 'green',
  stableColour: 'blue',
  stableVersion: '1.0.0',
  steps: [10, 50, 100],
  intervalMs: 1000,
  setup: 'ready',
  state: { phase: 'progressing', step: 0, failed: 0, since: 100 },
  weightsBefore: { blue: 100, green: 0 },
  analysis: [],
  ...patch,
});

describe('the canary view', () => {
  it('during setup the canary has 0% of the traffic, and only abort or rollback apply', () => {
    const v = canaryView(run({ setup: 'releasing' }), 0);
    expect(v).toMatchObject({ phase: 'releasing', percent: 0, words: 'releasing 1.1.0 onto green' });
    expect(v.refusals.promote).toMatch(/still releasing/);
    expect(v.refusals.abort).toBeNull();
  });
  it('says which requests apply and why not in the lifecycle’s words', () => {
    const v = canaryView(run({ state: { phase: 'paused', step: 1, failed: 0, until: null, then: 'same' } }), 0);
    expect(v).toMatchObject({ phase: 'paused', percent: 50, words: 'paused at step 2/3 (50%) until promoted or resumed' });
    expect(v.refusals.pause).toBe('the canary is already paused');
    expect(v.refusals.resume).toBeNull();
    const done = canaryView(run({ endedAt: 9, state: { phase: 'promoted', at: 9 } }), 0);
    expect(done.refusals.abort).toBe('the canary of 1.1.0 is already promoted: there is nothing to abort');
  });
  it('is current until a later deploy or rollback replaces it; then it is history', () => {
    const ended = run({ endedAt: 200, state: { phase: 'aborted', step: 0, reason: 'x', at: 200 } });
    const s = { ...emptyEnvironmentState(), canary: ended };
    expect(isCurrentCanary(s)).toBe(true);
    const later: HistoryEntry = {
      id: 'd9',
      kind: 'deploy',
      version: '2.0.0',
      strategy: 'blue-green',
      by: 'a',
      startedAt: 300,
      result: 'succeeded',
    };
    expect(isCurrentCanary({ ...s, history: [later] })).toBe(false);
  });
  it('numbers earlier runs, newest first, old entries without a revision by their order', () => {
    const h = (id: string, revision?: number): HistoryEntry => ({
      id,
      kind: 'canary',
      version: id,
      strategy: 'canary',
      by: 'a',
      startedAt: 1,
      result: 'aborted',
      ...(revision ? { revision } : {}),
    });
    expect(canaryHistory([h('a'), h('b'), h('c', 7), h('d')]).map((r) => [r.id, r.revision])).toEqual([
      ['d', 8],
      ['c', 7],
      ['b', 2],
      ['a', 1],
    ]);
  });
});
