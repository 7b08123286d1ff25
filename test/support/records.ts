// One writer of the deployment records the tests hand to core and to the screens: a blue-green
// deploy of 2.0.0 from blue 1.0.0 onto green, in phase monitoring; each test patches what it needs.
import { emptyEnvironmentState, type ActiveDeployment, type ProdxState } from '../../src/core/state/schema.js';

export function activeDeployment(patch: Partial<ActiveDeployment> = {}): ActiveDeployment {
  return {
    id: 'd1',
    version: '2.0.0',
    strategy: 'blue-green',
    by: 'a',
    startedAt: 0,
    fromColour: 'blue',
    fromVersion: '1.0.0',
    toColour: 'green',
    weightsBefore: { blue: 100, green: 0 },
    weightsAfter: { blue: 0, green: 100 },
    phase: 'monitoring',
    phaseStartedAt: 0,
    ...patch,
  };
}

/** The state file of an environment `production` live on blue 1.0.0, with 1.0.0 on both colours. */
export function blueLiveOnOneZero(since: number): ProdxState {
  return {
    schemaVersion: 1,
    environments: {
      production: {
        ...emptyEnvironmentState(),
        live: { colour: 'blue', version: '1.0.0', since },
        colours: { blue: { version: '1.0.0' }, green: { version: '1.0.0' } },
      },
    },
  };
}
