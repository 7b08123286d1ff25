// The canary's operator verbs: promote (a step, or to 100%), pause, resume and abort. Whether
// each applies, and why not, is the one canary view's answer (core/canary/view.ts); the work is
// the same request `prodx canary …` sends.
import type { ControlRequest } from '../../core/canary/control.js';
import { stepWeights } from '../../core/canary/plan.js';
import { say } from '../../core/words.js';
import type { Confirm, Verb, VerbState } from './types.js';
import { currentRun, currentView } from './state.js';

function refusal(v: VerbState, type: ControlRequest): string | null {
  const { s } = v;
  if (!s.canOperate)
    return `no router is configured for ${s.environment}: set environments.${s.environment}.router to run a canary from here`;
  const view = currentView(v);
  if (!view) return `no canary is running in ${s.environment}: c starts one`;
  return view.refusals[type];
}

const weightsText = (w: Record<string, number>) =>
  Object.entries(w)
    .map(([c, n]) => `${c} ${n}%`)
    .join(', ');

function guarded(v: VerbState, c: Confirm | null): Confirm | null {
  if (c) return v.s.protected ? { ...c, lines: [`${v.s.environment} is protected.`, ...c.lines] } : c;
  return null;
}

/** `pause` → `Pause`: a dialog's title starts a sentence. */
const sentence = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

function control(name: string, type: ControlRequest, summary: string, confirm?: (v: VerbState) => Confirm): Verb {
  return {
    name,
    group: 'Canary',
    summary,
    disabledReason: (v) => refusal(v, type),
    confirm: (v) =>
      guarded(
        v,
        confirm
          ? confirm(v)
          : v.s.protected
            ? { title: `${sentence(say(type))} the canary?`, lines: [summary], confirmLabel: say(type) }
            : null,
      ),
    run: async (ctx) => {
      ctx.store.getState().actions.flash('success', await ctx.app.canaryControl(type));
    },
  };
}

export const promoteVerb: Verb = {
  name: 'promote',
  group: 'Canary',
  summary: 'skip the rest of this step’s analysis and go to the next step (`:promote full`: 100% now)',
  args: [{ name: 'full', required: false, complete: () => ['full'] }],
  validate: ([how]) =>
    how === undefined || how === 'full'
      ? null
      : `"${how}" is not a way to promote: \`:promote\` (next step) or \`:promote full\` (100% now)`,
  disabledReason: (v) => refusal(v, 'promote'),
  confirm: (v, [how]) => {
    const run = currentRun(v);
    if (!run) return null;
    if (how === 'full') {
      const step = 'step' in run.state ? run.state.step : 0;
      const skipped = run.steps.slice(step + 1, -1);
      return guarded(v, {
        title: `Promote ${run.version} to 100% now?`,
        lines: [
          `${run.canaryColour} ${run.version} takes all the traffic at once: ${weightsText(stepWeights(100, run.canaryColour, run.stableColour))}`,
          skipped.length
            ? `steps ${skipped.map((p) => `${p}%`).join(', ')} and their analysis are skipped`
            : 'the remaining analysis is skipped',
          `${run.stableColour} ${run.stableVersion ?? ''} stays up as the previous colour`.replace('  ', ' '),
        ],
        confirmLabel: 'promote to 100%',
      });
    }
    return v.s.protected
      ? guarded(v, {
          title: `Promote ${run.version} to its next step?`,
          lines: ['the rest of this step’s analysis is skipped'],
          confirmLabel: 'promote',
        })
      : null;
  },
  run: async (ctx, [how]) => {
    ctx.store.getState().actions.flash('success', await ctx.app.canaryControl(how === 'full' ? 'promote-full' : 'promote'));
  },
};

export const pauseVerb = control('pause', 'pause', 'hold the current step’s weights and stop analysing until resumed');
export const resumeVerb = control('resume', 'resume', 'end a pause: analysis goes on');
export const abortVerb = control('abort', 'abort', 'stop the canary now: its weight goes to 0 and stable takes all traffic', (v) => {
  const run = currentRun(v)!;
  return {
    title: `Abort the canary of ${run.version}?`,
    lines: [
      `${run.canaryColour} ${run.version} stops taking traffic at once: ${weightsText(run.weightsBefore)}`,
      'the run is kept, marked aborted, with who aborted it',
    ],
    confirmLabel: 'abort the canary',
  };
});
