// Every key action and `:` command goes through here, so an operation that throws (at once
// or later, from a promise) becomes a red flash line instead of a crashed terminal.
import type { UiContext } from './context.js';

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}

/**
 * Runs `fn`; a thrown error or rejected promise is flashed as `<what> failed: <message>`, or as
 * the message alone when `what` is null (the error already says what failed).
 */
export function safeRun(ctx: UiContext, what: string | null, fn: () => void | Promise<void>): void {
  const fail = (error: unknown) =>
    ctx.store.getState().actions.flash('error', what === null ? errorMessage(error) : `${what} failed: ${errorMessage(error)}`);
  try {
    const result = fn();
    if (result && typeof (result as Promise<void>).then === 'function') (result as Promise<void>).then(undefined, fail);
  } catch (error) {
    fail(error);
  }
}
