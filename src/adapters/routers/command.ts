// The `command` router: the user's own argv switches traffic (a cloud CLI, a script that edits a
// load balancer). prodx hands it the weights in the environment and trusts its exit code, since
// it cannot read an arbitrary router back. `runArgv` maps the one process runner's outcome to
// the routers' errors (nginx's test and reload use it too).
import { ExitCode, ProdxError } from '../../core/errors.js';
import { validateWeights, type RouterOptions, type TrafficRouter, type Weights } from '../../core/deploy/router.js';
import { oneLine } from '../../core/text.js';
import { formatArgv, lastLine, runProcess } from '../process/run.js';

export { formatArgv, lastLine } from '../process/run.js';

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

/**
 * Runs an argv (never a shell) and resolves with its exit status and output, whatever the status.
 * Rejects with a ProdxError only when it cannot run, times out or is aborted.
 */
export async function runArgv(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  const [file] = argv;
  if (!file) throw new ProdxError('router-command-invalid', `${opts.what} is empty: give an argv such as ["nginx", "-t"].`);
  const r = await runProcess(argv, {
    timeoutMs: opts.timeoutMs,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (r.end === 'aborted') throw aborted(opts.what);
  if (r.end === 'timeout') {
    throw new ProdxError(
      'router-command-timeout',
      `${opts.what} (${oneLine(formatArgv(argv), 120)}) did not finish within ${Math.round(opts.timeoutMs / 1000)}s and was stopped: fix the command or what it waits for.`,
      ExitCode.failed,
    );
  }
  if (r.end === 'spawn-error') {
    const how =
      r.errno === 'ENOENT'
        ? `"${file}" was not found: install it or give its full path in ${opts.what}.`
        : r.errno === 'EACCES'
          ? `"${file}" is not executable: chmod +x it, or put its interpreter first in ${opts.what}.`
          : `${r.message ?? 'it could not start'}: check ${opts.what}.`;
    throw new ProdxError('router-command-failed', `cannot run ${opts.what}: ${how}`, ExitCode.badInput);
  }
  return { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
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
      const found = lastLine(run.stderr) ?? lastLine(run.stdout);
      const last = found === undefined ? undefined : oneLine(found, 200);
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
