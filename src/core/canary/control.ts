// What an operator can ask of a running canary, from `prodx canary …` in another shell or a key
// on the Canary screen, and the lifecycle event each request becomes.
import type { CanaryEvent } from './lifecycle.js';

export const CANARY_REQUESTS = ['promote', 'promote-full', 'abort', 'pause', 'resume', 'rollback'] as const;
export type CanaryRequestType = (typeof CANARY_REQUESTS)[number];
/** what `prodx canary …` and the Canary screen ask; a rollback is `prodx rollback` */
export type ControlRequest = Exclude<CanaryRequestType, 'rollback'>;

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

/** The runner's answer to one request. */
export interface CanaryAck {
  id: string;
  ok: boolean;
  /** what happened, or why the request did not apply */
  message: string;
  at: number;
}

/**
 * The mailbox port: how an operator in one shell reaches the process that runs an
 * environment's canary in another. Only the runner writes the state; others post requests.
 */
export interface Mailbox {
  post(environment: string, request: CanaryRequest): Promise<void>;
  /** the waiting requests, oldest first; each is removed as it is taken, so it is handled once */
  take(environment: string): Promise<CanaryRequest[]>;
  ack(environment: string, ack: CanaryAck): Promise<void>;
  /** the answer to request `id`, removed once read; null until there is one */
  takeAck(environment: string, id: string): Promise<CanaryAck | null>;
  /** drops a request nobody took */
  withdraw(environment: string, id: string): Promise<void>;
}
