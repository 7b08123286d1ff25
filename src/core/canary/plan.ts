// The canary plan, pure: the steps (percent of traffic to the canary) checked against the
// config's rules, and the router weights each step means for the canary and stable colours.
import { ProdxError } from '../errors.js';
import type { Weights } from '../deploy/router.js';
import type { AnalysisRules } from './judge.js';
import type { LifecycleOptions } from './lifecycle.js';

export const DEFAULT_STEPS = [5, 10, 25, 50, 100] as const;

/** A step list that is strictly increasing, each in 1–100, and ends at 100; or a ProdxError. */
export function validateSteps(steps: readonly number[], env: string): number[] {
  const where = `environments.${env}.canary.steps`;
  const bad = (what: string) =>
    new ProdxError('config-invalid', `${where}: ${what}; use increasing percentages ending at 100, e.g. [${DEFAULT_STEPS.join(', ')}].`);
  if (steps.length === 0) throw bad('the list is empty');
  steps.forEach((s, i) => {
    if (!Number.isFinite(s) || s < 1 || s > 100) throw bad(`step ${i + 1} is ${s}, not a percentage from 1 to 100`);
    if (i > 0 && s <= steps[i - 1]!) throw bad(`step ${i + 1} (${s}) is not greater than step ${i} (${steps[i - 1]})`);
  });
  if (steps.at(-1) !== 100) throw bad(`the last step is ${steps.at(-1)}, not 100`);
  return [...steps];
}

/** A per-step pause list must name one pause per step before 100. */
export function validatePauses(pause: unknown, steps: readonly number[], env: string): void {
  if (!Array.isArray(pause)) return;
  const want = steps.length - 1;
  if (pause.length !== want) {
    throw new ProdxError(
      'config-invalid',
      `environments.${env}.canary.pause: the list has ${pause.length} pause(s) but there are ${want} steps before 100; give one per step (e.g. ${JSON.stringify(steps.slice(0, -1).map(() => '0s'))}), or one value for all.`,
    );
  }
}

/** The router weights when `canaryPercent` of the traffic goes to the canary. */
export function stepWeights(canaryPercent: number, canary: string, stable: string): Weights {
  return { [canary]: canaryPercent, [stable]: 100 - canaryPercent };
}

/** The weights of every step, in order: what `canary dry-run` shows. */
export function planWeights(steps: readonly number[], canary: string, stable: string): Weights[] {
  return steps.map((s) => stepWeights(s, canary, stable));
}

/** A canary's plan as `canary dry-run` prints it and the run reports it when it starts. */
export interface CanaryPlan {
  version: string;
  canaryColour: string;
  stableColour: string;
  stableVersion: string | null;
  steps: number[];
  /** the router weights at each step */
  weights: Weights[];
  intervalMs: number;
  pause: LifecycleOptions['pause'];
  analysis: AnalysisRules & { failureLimit: number };
  provider: string;
  /** the plan in words, one line per step */
  lines: string[];
}
