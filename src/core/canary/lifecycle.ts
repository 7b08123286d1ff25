// The canary lifecycle as a pure reducer: a state and an event in, the next state (or why the
// event does not apply) out. Time is an argument, so the operation that persists every state
// before acting on it, and a restarted prodx, see exactly the same transitions.
import type { StepVerdict } from './judge.js';

export type CanaryState =
  /** analysing step `step` (an index into the steps); `failed` intervals failed at this step */
  | { phase: 'progressing'; step: number; failed: number; since: number }
  /**
   * holding step `step`'s weight: `until` null is indefinite (until promoted or resumed); `then`
   * says whether resuming moves to the next step (a pause after a passed step) or re-analyses this one
   */
  | { phase: 'paused'; step: number; failed: number; until: number | null; then: 'next' | 'same' }
  /** all traffic to the canary; the operation makes it the stable colour */
  | { phase: 'promoting'; since: number }
  | { phase: 'promoted'; at: number }
  /** canary weight 0 at once; kept distinct from rolled-back so the reason is never lost */
  | { phase: 'aborted'; step: number; reason: string; at: number }
  | { phase: 'rolled-back'; reason: string; at: number };

export type CanaryEvent =
  | { type: 'interval'; verdict: StepVerdict }
  | { type: 'pause-elapsed' }
  | { type: 'promote' }
  | { type: 'promote-full' }
  | { type: 'abort'; reason: string }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'retry' }
  /** the operation finished making the canary stable */
  | { type: 'promotion-complete' }
  /** the operation restored the stable colour (after an abort, or on an operator's rollback) */
  | { type: 'rollback'; reason: string };

export interface LifecycleOptions {
  steps: readonly number[];
  /** the pause after a passed step: ms, or 'indefinite' (until promoted); or one per step */
  pause: Pause | readonly Pause[];
}

export type Pause = number | 'indefinite';

/** The pause after step `step` passes (a list shorter than the steps pauses no more). */
export const pauseAfter = (pause: LifecycleOptions['pause'], step: number): Pause =>
  typeof pause === 'object' ? (pause[step] ?? 0) : pause;

export type Transition = { ok: true; state: CanaryState } | { ok: false; reason: string };

export const startCanary = (now: number): CanaryState => ({ phase: 'progressing', step: 0, failed: 0, since: now });

/** The canary's share of traffic in a state. */
export function canaryPercent(state: CanaryState, steps: readonly number[]): number {
  switch (state.phase) {
    case 'progressing':
    case 'paused':
      return steps[state.step]!;
    case 'promoting':
    case 'promoted':
      return 100;
    case 'aborted':
    case 'rolled-back':
      return 0;
  }
}

/** Milliseconds left in a timed pause; null when not paused or paused indefinitely. */
export const pauseLeftMs = (state: CanaryState, now: number): number | null =>
  state.phase === 'paused' && state.until !== null ? Math.max(0, state.until - now) : null;

const ok = (state: CanaryState): Transition => ({ ok: true, state });
const no = (reason: string): Transition => ({ ok: false, reason });

/**
 * Leaves step `step`: the next step, or promoting when the next is the last (100%: all traffic
 * to the canary is the promotion itself, as in Argo Rollouts, not one more step to analyse).
 */
function nextStep(step: number, o: LifecycleOptions, now: number): CanaryState {
  return step + 2 >= o.steps.length ? { phase: 'promoting', since: now } : { phase: 'progressing', step: step + 1, failed: 0, since: now };
}

function afterPass(step: number, failed: number, o: LifecycleOptions, now: number): CanaryState {
  const last = step + 1 >= o.steps.length;
  const pause = pauseAfter(o.pause, step);
  if (last || pause === 0) return nextStep(step, o, now);
  return { phase: 'paused', step, failed, until: pause === 'indefinite' ? null : now + pause, then: 'next' };
}

export function transition(state: CanaryState, event: CanaryEvent, o: LifecycleOptions, now: number): Transition {
  const active = state.phase === 'progressing' || state.phase === 'paused';
  switch (event.type) {
    case 'interval': {
      if (state.phase !== 'progressing') return no(`an analysis result does not apply while the canary is ${state.phase}`);
      const v = event.verdict;
      if (v.action === 'abort') return ok({ phase: 'aborted', step: state.step, reason: v.reason, at: now });
      if (v.action === 'advance') return ok(afterPass(state.step, v.failed, o, now));
      return ok({ ...state, failed: v.failed });
    }
    case 'pause-elapsed':
      if (state.phase !== 'paused' || state.until === null) return no(`there is no timed pause to end (the canary is ${state.phase})`);
      if (now < state.until) return no(`the pause has ${state.until - now}ms left`);
      return ok(
        state.then === 'next' ? nextStep(state.step, o, now) : { phase: 'progressing', step: state.step, failed: state.failed, since: now },
      );
    case 'promote':
      if (!active) return no(`cannot promote a canary that is ${state.phase}`);
      return ok(nextStep(state.step, o, now));
    case 'promote-full':
      if (!active) return no(`cannot promote a canary that is ${state.phase}`);
      return ok({ phase: 'promoting', since: now });
    case 'abort':
      if (!active && state.phase !== 'promoting') return no(`cannot abort a canary that is ${state.phase}`);
      return ok({ phase: 'aborted', step: state.phase === 'promoting' ? o.steps.length - 1 : state.step, reason: event.reason, at: now });
    case 'pause':
      if (state.phase === 'paused') return no('the canary is already paused');
      if (state.phase !== 'progressing') return no(`cannot pause a canary that is ${state.phase}`);
      return ok({ phase: 'paused', step: state.step, failed: state.failed, until: null, then: 'same' });
    case 'resume':
      if (state.phase !== 'paused') return no(`cannot resume a canary that is ${state.phase}, not paused`);
      return ok(
        state.then === 'next' ? nextStep(state.step, o, now) : { phase: 'progressing', step: state.step, failed: state.failed, since: now },
      );
    case 'retry':
      if (state.phase !== 'aborted' && state.phase !== 'rolled-back')
        return no(`only an aborted or rolled-back canary can be retried; this one is ${state.phase}`);
      return ok(startCanary(now));
    case 'promotion-complete':
      if (state.phase !== 'promoting') return no(`the canary is ${state.phase}, not promoting`);
      return ok({ phase: 'promoted', at: now });
    case 'rollback':
      if (state.phase === 'rolled-back') return no('the canary is already rolled back');
      return ok({ phase: 'rolled-back', reason: state.phase === 'aborted' ? state.reason : event.reason, at: now });
  }
}
