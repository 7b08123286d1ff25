import { describe, expect, it } from 'vitest';
import { describePlan, planDeploy, validateVersion, type PlanInput } from '../../../../src/core/deploy/plan.js';
import { emptyEnvironmentState } from '../../../../src/core/state/schema.js';

const base: PlanInput = {
  envState: { ...emptyEnvironmentState(), live: { colour: 'blue', version: '1.0.0', since: 1 }, colours: { blue: { version: '1.0.0' } } },
  colours: ['blue', 'green'],
  version: '1.1.0',
  strategy: 'blue-green',
  routerWeights: null,
  id: 'd1',
  by: 'me@host',
  now: 100,
};

describe('planDeploy', () => {
  it('blue-green goes to the idle colour and ends with all traffic there', () => {
    const p = planDeploy(base);
    expect(p).toMatchObject({
      toColour: 'green',
      fromColour: 'blue',
      fromVersion: '1.0.0',
      phase: 'releasing',
      weightsBefore: { blue: 100, green: 0 },
      weightsAfter: { blue: 0, green: 100 },
    });
  });

  it('learns the live colour from the router when the state has none (adopting a running system)', () => {
    const p = planDeploy({ ...base, envState: emptyEnvironmentState(), routerWeights: { blue: 0, green: 100 } });
    expect(p).toMatchObject({
      fromColour: 'green',
      toColour: 'blue',
      weightsBefore: { blue: 0, green: 100 },
      weightsAfter: { blue: 100, green: 0 },
    });
  });

  it('a first deploy with nothing live goes to the first colour', () => {
    expect(planDeploy({ ...base, envState: emptyEnvironmentState() })).toMatchObject({ fromColour: null, toColour: 'blue' });
  });

  it('standard releases onto the live colour and keeps the weights', () => {
    const p = planDeploy({ ...base, strategy: 'standard' });
    expect(p).toMatchObject({ toColour: 'blue', weightsAfter: { blue: 100, green: 0 } });
  });

  it('refuses blue-green with a single target, naming the way out', () => {
    expect(() => planDeploy({ ...base, colours: ['blue'] })).toThrow(/blue-green needs two targets .* use --strategy standard/);
  });

  it('describes the steps with the hook, the checks and the weights', () => {
    const steps = describePlan(planDeploy(base), {
      hook: ['./release.sh'],
      healthyThreshold: 3,
      smokePath: '/',
      windowMs: 60_000,
      maxErrorRate: 0.02,
    });
    expect(steps).toEqual([
      'release 1.1.0 onto green: run ["./release.sh"] with PRODX_VERSION=1.1.0 PRODX_TARGET=green',
      'verify green: 3 healthy probes in a row and the version endpoint reports 1.1.0, then GET / answers 2xx',
      'switch traffic: blue 100%, green 0% → blue 0%, green 100%',
      'watch green for 60s: healthy, error rate at most 2.0%; otherwise switch back to blue',
      'keep blue (1.0.0) up for an instant rollback',
    ]);
  });
});

describe('validateVersion', () => {
  it.each(['1.0.0', '2026.11.28-rc1', 'v3', '1.2.3+build.7', 'a_b'])('accepts %s', (v) => expect(() => validateVersion(v)).not.toThrow());
  it.each(['', '1.0;rm -rf /', '$(id)', '`id`', '1.0 2', '-rf', '../x', 'a|b', 'x'.repeat(65)])('rejects %j', (v) =>
    expect(() => validateVersion(v)).toThrow(/is not allowed: use letters, digits/),
  );
});
