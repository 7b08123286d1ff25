// Runs `prodx router` as a child process in front of the demo's targets, the way a user runs
// it. A child with an IPC channel (like sampleTarget.ts): it reports where it listens over IPC
// and exits when the channel closes, so even a SIGKILLed demo leaves no router behind.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../adapters/paths.js';
import { ExitCode, ProdxError } from '../core/errors.js';

export interface RouterProcessOptions {
  configPath: string;
  env: string;
  /** host:port overriding the config's router.listen; "127.0.0.1:0" picks a free port */
  listen?: string;
  admin?: string;
}

export interface RouterProcess {
  url: string;
  adminUrl: string;
  pid: number;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
// The router drains in-flight requests for up to 5s on SIGTERM; past this it is stuck.
const STOP_GRACE_MS = 8_000;
const STDERR_KEEP_CHARS = 2_000;

interface ListeningMessage {
  type: 'listening';
  url: string;
  adminUrl: string;
  pid: number;
}

function isListeningMessage(message: unknown): message is ListeningMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.type === 'listening' && typeof m.url === 'string' && typeof m.adminUrl === 'string' && typeof m.pid === 'number';
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Starts `prodx router` for one environment; resolves once it is listening. */
export async function startRouterProcess(opts: RouterProcessOptions): Promise<RouterProcess> {
  const args = ['router', '--config', opts.configPath, '--env', opts.env];
  if (opts.listen !== undefined) args.push('--listen', opts.listen);
  if (opts.admin !== undefined) args.push('--admin', opts.admin);
  const child = fork(join(packageRoot(), 'bin', 'prodx.js'), args, {
    // execArgv: [] so vitest/tsx loader flags of this process are not inherited by the bundle.
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  // Kept only to explain a failed start; always drained so the child never blocks on a full pipe.
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP_CHARS);
  });
  const exited = new Promise<void>((resolve) => (hasExited(child) ? resolve() : child.once('exit', () => resolve())));

  const ready = await new Promise<ListeningMessage>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const fail = (reason: string) => {
      cleanup();
      if (!hasExited(child)) child.kill('SIGKILL');
      const detail = stderr
        .trim()
        .split('\n')
        .at(-1)
        ?.replace(/^prodx: /, '');
      reject(new ProdxError('router-start-failed', `prodx router did not start: ${detail || reason}`, ExitCode.failed));
    };
    const onMessage = (message: unknown) => {
      if (!isListeningMessage(message)) return;
      cleanup();
      resolve(message);
    };
    // stderr may still be arriving when 'exit' fires; 'close' waits for the streams.
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      child.once('close', () => fail(`it exited with ${signal ?? `code ${code}`} before listening`));
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
        const timer = setTimeout(() => hasExited(child) || child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      child.stderr?.destroy();
    })());

  return { url: ready.url, adminUrl: ready.adminUrl, pid: ready.pid, stop };
}
