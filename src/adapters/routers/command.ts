// The `command` router: the user's own argv switches traffic (a cloud CLI, a script that edits a
// load balancer). prodx hands it the weights in the environment and trusts its exit code, since
// it cannot read an arbitrary router back. Also home of runArgv, the one subprocess runner the
// routers share (argv arrays only, a timeout that kills the whole process group).
import { spawn } from 'node:child_process';
import { ExitCode, ProdxError } from '../../core/errors.js';
import { validateWeights, type RouterOptions, type TrafficRouter, type Weights } from '../../core/deploy/router.js';

export interface CommandRouterConfig {
  command: string[];
}

export interface RunOptions {
  /** what the argv is in the config, for messages, e.g. `router.test` */
  what: string;
  timeoutMs: number;
  env?: Record<string, string>;
  cwd?: string;
  signal?: AbortSignal;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export const COMMAND_TIMEOUT_MS = 60_000;
// Enough of a command's output to explain a failure; a chatty command must not grow memory.
const KEEP_CHARS = 16_384;

/** `nginx -s reload`, with arguments that need it quoted, for messages and --dry-run. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The last non-empty line of a command's output, where tools put their verdict. */
export function lastLine(text: string): string | undefined {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
}

/**
 * Runs an argv (never a shell) and resolves with its exit status and output, whatever the status.
 * Rejects with a ProdxError only when it cannot run, times out or is aborted.
 */
export function runArgv(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    if (!file) return reject(new ProdxError('router-command-invalid', `${opts.what} is empty: give an argv such as ["nginx", "-t"].`));
    if (opts.signal?.aborted) return reject(aborted(opts.what));
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group, so a timeout also stops whatever the command started
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout = (stdout + c).slice(-KEEP_CHARS)));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-KEEP_CHARS)));
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const finish = (err: ProdxError | null, result?: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(result!);
    };
    const timer = setTimeout(() => {
      killGroup();
      const seconds = Math.round(opts.timeoutMs / 1000);
      finish(
        new ProdxError(
          'router-command-timeout',
          `${opts.what} (${formatArgv(argv)}) did not finish within ${seconds}s and was stopped: fix the command or what it waits for.`,
          ExitCode.failed,
        ),
      );
    }, opts.timeoutMs);
    const onAbort = () => {
      killGroup();
      finish(aborted(opts.what));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) => {
      const how =
        err.code === 'ENOENT'
          ? `"${file}" was not found: install it or give its full path in ${opts.what}.`
          : err.code === 'EACCES'
            ? `"${file}" is not executable: chmod +x it, or put its interpreter first in ${opts.what}.`
            : `${err.message}: check ${opts.what}.`;
      finish(new ProdxError('router-command-failed', `cannot run ${opts.what}: ${how}`, ExitCode.badInput));
    });
    child.on('close', (code, signal) => finish(null, { code, signal, stdout, stderr }));
  });
}

export function aborted(what: string): ProdxError {
  return new ProdxError(
    'router-aborted',
    `${what} was stopped because the operation was cancelled; run it again when ready.`,
    ExitCode.failed,
  );
}

export function checkWeights(weights: Weights, colours?: readonly string[]): void {
  const invalid = validateWeights(weights);
  if (invalid) throw new ProdxError('weights-invalid', `cannot route traffic: ${invalid}.`);
  const unknown = colours ? Object.keys(weights).filter((c) => !colours.includes(c)) : [];
  if (unknown.length > 0)
    throw new ProdxError(
      'weights-invalid',
      `cannot route traffic to "${unknown[0]}": it is not a target of this environment (${colours!.join(', ')}).`,
    );
}

/** PRODX_WEIGHTS plus one PRODX_WEIGHT_<COLOUR> per colour (upper-case, - becomes _). */
export function weightEnv(weights: Weights): Record<string, string> {
  const env: Record<string, string> = { PRODX_WEIGHTS: JSON.stringify(weights) };
  for (const [colour, w] of Object.entries(weights)) env[`PRODX_WEIGHT_${colour.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = String(w);
  return env;
}

export function createCommandRouter(cfg: CommandRouterConfig, opts: { cwd?: string; timeoutMs?: number } = {}): TrafficRouter {
  const timeoutMs = opts.timeoutMs ?? COMMAND_TIMEOUT_MS;
  return {
    kind: 'command',
    // A user command is write-only: prodx cannot ask an arbitrary router what it does now.
    read: () => Promise.resolve(null),
    async apply(weights: Weights, ro: RouterOptions = {}) {
      checkWeights(weights);
      const what = 'router.command';
      const run = await runArgv(cfg.command, {
        what,
        timeoutMs,
        env: weightEnv(weights),
        signal: ro.signal,
        ...(opts.cwd ? { cwd: opts.cwd } : {}),
      });
      if (run.code === 0) return;
      const last = lastLine(run.stderr) ?? lastLine(run.stdout);
      throw new ProdxError(
        'router-command-failed',
        `${what} (${formatArgv(cfg.command)}) exited with ${run.signal ?? `code ${run.code}`}${last ? `: ${last}` : ''}. Fix it and run again; prodx cannot tell which weights are live now.`,
        ExitCode.failed,
        { stderr: run.stderr, stdout: run.stdout },
      );
    },
    describe(weights: Weights) {
      const env = Object.entries(weightEnv(weights)).map(([k, v]) => `${k}=${formatArgv([v])}`);
      return [`run ${formatArgv(cfg.command)} with ${env.join(' ')}`, `wait up to ${Math.round(timeoutMs / 1000)}s for exit code 0`];
    },
  };
}
