// One view of a canary run, decided once and rendered by `prodx status`, `prodx canary status`,
// the Canary screen and its keys: the phase in words (setup folded in), the step and the
// canary's planned share, and which operator requests apply now, with why not when not.
import { say } from '../words.js';
import type { CanaryRun, EnvironmentState } from '../state/schema.js';
import { intervalCounts } from '../state/transitions.js';
import { CANARY_REQUESTS, requestEvent, type CanaryRequestType } from './control.js';
import { canaryPercent, transition, type CanaryState } from './lifecycle.js';

export type CanaryPhase = 'releasing' | 'verifying' | CanaryState['phase'];

export interface CanaryView {
  id: string;
  revision: number | null;
  version: string;
  canaryColour: string;
  stableColour: string;
  stableVersion: string | null;
  /** the lifecycle phase, or the setup step (`releasing`, `verifying`) before the first step */
  phase: CanaryPhase;
  /** where it stands, in words: `step 2/5 at 10%`, `paused at step 2/5 (10%) until promoted or resumed` */
  words: string;
  /** the step index, null once promoted or rolled back */
  step: number | null;
  steps: number[];
  /** the canary's planned share of traffic now: 0 before its first step and after an abort */
  percent: number;
  /** the outcome is recorded (promoted, aborted or rolled back, and the weights are back) */
  ended: boolean;
  reason?: string;
  intervals: { passed: number; failed: number; held: number };
  /** each operator request: null when it applies now, else why not */
  refusals: Record<CanaryRequestType, string | null>;
}

export const isTerminal = (s: CanaryState): boolean => s.phase === 'promoted' || s.phase === 'aborted' || s.phase === 'rolled-back';

/** A run whose outcome has not been fully carried out yet (running, or left by a killed prodx). */
export const isUnfinished = (run: CanaryRun | null | undefined): run is CanaryRun & { endedAt: undefined } =>
  !!run && run.endedAt === undefined;

export function phaseOf(run: CanaryRun): CanaryPhase {
  return run.setup !== 'ready' && run.state.phase === 'progressing' ? run.setup : run.state.phase;
}

/** The canary's planned share: none until it has been released and passed its gate. */
export const plannedPercent = (run: CanaryRun): number => (run.setup === 'ready' ? canaryPercent(run.state, run.steps) : 0);

export function canaryWords(run: CanaryRun, now: number): string {
  const s = run.state;
  const at = (step: number) => `step ${step + 1}/${run.steps.length}`;
  if (run.setup !== 'ready' && s.phase === 'progressing')
    return run.setup === 'releasing' ? `releasing ${run.version} onto ${run.canaryColour}` : `verifying ${run.canaryColour}'s health`;
  switch (s.phase) {
    case 'progressing':
      return `${at(s.step)} at ${run.steps[s.step]}%`;
    case 'paused':
      return `paused at ${at(s.step)} (${run.steps[s.step]}%)${s.until === null ? ' until promoted or resumed' : `, ${Math.max(0, Math.ceil((s.until - now) / 1000))}s left`}`;
    case 'aborted':
      return `aborted at ${run.steps[s.step]}%`;
    default:
      return say(s.phase);
  }
}

/** Why `type` does not apply to the run now, or null when it does. */
export function requestRefusal(run: CanaryRun, type: CanaryRequestType, now: number): string | null {
  const verb = say(type);
  if (!isUnfinished(run) && isTerminal(run.state)) {
    return type === 'rollback' && run.state.phase === 'promoted'
      ? `the canary of ${run.version} was promoted: \`prodx rollback\` puts ${run.stableColour} back live`
      : `the canary of ${run.version} is already ${say(run.state.phase)}: there is nothing to ${verb}`;
  }
  if (run.setup !== 'ready' && run.state.phase === 'progressing' && type !== 'abort' && type !== 'rollback') {
    return `the canary is still ${run.setup} ${run.version} on ${run.canaryColour}; wait for its first step`;
  }
  // the pause length matters only to analysis results, never to the requests checked here
  const t = transition(run.state, requestEvent({ type, by: 'you' }), { steps: run.steps, pause: 0 }, now);
  return t.ok ? null : t.reason;
}

export function canaryView(run: CanaryRun, now: number): CanaryView {
  const s = run.state;
  return {
    id: run.id,
    revision: run.revision ?? null,
    version: run.version,
    canaryColour: run.canaryColour,
    stableColour: run.stableColour,
    stableVersion: run.stableVersion,
    phase: phaseOf(run),
    words: canaryWords(run, now),
    step: 'step' in s ? s.step : s.phase === 'promoting' || s.phase === 'promoted' ? run.steps.length - 1 : null,
    steps: run.steps,
    percent: plannedPercent(run),
    ended: run.endedAt !== undefined,
    ...('reason' in s ? { reason: s.reason } : {}),
    intervals: intervalCounts(run),
    refusals: Object.fromEntries(CANARY_REQUESTS.map((t) => [t, requestRefusal(run, t, now)])) as CanaryView['refusals'],
  };
}

/**
 * Whether the stored canary is still the environment's current release: unfinished, or ended
 * with nothing (a blue-green deploy, a rollback) recorded after it. Otherwise it is history.
 */
export function isCurrentCanary(s: Pick<EnvironmentState, 'canary' | 'history' | 'active'>): boolean {
  const run = s.canary;
  if (!run) return false;
  if (isUnfinished(run)) return true;
  if (s.active) return false;
  return !s.history.some((h) => h.startedAt > run.startedAt && h.id !== run.id && h.kind !== 'canary');
}
