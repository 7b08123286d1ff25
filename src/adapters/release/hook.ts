// The release hook: the user's argv that installs a version on a colour. Run without a shell
// (argv array), with the version and target in environment variables, its output streamed line
// by line, bounded by a timeout that kills the whole process group.
import { spawn } from 'node:child_process';
import { ExitCode, ProdxError } from '../../core/errors.js';
import { formatDuration } from '../../core/config/duration.js';

export interface HookRun {
  command: string[];
  env: { PRODX_VERSION: string; PRODX_TARGET: string; PRODX_TARGET_URL: string; PRODX_ENV: string };
  timeoutMs: number;
  cwd: string;
  onLine?(line: string, stream: 'stdout' | 'stderr'): void;
  signal?: AbortSignal;
}

const TAIL = 20;

export function runReleaseHook(run: HookRun): Promise<{ lines: string[] }> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = run.command;
    if (!file)
      return reject(
        new ProdxError('hook-invalid', 'release.command is empty: give the argv of your release script, e.g. ["./scripts/release.sh"].'),
      );
    const tail: string[] = [];
    let settled = false;
    const child = spawn(file, args, {
      cwd: run.cwd,
      env: { ...process.env, ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group, so a timeout kills the script and everything it started
      detached: true,
    });
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve({ lines: tail });
    };
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      finish(
        new ProdxError(
          'hook-timeout',
          `release hook ${JSON.stringify(run.command)} did not finish within ${formatDuration(run.timeoutMs)} and was stopped: raise release.timeout or fix the script.`,
          ExitCode.failed,
          { lines: tail },
        ),
      );
    }, run.timeoutMs);
    const onAbort = () => {
      killGroup();
      finish(new ProdxError('hook-aborted', 'release hook stopped: the deploy was cancelled.', ExitCode.failed));
    };
    run.signal?.addEventListener('abort', onAbort, { once: true });
    const pipe = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).replace(/\r$/, '');
          buf = buf.slice(i + 1);
          tail.push(line);
          if (tail.length > TAIL) tail.shift();
          run.onLine?.(line, name);
        }
      });
      stream.on('end', () => {
        if (buf) {
          tail.push(buf);
          run.onLine?.(buf, name);
        }
      });
    };
    pipe(child.stdout!, 'stdout');
    pipe(child.stderr!, 'stderr');
    child.on('error', (err: NodeJS.ErrnoException) =>
      finish(
        new ProdxError(
          'hook-failed',
          err.code === 'ENOENT'
            ? `release hook ${JSON.stringify(file)} not found: check release.command (paths are relative to the config file).`
            : err.code === 'EACCES'
              ? `release hook ${JSON.stringify(file)} is not executable: chmod +x it, or put the interpreter first in release.command.`
              : `release hook could not start: ${err.message}`,
          ExitCode.badInput,
        ),
      ),
    );
    child.on('close', (code, sig) => {
      if (code === 0) return finish(null);
      const last = tail.filter((l) => l.trim()).at(-1);
      finish(
        new ProdxError(
          'hook-failed',
          `release hook exited with ${sig ?? `code ${code}`}${last ? `: ${last}` : ''}. The live colour was not touched.`,
          ExitCode.failed,
          { lines: tail },
        ),
      );
    });
  });
}
