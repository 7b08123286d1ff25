// Shared state for the Deploy screen tests: live=blue 1.0.0, previous=green 0.9.0, a history
// recorded out of order, and a deploy in phase verifying.
import type { TargetHealth } from '../../src/core/health/types.js';
import type { EnvironmentState, HistoryEntry } from '../../src/core/state/schema.js';
import type { DeployProgress } from '../../src/store/types.js';

export const HOUR = 3_600_000;

export const healthy = (version: string): TargetHealth => ({
  status: 'healthy',
  consecutiveSuccesses: 3,
  consecutiveFailures: 0,
  recovering: false,
  last: { at: Date.now(), ok: true, statusCode: 200, latencyMs: 12, version },
  version,
  reason: 'HTTP 200 in 12ms',
});

export const entry = (e: Partial<HistoryEntry> & Pick<HistoryEntry, 'id' | 'version' | 'startedAt'>): HistoryEntry => ({
  strategy: 'blue-green',
  kind: 'deploy',
  by: 'alice@laptop',
  result: 'succeeded',
  endedAt: e.startedAt + 95_000,
  ...e,
});

/** live=blue 1.0.0, previous=green 0.9.0, three deploys in the history (recorded out of order). */
export function deployedState(now = Date.now()): EnvironmentState {
  return {
    live: { colour: 'blue', version: '1.0.0', since: now - HOUR },
    colours: { blue: { version: '1.0.0', updatedAt: now - HOUR }, green: { version: '0.9.0', updatedAt: now - 5 * HOUR } },
    history: [
      entry({ id: 'd1', version: '0.8.0', startedAt: now - 9 * HOUR, toColour: 'blue' }),
      entry({ id: 'd3', version: '1.0.0', startedAt: now - HOUR - 95_000, fromColour: 'green', toColour: 'blue' }),
      entry({
        id: 'd2',
        version: '0.9.0',
        startedAt: now - 5 * HOUR,
        result: 'rolled-back',
        reason: 'error rate 4.1% > 2.0% during the 60s watch window after the switch, so traffic went back',
      }),
    ],
    active: null,
    previous: { colour: 'green', version: '0.9.0', until: now + HOUR },
  };
}

export const verifying = (now = Date.now()): DeployProgress => ({
  operation: 'deploy',
  version: '1.2.0',
  fromColour: 'blue',
  toColour: 'green',
  phase: 'verifying',
  startedAt: now - 65_000,
  phaseStartedAt: now - 12_000,
  running: true,
  plan: [
    'release 1.2.0 onto green: run ["./release.sh"] with PRODX_VERSION=1.2.0 PRODX_TARGET=green',
    'verify green: 2 healthy probes in a row and the version endpoint reports 1.2.0',
    'switch traffic: blue 100%, green 0% → blue 0%, green 100%',
    'watch green for 60s: healthy, error rate at most 2.0%; otherwise switch back to blue',
    'keep blue (1.0.0) up for an instant rollback',
  ],
  log: [
    '| building 1.2.0',
    '| uploading assets',
    '| release done',
    'probe green: HTTP 200, version 1.1.9 is not 1.2.0 yet',
    'probe green: HTTP 200, version 1.2.0 (1 of 2)',
  ],
});
