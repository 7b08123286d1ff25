import { describe, expect, it } from 'vitest';
import {
  canaryPercent,
  pauseLeftMs,
  startCanary,
  transition,
  type CanaryEvent,
  type CanaryState,
  type LifecycleOptions,
} from '../../../../src/core/canary/lifecycle.js';

const steps = [5, 10, 25, 50, 100];
const T = 1_000;
const noPause: LifecycleOptions = { steps, pause: 0 };
const timed: LifecycleOptions = { steps, pause: 30_000 };
const indefinite: LifecycleOptions = { steps, pause: 'indefinite' };

const advance: CanaryEvent = { type: 'interval', verdict: { action: 'advance', failed: 0, reason: 'all passed' } };
const hold = (failed: number): CanaryEvent => ({ type: 'interval', verdict: { action: 'hold', failed, reason: 'inconclusive' } });
const abortVerdict: CanaryEvent = {
  type: 'interval',
  verdict: { action: 'abort', failed: 2, reason: 'failed (2) > failureLimit (1): error rate 21.0% > 2.0%' },
};

const at = (step: number, failed = 0): CanaryState => ({ phase: 'progressing', step, failed, since: 0 });
const pausedNext = (step: number, until: number | null): CanaryState => ({ phase: 'paused', step, failed: 0, until, then: 'next' });
const aborted: CanaryState = { phase: 'aborted', step: 1, reason: 'error rate 21.0% > 2.0%', at: 0 };

describe('transition', () => {
  it.each<[string, CanaryState, CanaryEvent, LifecycleOptions, CanaryState]>([
    ['a passed step moves on without a pause', at(0), advance, noPause, { phase: 'progressing', step: 1, failed: 0, since: T }],
    ['a passed step pauses for the configured time', at(1), advance, timed, pausedNext(1, T + 30_000)],
    ['a passed step pauses indefinitely', at(1), advance, indefinite, pausedNext(1, null)],
    [
      'a per-step pause list: no pause after step 1',
      at(0),
      advance,
      { steps, pause: [0, 'indefinite', 5_000, 0] },
      { phase: 'progressing', step: 1, failed: 0, since: T },
    ],
    ['a per-step pause list: indefinite after step 2', at(1), advance, { steps, pause: [0, 'indefinite', 5_000, 0] }, pausedNext(1, null)],
    ['a per-step pause list: 5s after step 3', at(2), advance, { steps, pause: [0, 'indefinite', 5_000, 0] }, pausedNext(2, T + 5_000)],
    ['the last step passed promotes (no pause)', at(4), advance, timed, { phase: 'promoting', since: T }],
    ['an inconclusive interval holds the step', at(2), hold(0), noPause, at(2)],
    ['a tolerated failure holds and counts', at(2), hold(1), noPause, at(2, 1)],
    [
      'too many failures abort with the reason',
      at(2, 1),
      abortVerdict,
      noPause,
      { phase: 'aborted', step: 2, reason: abortVerdict.verdict.reason, at: T },
    ],
    [
      'an elapsed pause moves to the next step',
      pausedNext(1, T),
      { type: 'pause-elapsed' },
      timed,
      { phase: 'progressing', step: 2, failed: 0, since: T },
    ],
    ['promote skips to the next step', at(1), { type: 'promote' }, noPause, { phase: 'progressing', step: 2, failed: 0, since: T }],
    [
      'promote ends an indefinite pause',
      pausedNext(2, null),
      { type: 'promote' },
      indefinite,
      { phase: 'progressing', step: 3, failed: 0, since: T },
    ],
    ['passing the step before 100% promotes (100% is the promotion)', at(3), advance, noPause, { phase: 'promoting', since: T }],
    [
      'a pause after the step before 100% then promotes',
      pausedNext(3, T),
      { type: 'pause-elapsed' },
      timed,
      { phase: 'promoting', since: T },
    ],
    ['promote at the last step promotes', at(4), { type: 'promote' }, noPause, { phase: 'promoting', since: T }],
    ['promote-full skips every step', at(0), { type: 'promote-full' }, noPause, { phase: 'promoting', since: T }],
    [
      'abort keeps the operator reason',
      at(3),
      { type: 'abort', reason: 'aborted by alice' },
      noPause,
      { phase: 'aborted', step: 3, reason: 'aborted by alice', at: T },
    ],
    [
      'abort while promoting',
      { phase: 'promoting', since: 0 },
      { type: 'abort', reason: 'x' },
      noPause,
      { phase: 'aborted', step: 4, reason: 'x', at: T },
    ],
    [
      'pause holds the step indefinitely',
      at(2, 1),
      { type: 'pause' },
      noPause,
      { phase: 'paused', step: 2, failed: 1, until: null, then: 'same' },
    ],
    [
      'resume re-analyses a manually paused step',
      { phase: 'paused', step: 2, failed: 1, until: null, then: 'same' },
      { type: 'resume' },
      noPause,
      { phase: 'progressing', step: 2, failed: 1, since: T },
    ],
    [
      'resume after a passed step moves on',
      pausedNext(2, null),
      { type: 'resume' },
      indefinite,
      { phase: 'progressing', step: 3, failed: 0, since: T },
    ],
    [
      'retry restarts an aborted canary at the first step',
      aborted,
      { type: 'retry' },
      noPause,
      { phase: 'progressing', step: 0, failed: 0, since: T },
    ],
    ['promotion completes', { phase: 'promoting', since: 0 }, { type: 'promotion-complete' }, noPause, { phase: 'promoted', at: T }],
    [
      'rollback after an abort keeps the abort reason',
      aborted,
      { type: 'rollback', reason: 'r pressed' },
      noPause,
      { phase: 'rolled-back', reason: aborted.reason, at: T },
    ],
    [
      'rollback of a promoted canary',
      { phase: 'promoted', at: 0 },
      { type: 'rollback', reason: 'r pressed' },
      noPause,
      { phase: 'rolled-back', reason: 'r pressed', at: T },
    ],
  ])('%s', (_what, state, event, opts, next) => {
    expect(transition(state, event, opts, T)).toEqual({ ok: true, state: next });
  });

  it.each<[CanaryState, CanaryEvent, string]>([
    [aborted, advance, 'an analysis result does not apply while the canary is aborted'],
    [pausedNext(1, null), advance, 'an analysis result does not apply while the canary is paused'],
    [pausedNext(1, T + 5), { type: 'pause-elapsed' }, 'the pause has 5ms left'],
    [pausedNext(1, null), { type: 'pause-elapsed' }, 'there is no timed pause to end (the canary is paused)'],
    [aborted, { type: 'promote' }, 'cannot promote a canary that is aborted'],
    [{ phase: 'promoted', at: 0 }, { type: 'abort', reason: 'x' }, 'cannot abort a canary that is promoted'],
    [pausedNext(1, null), { type: 'pause' }, 'the canary is already paused'],
    [at(1), { type: 'resume' }, 'cannot resume a canary that is progressing, not paused'],
    [at(1), { type: 'retry' }, 'only an aborted or rolled-back canary can be retried; this one is progressing'],
    [at(1), { type: 'promotion-complete' }, 'the canary is progressing, not promoting'],
    [{ phase: 'rolled-back', reason: 'x', at: 0 }, { type: 'rollback', reason: 'y' }, 'the canary is already rolled back'],
  ])('refuses %j on %j', (state, event, reason) => {
    expect(transition(state, event, timed, T)).toEqual({ ok: false, reason });
  });
});

describe('canaryPercent and pauseLeftMs', () => {
  it.each<[CanaryState, number]>([
    [startCanary(0), 5],
    [at(3), 50],
    [pausedNext(2, null), 25],
    [{ phase: 'promoting', since: 0 }, 100],
    [{ phase: 'promoted', at: 0 }, 100],
    [aborted, 0],
    [{ phase: 'rolled-back', reason: 'x', at: 0 }, 0],
  ])('%j → %i%%', (state, percent) => {
    expect(canaryPercent(state, steps)).toBe(percent);
  });

  it('counts a timed pause down to 0 and has no time left for an indefinite one', () => {
    expect(pauseLeftMs(pausedNext(1, 31_000), T)).toBe(30_000);
    expect(pauseLeftMs(pausedNext(1, 31_000), 40_000)).toBe(0);
    expect(pauseLeftMs(pausedNext(1, null), T)).toBeNull();
    expect(pauseLeftMs(at(1), T)).toBeNull();
  });
});
