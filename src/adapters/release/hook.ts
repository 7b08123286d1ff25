// The release hook: the user's argv that installs a version on a colour, run by the one process
// runner (no shell, its own process group, bounded output) with the version and target in its
// environment. Failures become one-line ProdxErrors that name the hook and its last line.
import type { HookRun } from '../../core/deploy/hook.js';
import { ExitCode, ProdxError } from '../../core/errors.js';
import { formatDuration } from '../../core/config/duration.js';
import { oneLine } from '../../core/text.js';
import { runProcess } from '../process/run.js';

export async function runReleaseHook(run: HookRun): Promise<{ lines: string[] }> {
  const [file] = run.command;
  if (!file)
    throw new ProdxError('hook-invalid', 'release.command is empty: give the argv of your release script, e.g. ["./scripts/release.sh"].');
  const r = await runProcess(run.command, {
    cwd: run.cwd,
    env: run.env,
    timeoutMs: run.timeoutMs,
    ...(run.signal ? { signal: run.signal } : {}),
    ...(run.onLine ? { onLine: run.onLine } : {}),
  });
  const details = { lines: r.lines };
  switch (r.end) {
    case 'exited': {
      if (r.code === 0) return { lines: r.lines };
      const last = r.lines.filter((l) => l.trim()).at(-1);
      throw new ProdxError(
        'hook-failed',
        `release hook exited with ${r.signal ?? `code ${r.code}`}${last ? `: ${oneLine(last, 200)}` : ''}. The live colour was not touched.`,
        ExitCode.failed,
        details,
      );
    }
    case 'timeout':
      throw new ProdxError(
        'hook-timeout',
        `release hook ${oneLine(JSON.stringify(run.command), 120)} did not finish within ${formatDuration(run.timeoutMs)} and was stopped: raise release.timeout or fix the script.`,
        ExitCode.failed,
        details,
      );
    case 'aborted':
      throw new ProdxError('hook-aborted', 'release hook stopped: the operation was cancelled.', ExitCode.failed, details);
    case 'spawn-error':
      throw new ProdxError(
        'hook-failed',
        r.errno === 'ENOENT'
          ? `release hook ${JSON.stringify(file)} not found: check release.command (paths are relative to the config file).`
          : r.errno === 'EACCES'
            ? `release hook ${JSON.stringify(file)} is not executable: chmod +x it, or put the interpreter first in release.command.`
            : `release hook could not start: ${r.message ?? 'unknown error'}`,
        ExitCode.badInput,
      );
  }
}
