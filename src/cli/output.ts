// How results reach the user: one JSON object per command with --json (one per line with
// --watch, each with `ok`), or short text; failures as `{"ok":false,"error":{…}}` or one line on
// stderr. A closed pipe (`prodx deploy 2.0.0 2>&1 | head -1`) never stops an operation: its
// output is dropped and it runs to its end; outside an operation the command just ends.
import { styleText } from 'node:util';
import { ExitCode, ProdxError, type ExitCodeValue } from '../core/errors.js';

export interface OutputOptions {
  json: boolean;
  color: boolean;
}

type Style = Parameters<typeof styleText>[0];

export function paint(o: Pick<OutputOptions, 'color'>, style: Style, text: string): string {
  return o.color ? styleText(style, text, { validateStream: false }) : text;
}

/** colour for a health status word */
export function statusStyle(status: string): Style {
  return status === 'healthy' ? 'green' : status === 'degraded' ? 'yellow' : status === 'down' ? 'red' : 'gray';
}

let operations = 0;
const closed = { stdout: false, stderr: false };

/** While `body` runs, a closed stdout or stderr only silences output. */
export async function asOperation<T>(body: () => Promise<T>): Promise<T> {
  operations++;
  try {
    return await body();
  } finally {
    operations--;
  }
}

function guard(stream: NodeJS.WriteStream, name: keyof typeof closed): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'EIO' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    closed[name] = true;
    // `prodx status | head -1`: nothing more to say, and no operation to finish
    if (operations === 0) process.exit(process.exitCode ?? 0);
  });
}
guard(process.stdout, 'stdout');
guard(process.stderr, 'stderr');

export const out = (text: string): void => {
  if (!closed.stdout) process.stdout.write(text);
};
export const err = (text: string): void => {
  if (!closed.stderr) process.stderr.write(text);
};

export function printJson(value: unknown): void {
  out(`${JSON.stringify(value)}\n`);
}

/** One line of a `--watch --json` stream: every line says whether it is good news. */
export function printJsonLine(value: Record<string, unknown>, ok = true): void {
  printJson({ ok, ...value });
}

/** Prints a failure the way the user asked for and returns the exit code to use. */
export function reportError(o: Pick<OutputOptions, 'json' | 'color'>, e: unknown): ExitCodeValue {
  if (e instanceof ProdxError) {
    if (o.json) printJson({ ok: false, error: { code: e.code, message: e.message, ...e.details } });
    else {
      err(`${paint(o, 'red', 'prodx:')} ${e.message}\n`);
      const problems = (e.details?.['problems'] as { path: string; message: string }[] | undefined) ?? [];
      for (const p of problems.slice(1, 10)) err(`  also ${p.path}: ${p.message}\n`);
    }
    return e.exitCode;
  }
  // A bug, not a user mistake: still one line, plus where to look.
  // one line: a multi-line message (e.g. a schema dump) goes with the stack under PRODX_DEBUG
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  if (o.json) printJson({ ok: false, error: { code: 'internal', message } });
  else err(`prodx: internal error: ${message} (set PRODX_DEBUG=1 for the stack, and please report it)\n`);
  if (process.env['PRODX_DEBUG'] && e instanceof Error) err(`${e.stack}\n`);
  return ExitCode.failed;
}

export function ago(ms: number): string {
  if (ms < 1000) return 'just now';
  if (ms < 60_000) return `${Math.round(ms / 1000)}s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)}m ago`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)}h ago`;
  return `${Math.round(ms / 86_400_000)}d ago`;
}

/** `in 9m`, `in 45s`: how long until `ms` from now, never "just now" for a time still ahead. */
export function inTime(ms: number): string {
  if (ms < 60_000) return `in ${Math.max(1, Math.ceil(ms / 1000))}s`;
  if (ms < 3_600_000) return `in ${Math.round(ms / 60_000)}m`;
  if (ms < 86_400_000) return `in ${Math.round(ms / 3_600_000)}h`;
  return `in ${Math.round(ms / 86_400_000)}d`;
}
