import { describe, expect, it } from 'vitest';
import { describeRollback, planRollback } from '../../../../src/core/rollback/plan.js';
import { installed } from '../../../../src/core/state/transitions.js';
import { activeDeployment } from '../../../support/records.js';
import { emptyEnvironmentState, type CanaryRun, type EnvironmentState } from '../../../../src/core/state/schema.js';

const o = { environment: 'production', colours: ['blue', 'green'] };
const env = (patch: Partial<EnvironmentState>): EnvironmentState => ({ ...emptyEnvironmentState(), ...patch });
const active = activeDeployment;
const run = (patch: Partial<CanaryRun>): CanaryRun => ({
  id: 'c1',
  version: '1.1.0',
  by: 'a',
  startedAt: 0,
  canaryColour: 'green',
  stableColour: 'blue',
  stableVersion: '1.0.0',
  steps: [5, 10, 25, 50, 100],
  intervalMs: 1000,
  setup: 'ready',
  state: { phase: 'progressing', step: 1, failed: 0, since: 0 },
  weightsBefore: { blue: 100, green: 0 },
  analysis: [],
  ...patch,
});

describe('planRollback: one plan for the CLI, --json, the dashboard and the operation', () => {
  it('after a completed deploy: the previous colour, gated', () => {
    const plan = planRollback(
      env({ live: { colour: 'green', version: '2.0.0', since: 0 }, previous: { colour: 'blue', version: '1.0.0', until: 9 } }),
      o,
    );
    expect(plan).toMatchObject({
      kind: 'previous-colour',
      from: { colour: 'green', version: '2.0.0' },
      to: { colour: 'blue', version: '1.0.0' },
      weights: { blue: 100, green: 0 },
      trafficMoves: true,
    });
    expect(describeRollback(plan).lines).toEqual([
      'from  green 2.0.0',
      'to    blue 1.0.0',
      'weights  blue 100%, green 0%',
      'blue must pass its health gate running 1.0.0 first',
    ]);
  });

  it('an interrupted deploy: its weights from before; traffic moved only once it switched', () => {
    expect(planRollback(env({ active: active({ phase: 'monitoring' }) }), o)).toMatchObject({
      kind: 'undo-deploy',
      to: { colour: 'blue', version: '1.0.0' },
      weights: { blue: 100, green: 0 },
      trafficMoves: true,
    });
    expect(planRollback(env({ active: active({ phase: 'verifying' }) }), o)).toMatchObject({ kind: 'undo-deploy', trafficMoves: false });
  });

  it('an unfinished canary comes before anything else recorded: stable gets all traffic back', () => {
    const s = env({
      live: { colour: 'blue', version: '1.0.0', since: 0 },
      previous: { colour: 'green', version: '0.9.0', until: 9 },
      colours: { green: { version: '1.1.0' } },
      canary: run({}),
    });
    expect(planRollback(s, o)).toMatchObject({
      kind: 'undo-canary',
      from: { colour: 'green', version: '1.1.0' },
      to: { colour: 'blue', version: '1.0.0' },
      weights: { blue: 100, green: 0 },
    });
    expect(planRollback({ ...s, canary: run({ setup: 'verifying' }) }, o)).toMatchObject({ kind: 'undo-canary', trafficMoves: false });
  });

  it('never offers a version that is no longer installed: an aborted canary replaced it', () => {
    // 1.1.0 was promoted onto green (blue 1.0.0 kept as previous); then a canary of 1.4.0 went onto blue and was aborted
    const s = env({
      live: { colour: 'green', version: '1.1.0', since: 0 },
      previous: { colour: 'blue', version: '1.0.0', until: 9 },
      colours: { blue: { version: '1.4.0' }, green: { version: '1.1.0' } },
      canary: run({
        canaryColour: 'blue',
        stableColour: 'green',
        version: '1.4.0',
        endedAt: 5,
        state: { phase: 'aborted', step: 0, reason: 'x', at: 5 },
      }),
    });
    expect(planRollback(s, o)).toEqual({
      kind: 'nothing',
      reason: 'nothing to roll back in production: blue now runs 1.4.0, so 1.0.0 is no longer installed anywhere',
    });
  });

  it('says why when a release onto the old colour after the switch has replaced what ran there', () => {
    // green took over from blue 1.0.0 at t=100; at t=200 a canary installed 1.2.0 on blue (core forgets previous then)
    const deployed = env({
      live: { colour: 'green', version: '1.1.0', since: 100 },
      previous: { colour: 'blue', version: '1.0.0', until: 100 },
      colours: { blue: { version: '1.0.0', updatedAt: 10 }, green: { version: '1.1.0', updatedAt: 50 } },
    });
    const s = installed(deployed, 'blue', '1.2.0', 200);
    expect(s.previous).toBeNull();
    expect(planRollback(s, o)).toEqual({
      kind: 'nothing',
      reason:
        'nothing to roll back in production: blue now runs 1.2.0 (installed after green took over), so what ran before 1.1.0 is no longer installed anywhere',
    });
    // a colour last installed before the switch is not mistaken for a new release
    expect(planRollback({ ...deployed, previous: null }, o)).toMatchObject({
      reason: expect.stringMatching(/no earlier colour is recorded/),
    });
  });

  it('nothing recorded, or a standard deploy with no other colour: nothing, with why', () => {
    expect(planRollback(env({}), o)).toMatchObject({
      kind: 'nothing',
      reason: expect.stringMatching(/^nothing to roll back in production/),
    });
    expect(planRollback(env({ active: active({ strategy: 'standard', toColour: 'blue' }) }), o)).toMatchObject({
      kind: 'nothing',
      reason: expect.stringMatching(/no other colour/),
    });
  });
});
