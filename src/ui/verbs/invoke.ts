// The one way a verb runs, from a key, the `:` line, a prompt or a confirm: a disabled verb says
// why (nothing opens); a missing argument opens its prompt; bad arguments are an error that a
// prompt shows while keeping the text; a dangerous verb asks first, with Cancel focused. A verb
// that fails becomes a red flash line, never a crashed terminal.
import type { UiContext } from '../context.js';
import type { KeyAction, Verb, VerbState } from './types.js';

export const verbState = (ctx: UiContext): VerbState => ({ s: ctx.store.getState(), now: Date.now() });

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}

/** Runs the verb's work; a throw or a rejection is flashed as `<verb>: <message>`. */
export function perform(ctx: UiContext, verb: Verb, args: string[], v: VerbState = verbState(ctx)): void {
  const fail = (e: unknown) => ctx.store.getState().actions.flash('error', `${verb.name}: ${errorMessage(e)}`);
  try {
    const result = verb.run(ctx, args, v);
    if (result && typeof (result as Promise<void>).then === 'function') (result as Promise<void>).then(undefined, fail);
  } catch (e) {
    fail(e);
  }
}

export interface InvokeFrom {
  /** the key that asked, whose confirm and disabledReason override the verb's */
  key?: KeyAction;
  /** the prompt that asked: a bad argument keeps it open with the error */
  prompt?: boolean;
  /** already confirmed: run it (after checking it still may) */
  confirmed?: boolean;
  /** how far the open detail scrolls, as the key router last saw it drawn */
  scrollLimit?: number;
}

export function invoke(ctx: UiContext, verb: Verb, args: string[], from: InvokeFrom = {}): void {
  const v: VerbState = { ...verbState(ctx), ...(from.scrollLimit !== undefined ? { scrollLimit: from.scrollLimit } : {}) };
  const { actions } = v.s;
  // arguments typed on the `:` line are checked first: a typo is the first thing to hear about
  const typed = args.length > 0 && !from.prompt && !from.confirmed ? (verb.validate?.(args, v) ?? null) : null;
  if (typed) return actions.flash('error', `${verb.name}: ${typed}`);
  const reason = from.key?.disabledReason?.(v) ?? verb.disabledReason?.(v) ?? null;
  if (reason) {
    if (from.prompt) actions.closeModal();
    return actions.flash('error', `${verb.name}: ${reason}`);
  }
  const missing = (verb.args ?? []).some((a, i) => a.required && !args[i]);
  if (missing && !from.prompt) {
    if (verb.prompt)
      return actions.openModal({
        kind: 'prompt',
        verb: verb.name,
        title: typeof verb.prompt.title === 'string' ? verb.prompt.title : verb.prompt.title(v),
        hint: verb.prompt.hint(v),
        text: '',
        error: null,
      });
    return actions.flash('error', `${verb.name} needs ${(verb.args ?? []).map((a) => `<${a.name}>`).join(' ')}`);
  }
  const problem = verb.validate?.(args, v) ?? null;
  if (problem) {
    if (from.prompt) return actions.patchModal('prompt', { error: problem });
    return actions.flash('error', `${verb.name}: ${problem}`);
  }
  if (!from.confirmed) {
    const c = from.key?.confirm ? from.key.confirm(v) : (verb.confirm?.(v, args) ?? null);
    if (c) {
      return actions.openModal({
        kind: 'confirm',
        title: c.title,
        lines: c.lines,
        confirmLabel: c.confirmLabel,
        focus: 'cancel',
        verb: verb.name,
        args: c.args ?? args,
      });
    }
  }
  if (from.prompt) actions.closeModal();
  perform(ctx, verb, args, v);
}
