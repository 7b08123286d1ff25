// Runs the sample weather app as a child process, so the demo and integration tests deploy to
// real servers on real ports. A child (not in-process) so stop() is a real process exit and a
// crashed prodx cannot leave the app behind: the child exits when its IPC channel closes.
import { fork, type ChildProcess } from 'node:child_process';
import { fixturePath } from '../adapters/paths.js';

export interface Faults {
  errorRatio: number;
  latencyMs: number;
  failHealth: boolean;
}

export interface SampleTargetOptions {
  version: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  errorRatio?: number;
  latencyMs?: number;
  failHealth?: boolean;
  /** Display name, e.g. "blue"; defaults to `weather@<version>`. */
  name?: string;
}

export interface SampleTarget {
  name: string;
  url: string;
  port: number;
  version: string;
  pid: number;
  setFaults(partial: Partial<Faults>): Promise<Faults>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
const STDERR_KEEP_CHARS = 2_000;

interface ListeningMessage {
  type: 'listening';
  url: string;
  port: number;
  version: string;
  pid: number;
}

function isListeningMessage(message: unknown): message is ListeningMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.type === 'listening' && typeof m.url === 'string' && typeof m.port === 'number';
}

function serverArgs(opts: SampleTargetOptions): string[] {
  const args = ['--host', opts.host ?? '127.0.0.1', '--port', String(opts.port ?? 0), '--version', opts.version];
  if (opts.errorRatio !== undefined) args.push('--error-ratio', String(opts.errorRatio));
  if (opts.latencyMs !== undefined) args.push('--latency-ms', String(opts.latencyMs));
  if (opts.failHealth) args.push('--fail-health');
  return args;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Starts the weather app in a child process; resolves once it is listening. */
export async function startSampleTarget(opts: SampleTargetOptions): Promise<SampleTarget> {
  const name = opts.name ?? `weather@${opts.version}`;
  const child = fork(fixturePath('weather-app', 'server.mjs'), serverArgs(opts), {
    // execArgv: [] so vitest/tsx loader flags of this process are not inherited by plain JS.
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, APP_VERSION: opts.version },
  });
  // Kept only to explain a failed start; always drained so the child never blocks on a full pipe.
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP_CHARS);
  });
  const exited = new Promise<void>((resolve) => {
    if (hasExited(child)) resolve();
    else child.once('exit', () => resolve());
  });

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
      const detail = stderr.trim().split('\n').at(-1);
      reject(new Error(`sample target ${name} failed to start: ${reason}${detail ? ` (${detail})` : ''}`));
    };
    const onMessage = (message: unknown) => {
      if (!isListeningMessage(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      // stderr may still be arriving when 'exit' fires; 'close' waits for the streams.
      child.once('close', () => fail(`exited with ${signal ?? `code ${code}`} before listening`));
    const onError = (err: Error) => fail(err.message);
    const timer = setTimeout(() => fail(`no listening message within ${START_TIMEOUT_MS / 1000}s`), START_TIMEOUT_MS);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!hasExited(child)) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          if (!hasExited(child)) child.kill('SIGKILL');
        }, STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      child.stderr?.destroy();
    })();
    return stopping;
  };

  const setFaults = async (partial: Partial<Faults>): Promise<Faults> => {
    const res = await fetch(`${ready.url}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(partial),
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const message = typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : res.statusText;
      throw new Error(`setting faults on ${name} failed: HTTP ${res.status}: ${message}`);
    }
    return body as Faults;
  };

  return {
    name,
    url: ready.url,
    port: ready.port,
    version: ready.version,
    pid: ready.pid,
    setFaults,
    stop,
  };
}
