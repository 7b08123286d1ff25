// Starts the interactive app and gives the terminal back exactly as it was: on a TTY the app
// draws on the alternate screen buffer, which is left again on quit, on an exception, on
// SIGTERM/SIGHUP, and (as a last resort) when the process exits.
import { render } from 'ink';
import { App } from './App.js';
import type { UiContext } from './context.js';

export const ENTER_ALT_SCREEN = '\x1b[?1049h';
export const LEAVE_ALT_SCREEN = '\x1b[?1049l';

/** Where the app draws and reads keys; the process's own streams unless given (tests). */
export interface InteractiveOptions {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** route console.* output above the app instead of through it (default true) */
  patchConsole?: boolean;
}

export type QuitHow = 'normal' | 'leave' | 'cancel' | 'force' | 'signal';

const SIGNAL_EXIT_CODES = { SIGTERM: 143, SIGHUP: 129 } as const;

/**
 * Renders the app until the user quits (q, :quit, Ctrl-C) or a signal ends it, and says how it
 * ended. `ctx.onQuit` is called exactly once however the app ends. Rejects with the error if the
 * app crashed (after the terminal is restored).
 */
export async function runInteractive(ctx: UiContext, io: InteractiveOptions = {}): Promise<QuitHow> {
  const stdout = io.stdout ?? process.stdout;
  const altScreen = stdout.isTTY === true;
  let restored = false;
  const restoreTerminal = () => {
    if (!altScreen || restored) return;
    restored = true;
    stdout.write(LEAVE_ALT_SCREEN);
  };

  let how: QuitHow | null = null;
  const quitOnce = (mode: QuitHow) => {
    if (how !== null) return;
    how = mode;
    if (mode !== 'signal') ctx.onQuit?.(mode);
  };
  const appCtx: UiContext = { ...ctx, onQuit: quitOnce };

  // a terminal that hangs up can fail the next read (EIO): that ends the app like SIGHUP does,
  // it is not an uncaught error that would skip the caller's cleanup
  const stdin = io.stdin ?? process.stdin;
  const onStdinError = () => onSignal('SIGHUP');
  stdin.on('error', onStdinError);
  if (altScreen) stdout.write(ENTER_ALT_SCREEN);
  process.once('exit', restoreTerminal);
  let instance: ReturnType<typeof render> | undefined;
  const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
    process.exitCode = SIGNAL_EXIT_CODES[signal];
    quitOnce('signal');
    instance?.unmount();
  };
  const signals = (Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[]).map((signal) => {
    const listener = () => onSignal(signal);
    process.once(signal, listener);
    return () => process.off(signal, listener);
  });
  try {
    instance = render(<App ctx={appCtx} />, {
      exitOnCtrlC: false,
      patchConsole: io.patchConsole ?? true,
      stdout,
      ...(io.stdin ? { stdin: io.stdin } : {}),
      ...(io.stderr ? { stderr: io.stderr } : {}),
    });
    await instance.waitUntilExit();
  } finally {
    instance?.cleanup();
    for (const off of signals) off();
    stdin.off('error', onStdinError);
    process.off('exit', restoreTerminal);
    restoreTerminal();
    quitOnce('normal');
  }
  return how ?? 'normal';
}
