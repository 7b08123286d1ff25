import { describe, expect, it } from 'vitest';
import { planWeights, stepWeights, validatePauses, validateSteps } from '../../../../src/core/canary/plan.js';
import { ProdxError } from '../../../../src/core/errors.js';

describe('validateSteps', () => {
  it.each([[[5, 10, 25, 50, 100]], [[100]], [[1, 50, 100]]])('accepts %j', (steps) => {
    expect(validateSteps(steps, 'production')).toEqual(steps);
  });

  it.each([
    [[], 'the list is empty'],
    [[5, 10, 50], 'the last step is 50, not 100'],
    [[10, 5, 100], 'step 2 (5) is not greater than step 1 (10)'],
    [[10, 10, 100], 'step 2 (10) is not greater than step 1 (10)'],
    [[0, 50, 100], 'step 1 is 0, not a percentage from 1 to 100'],
    [[50, 150], 'step 2 is 150, not a percentage from 1 to 100'],
  ])('rejects %j: %s', (steps, what) => {
    let err: unknown;
    try {
      validateSteps(steps, 'production');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProdxError);
    const msg = (err as ProdxError).message;
    expect(msg).toBe(`environments.production.canary.steps: ${what}; use increasing percentages ending at 100, e.g. [5, 10, 25, 50, 100].`);
    expect(msg).not.toContain('\n');
    expect((err as ProdxError).code).toBe('config-invalid');
  });
});

describe('weights', () => {
  it('gives the canary its step and the stable colour the rest', () => {
    expect(stepWeights(25, 'green', 'blue')).toEqual({ green: 25, blue: 75 });
    expect(planWeights([5, 50, 100], 'green', 'blue')).toEqual([
      { green: 5, blue: 95 },
      { green: 50, blue: 50 },
      { green: 100, blue: 0 },
    ]);
  });
});

describe('validatePauses', () => {
  it('takes one value for all steps, or exactly one per step before 100', () => {
    expect(() => validatePauses(0, [5, 10, 100], 'production')).not.toThrow();
    expect(() => validatePauses([0, 'indefinite'], [5, 10, 100], 'production')).not.toThrow();
  });
  it('names the count it wanted for a list of the wrong length', () => {
    expect(() => validatePauses([0], [5, 10, 100], 'production')).toThrow(
      /environments\.production\.canary\.pause: the list has 1 pause\(s\) but there are 2 steps before 100/,
    );
  });
});
