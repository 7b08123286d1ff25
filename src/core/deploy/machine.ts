// The blue-green deploy as a pure state machine, beside the canary's lifecycle: a phase and an
// event in, the next phase (or how the deploy ends) out. The operation persists what this
// returns before acting on it, so a prodx killed anywhere leaves a phase that `--resume`
// continues and `rollback` undoes.
import type { ActiveDeployment, DeployPhase } from '../state/schema.js';

export type DeployEvent =
  /** the release hook installed the version (or there is none) */
  | { type: 'released' }
  /** the new colour passed its health gate (and smoke request) */
  | { type: 'verified' }
  /** the router confirmed the new weights */
  | { type: 'switched' }
  /** the post-promotion window ended with the new colour healthy */
  | { type: 'watched' }
  /** something failed; `trafficMoved` says whether the router may already send traffic to the new colour */
  | { type: 'failed'; reason: string; trafficMoved: boolean }
  /** the router has the weights from before the switch again */
  | { type: 'restored' };

export type DeployStep =
  | { kind: 'phase'; phase: DeployPhase; reason?: string }
  | { kind: 'end'; result: 'succeeded' | 'failed' | 'rolled-back'; reason?: string }
  | { kind: 'invalid'; reason: string };

const order: Record<DeployPhase, DeployEvent['type'] | null> = {
  releasing: 'released',
  verifying: 'verified',
  switching: 'switched',
  monitoring: 'watched',
  'rolling-back': 'restored',
};

/** What `event` does to a deploy in `a.phase`. */
export function deployStep(a: Pick<ActiveDeployment, 'phase' | 'strategy' | 'reason'>, event: DeployEvent): DeployStep {
  if (event.type === 'failed') {
    if (a.phase === 'rolling-back') return { kind: 'invalid', reason: 'the deploy is already rolling back' };
    return event.trafficMoved
      ? { kind: 'phase', phase: 'rolling-back', reason: event.reason }
      : { kind: 'end', result: 'failed', reason: event.reason };
  }
  if (order[a.phase] !== event.type) return { kind: 'invalid', reason: `${event.type} does not follow phase ${a.phase}` };
  switch (a.phase) {
    case 'releasing':
      return { kind: 'phase', phase: 'verifying' };
    case 'verifying':
      // a standard deploy released onto the live colour: verified is done, there is no switch
      return a.strategy === 'standard' ? { kind: 'end', result: 'succeeded' } : { kind: 'phase', phase: 'switching' };
    case 'switching':
      return { kind: 'phase', phase: 'monitoring' };
    case 'monitoring':
      return { kind: 'end', result: 'succeeded' };
    case 'rolling-back':
      return { kind: 'end', result: 'rolled-back', reason: a.reason ?? 'rolled back' };
  }
}

/** Whether the router may send the new colour traffic in this phase. */
export const trafficMayHaveMoved = (phase: DeployPhase): boolean =>
  phase === 'switching' || phase === 'monitoring' || phase === 'rolling-back';
