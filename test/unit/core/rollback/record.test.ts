import { describe, expect, it } from 'vitest';
import { planRollback, type ActionablePlan } from '../../../../src/core/rollback/plan.js';
import { recordRollback, rollbackIntent } from '../../../../src/core/rollback/record.js';
import { activeDeployment } from '../../../support/records.js';
import { emptyEnvironmentState, type EnvironmentState } from '../../../../src/core/state/schema.js';

const o = { environment: 'production', colours: ['blue', 'green'] };
const r = { by: 'alice@laptop', startedAt: 1_000, now: 3_000, keepMs: 600_000 };

describe('recordRollback: one write for the outcome', () => {
  const afterDeploy: EnvironmentState = {
    ...emptyEnvironmentState(),
    live: { colour: 'green', version: '2.0.0', since: 0 },
    previous: { colour: 'blue', version: '1.0.0', until: 9 },
    colours: { blue: { version: '1.0.0' }, green: { version: '2.0.0' } },
  };
  const plan = planRollback(afterDeploy, o) as ActionablePlan;

  it('a rollback that happened: the target is live, the colour left is previous, the history says how long it took', () => {
    const s = recordRollback(afterDeploy, plan, { ...r, ok: true });
    expect(s.live).toMatchObject({ colour: 'blue', version: '1.0.0', since: 3_000 });
    expect(s.previous).toEqual({ colour: 'green', version: '2.0.0', until: 603_000 });
    expect(s.history.at(-1)).toMatchObject({
      kind: 'rollback',
      strategy: 'previous-colour',
      result: 'succeeded',
      recoveryMs: 2_000,
      fromColour: 'green',
      toColour: 'blue',
      version: '1.0.0',
    });
  });

  it('a rollback that failed is in the history with its reason, and nothing else changed', () => {
    const s = recordRollback(afterDeploy, plan, { ...r, ok: false, reason: 'cannot roll back to blue: connection refused' });
    expect(s.live).toEqual(afterDeploy.live);
    expect(s.previous).toEqual(afterDeploy.previous);
    expect(s.history.at(-1)).toMatchObject({ kind: 'rollback', result: 'failed', reason: 'cannot roll back to blue: connection refused' });
  });

  it('undoing an interrupted deploy ends it (rolled back) and records the rollback', () => {
    const s0: EnvironmentState = {
      ...emptyEnvironmentState(),
      live: { colour: 'blue', version: '1.0.0', since: 0 },
      active: activeDeployment({ by: 'ci' }),
    };
    const p = planRollback(s0, o) as ActionablePlan;
    const intent = rollbackIntent(s0, p, r.by, 2_000);
    expect(intent.active).toMatchObject({ phase: 'rolling-back', reason: 'rolled back by alice@laptop' });
    const s = recordRollback(intent, p, { ...r, ok: true });
    expect(s.active).toBeNull();
    expect(s.history.map((h) => [h.kind, h.result])).toEqual([
      ['deploy', 'rolled-back'],
      ['rollback', 'succeeded'],
    ]);
    expect(s.live).toMatchObject({ colour: 'blue', version: '1.0.0', since: 0 });
  });
});
