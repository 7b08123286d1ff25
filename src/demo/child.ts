// Starts a helper server (a sample target, the builtin router) as a child process with an IPC
// channel: it reports where it listens in a `{type: 'listening', …}` message, and exits when the
// channel closes, so even a SIGKILLed parent leaves nothing behind. Shared by sampleTarget.ts
// and router.ts.
import { fork, type ChildProcess } from 'node:child_process';

const START_TIMEOUT_MS = 10_000;
const STDERR_KEEP_CHARS = 2_000;

export interface ListeningChild<M> {
  /** the child's `listening` message */
  ready: M;
  /** SIGTERM, then SIGKILL after `graceMs`; safe to call twice */
  stop(): Promise<void>;
}

export interface ForkOptions<M> {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** recognises the child's `listening` message */
  isListening(message: unknown): message is M;
  graceMs: number;
  /** turns the reason and the child's last stderr line into the error to reject with */
  startError(reason: string, lastStderrLine: string | undefined): Error;
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export async function forkListening<M>(o: ForkOptions<M>): Promise<ListeningChild<M>> {
  const child = fork(o.file, o.args, {
    // execArgv: [] so vitest's loader flags of this process are not inherited by the child.
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: o.env,
  });
  // Kept only to explain a failed start; always drained so the child never blocks on a full pipe.
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP_CHARS);
  });
  const exited = new Promise<void>((resolve) => (hasExited(child) ? resolve() : child.once('exit', () => resolve())));

  const ready = await new Promise<M>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const fail = (reason: string) => {
      cleanup();
      if (!hasExited(child)) child.kill('SIGKILL');
      reject(o.startError(reason, stderr.trim().split('\n').at(-1) || undefined));
    };
    const onMessage = (message: unknown) => {
      if (!o.isListening(message)) return;
      cleanup();
      resolve(message);
    };
    // stderr may still be arriving when 'exit' fires; 'close' waits for the streams.
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      child.once('close', () => fail(`exited with ${signal ?? `code ${code}`} before listening`));
    const onError = (err: Error) => fail(err.message);
    const timer = setTimeout(() => fail(`no listening message within ${START_TIMEOUT_MS / 1000}s`), START_TIMEOUT_MS);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (!hasExited(child)) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => hasExited(child) || child.kill('SIGKILL'), o.graceMs);
        await exited;
        clearTimeout(timer);
      }
      child.stderr?.destroy();
    })());
  return { ready, stop };
}
