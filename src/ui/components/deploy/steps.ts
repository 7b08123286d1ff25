// Which step of a deploy's plan is under way, from its phase. The plan's lines come from
// core/deploy/plan.ts `describePlan` and start with the step's verb. Pure.

export type StepState = 'done' | 'current' | 'pending';

const PHASE_STEP: Record<string, RegExp> = {
  releasing: /^(release|no release)/,
  verifying: /^verify/,
  switching: /^(switch|no traffic switch)/,
  monitoring: /^watch/,
};

/** Index of the step the phase is in; plan.length once complete; -1 when unknown (planning, rolling back). */
export function currentStep(plan: readonly string[], phase: string): number {
  if (phase === 'complete') return plan.length;
  const pattern = PHASE_STEP[phase];
  return pattern ? plan.findIndex((step) => pattern.test(step)) : -1;
}

export function stepStates(plan: readonly string[], phase: string): StepState[] {
  const current = currentStep(plan, phase);
  return plan.map((_, i) => (current < 0 ? 'pending' : i < current ? 'done' : i === current ? 'current' : 'pending'));
}

/** `release`, `verify`, `no release hook`: a step's name for the one-line plan. */
export function stepName(step: string): string {
  const words = step.split(/[\s:(]+/);
  return step.startsWith('no ') ? words.slice(0, 3).join(' ') : (words[0] ?? step);
}
