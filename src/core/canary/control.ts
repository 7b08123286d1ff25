// What an operator can ask of a running canary, from `prodx canary …` in another shell or a key
// on the Canary screen, and the lifecycle event each request becomes.
import type { CanaryEvent } from './lifecycle.js';

export const CANARY_REQUESTS = ['promote', 'promote-full', 'abort', 'pause', 'resume', 'rollback'] as const;
export type CanaryRequestType = (typeof CANARY_REQUESTS)[number];

export interface CanaryRequest {
  id: string;
  type: CanaryRequestType;
  /** who asked: user@host */
  by: string;
  at: number;
  /** for abort and rollback: why, in the operator's words */
  reason?: string;
}

/** The lifecycle event a request becomes (rollback is handled by the operation: weights first). */
export function requestEvent(r: Pick<CanaryRequest, 'type' | 'by' | 'reason'>): CanaryEvent {
  switch (r.type) {
    case 'promote':
      return { type: 'promote' };
    case 'promote-full':
      return { type: 'promote-full' };
    case 'pause':
      return { type: 'pause' };
    case 'resume':
      return { type: 'resume' };
    // who did it stays in the reason, so the history answers "who aborted this?"
    case 'abort':
      return { type: 'abort', reason: r.reason ? `aborted by ${r.by}: ${r.reason}` : `aborted by ${r.by}` };
    case 'rollback':
      return { type: 'rollback', reason: r.reason ? `rolled back by ${r.by}: ${r.reason}` : `rolled back by ${r.by}` };
  }
}
