// The Canary screen's keys: `c` asks for a version and starts a canary, `p` promotes to the next
// step, `P` promotes fully, space pauses or resumes, `a` aborts and `r` rolls back (those two
// behind a confirm). The work is ctx.operations (the same code as `prodx canary …`). A key that
// cannot apply to the run as the state shows it says why, in the lifecycle's own words, instead
// of sending a request the running canary would refuse.
import { requestEvent, type CanaryRequestType } from '../core/canary/control.js';
import { transition } from '../core/canary/lifecycle.js';
import type { CanaryRun } from '../core/state/schema.js';
import type { UiContext } from './context.js';
import { isActive, weightsText } from './components/canary/view.js';
import { errorMessage } from './safeRun.js';
import type { ScreenKey } from './screens/types.js';

type Operations = NonNullable<UiContext['operations']>;

const VERB: Record<CanaryRequestType, string> = {
  promote: 'promote',
  'promote-full': 'promote',
  pause: 'pause',
  resume: 'resume',
  abort: 'abort',
  rollback: 'roll back',
};

function noRouter(ctx: UiContext): string {
  const { environment } = ctx.store.getState();
  return `this environment has no router configured: set environments.${environment}.router in the config to run a canary from prodx`;
}

/** The operations and the run a control key acts on, or null once it has flashed why there are none. */
function controllable(ctx: UiContext, type: CanaryRequestType): { operations: Operations; run: CanaryRun } | null {
  const { actions, deployment, environment } = ctx.store.getState();
  const operations = ctx.operations;
  if (!operations) {
    actions.flash('error', noRouter(ctx));
    return null;
  }
  const run = deployment?.canary;
  if (!run) {
    actions.flash('error', `no canary is running in ${environment}: nothing to ${VERB[type]} (c starts one)`);
    return null;
  }
  // the pause length only matters to analysis results, never to the requests checked here
  const check = transition(run.state, requestEvent({ type, by: 'you' }), { steps: run.steps, pause: 0 }, Date.now());
  if (!check.ok) {
    actions.flash('error', `canary ${run.version}: ${check.reason}`);
    return null;
  }
  return { operations, run };
}

/** Sends the request; the running canary's answer (or why it failed) becomes the flash line. */
async function send(ctx: UiContext, operations: Operations, type: CanaryRequestType): Promise<void> {
  const { actions } = ctx.store.getState();
  try {
    actions.flash('success', await operations.canaryControl(type));
  } catch (error) {
    actions.flash('error', `${type} failed: ${errorMessage(error)}`);
  }
}

/** A control key without a confirm: checked, then sent without holding up the keys. */
function control(ctx: UiContext, type: CanaryRequestType): void {
  const c = controllable(ctx, type);
  if (c) void send(ctx, c.operations, type);
}

export const promote = (ctx: UiContext): void => control(ctx, 'promote');
export const promoteFully = (ctx: UiContext): void => control(ctx, 'promote-full');

/** space: pauses a progressing canary, resumes a paused one. */
export function pauseOrResume(ctx: UiContext): void {
  const phase = ctx.store.getState().deployment?.canary?.state.phase;
  control(ctx, phase === 'paused' ? 'resume' : 'pause');
}

/** `a`: asks first; the canary's share of traffic goes back to the stable colour at once. */
export function confirmAbort(ctx: UiContext): void {
  const c = controllable(ctx, 'abort');
  if (!c) return;
  const { run, operations } = c;
  ctx.store.getState().actions.openModal({
    kind: 'confirm',
    title: `Abort the canary of ${run.version}?`,
    body: [
      `${run.canaryColour} ${run.version} stops taking traffic at once: the weights go back to ${weightsText(run.weightsBefore)}.`,
      'The run is kept, marked aborted, with who aborted it.',
    ].join('\n'),
    confirmLabel: 'abort',
    onConfirm: () => send(ctx, operations, 'abort'),
  });
}

/** `r`: asks first; the router goes back to the weights from before the canary. */
export function confirmRollback(ctx: UiContext): void {
  const c = controllable(ctx, 'rollback');
  if (!c) return;
  const { run, operations } = c;
  const stable = `${run.stableColour} ${run.stableVersion ?? '(version unknown)'}`;
  ctx.store.getState().actions.openModal({
    kind: 'confirm',
    title: `Roll back the canary of ${run.version}?`,
    body: [
      `from  ${run.canaryColour} ${run.version} (canary, ${run.state.phase})`,
      `to    ${stable}: ${weightsText(run.weightsBefore)}`,
    ].join('\n'),
    confirmLabel: 'roll back',
    onConfirm: () => send(ctx, operations, 'rollback'),
  });
}

/**
 * `c`: asks which version, then runs the canary. The operation resolves only when the run has
 * ended (and says how); the prompt's promise is not awaited by the key router, so keys go on.
 */
export function promptCanaryDeploy(ctx: UiContext): void {
  const { actions, deployment, environment } = ctx.store.getState();
  const operations = ctx.operations;
  if (!operations) return actions.flash('error', noRouter(ctx));
  const running = deployment?.canary;
  if (running && (isActive(running) || running.state.phase === 'promoting')) {
    return actions.flash(
      'error',
      `the canary of ${running.version} is still ${running.state.phase}: promote it (p, P), abort it (a) or roll it back (r) before starting another`,
    );
  }
  actions.openModal({
    kind: 'prompt',
    title: 'Canary release which version?',
    hint: `to ${environment}: released onto the idle colour, then given more of the traffic step by step while its error rate and latency are analysed`,
    text: '',
    onSubmit: async (text) => {
      const version = text.trim();
      if (version === '') throw new Error('canary: no version was typed: press c and type one, e.g. 1.4.2');
      try {
        await operations.canaryDeploy(version);
      } catch (error) {
        throw new Error(`canary ${version} failed: ${errorMessage(error)}`, { cause: error });
      }
    },
  });
}

// labels are short so the screen's keys, help and quit fit one 80-column footer
export const canaryKeys: ScreenKey[] = [
  { key: 'c', label: 'start', run: promptCanaryDeploy },
  { key: 'p', label: 'promote', run: promote },
  { key: 'P', label: 'to 100%', run: promoteFully },
  { key: 'space', label: 'pause', run: pauseOrResume },
  { key: 'a', label: 'abort', run: confirmAbort },
  { key: 'r', label: 'roll back', run: confirmRollback },
];
