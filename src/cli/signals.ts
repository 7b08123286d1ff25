// Ctrl-C and SIGTERM during an operation: the first stops it at its next safe point (the
// release hook's process group is stopped, waits end, the state keeps where it was for
// `--resume` or `rollback`); a second exits at once. The exit code says which signal it was.
import { asOperation } from './output.js';

export interface Stoppable<T> {
  value: T;
  /** the signal that stopped it, if one did */
  signal: 'SIGINT' | 'SIGTERM' | null;
}

const EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export async function stoppable<T>(body: (signal: AbortSignal) => Promise<T>): Promise<Stoppable<T>> {
  const controller = new AbortController();
  let got: 'SIGINT' | 'SIGTERM' | null = null;
  const on = (sig: 'SIGINT' | 'SIGTERM') => () => {
    if (got) process.exit(EXIT[sig]);
    got = sig;
    controller.abort();
  };
  const onInt = on('SIGINT');
  const onTerm = on('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const value = await asOperation(() => body(controller.signal));
    return { value, signal: got };
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

/** The exit code of an operation a signal stopped: 130 after Ctrl-C, 143 after SIGTERM. */
export const signalExit = (signal: 'SIGINT' | 'SIGTERM'): number => EXIT[signal];
