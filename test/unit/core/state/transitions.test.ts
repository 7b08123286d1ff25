import { describe, expect, it } from 'vitest';
import { emptyEnvironmentState, type ActiveDeployment, type HistoryEntry } from '../../../../src/core/state/schema.js';
import { activeDeployment } from '../../../support/records.js';
import { appendHistory, completeDeploy, HISTORY_LIMIT, installed, nextRevision } from '../../../../src/core/state/transitions.js';

const a: ActiveDeployment = activeDeployment({ startedAt: 10, phaseStartedAt: 10 });
const entry = (i: number): HistoryEntry => ({
  id: `${i}`,
  version: '1',
  strategy: 'blue-green',
  by: 'a',
  startedAt: i,
  result: 'succeeded',
  reason: 'x',
});

describe('state transitions', () => {
  it('completing an adopted deploy records what the live colour ran, so it can be rolled back', () => {
    // no state before: prodx learned blue was live and probed its version (fromVersion)
    const s = completeDeploy(emptyEnvironmentState(), a, 100, 1_000);
    expect(s.live).toEqual({ colour: 'green', version: '2.0.0', since: 100 });
    expect(s.previous).toEqual({ colour: 'blue', version: '1.0.0', until: 1_100 });
    expect(s.colours).toMatchObject({ blue: { version: '1.0.0' }, green: { version: '2.0.0' } });
    expect(s.active).toBeNull();
  });
  it('installing onto the previous colour ends the instant rollback to it', () => {
    const s = installed({ ...emptyEnvironmentState(), previous: { colour: 'blue', version: '1.0.0', until: 9 } }, 'blue', '1.4.0', 5);
    expect(s.previous).toBeNull();
    expect(s.colours['blue']).toEqual({ version: '1.4.0', updatedAt: 5 });
  });
  it('history keeps the newest entries up to its one limit, each reason bounded to a line', () => {
    let s = emptyEnvironmentState();
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) s = appendHistory(s, entry(i));
    s = appendHistory(s, { ...entry(999), reason: `${'x'.repeat(10_000_000)}\nsecond line` });
    expect(s.history).toHaveLength(HISTORY_LIMIT);
    expect(s.history[0]!.id).toBe('6');
    expect(s.history.at(-1)!.reason!.length).toBeLessThanOrEqual(300);
    expect(s.history.at(-1)!.reason).not.toContain('\n');
  });
  it('numbers canary runs', () => {
    const s = appendHistory(emptyEnvironmentState(), { ...entry(1), kind: 'canary', strategy: 'canary', revision: 4 });
    expect(nextRevision(s)).toBe(5);
    expect(nextRevision(emptyEnvironmentState())).toBe(1);
  });
});
