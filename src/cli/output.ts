// How results reach the user: one JSON object per command with --json (one per line with
// --watch), or short text; failures as `{"ok":false,"error":{…}}` or one line on stderr.
import { styleText } from 'node:util';
import { ExitCode, ProdxError, type ExitCodeValue } from '../core/errors.js';

export interface OutputOptions {
  json: boolean;
  color: boolean;
}

type Style = Parameters<typeof styleText>[0];

export function paint(o: OutputOptions, style: Style, text: string): string {
  return o.color ? styleText(style, text) : text;
}

/** colour for a health status word */
export function statusStyle(status: string): Style {
  return status === 'healthy' ? 'green' : status === 'degraded' ? 'yellow' : status === 'down' ? 'red' : 'gray';
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Prints a failure the way the user asked for and returns the exit code to use. */
export function reportError(o: Pick<OutputOptions, 'json' | 'color'>, err: unknown): ExitCodeValue {
  if (err instanceof ProdxError) {
    if (o.json) printJson({ ok: false, error: { code: err.code, message: err.message, ...err.details } });
    else {
      process.stderr.write(`${paint(o, 'red', 'prodx:')} ${err.message}\n`);
      const problems = (err.details?.['problems'] as { path: string; message: string }[] | undefined) ?? [];
      for (const p of problems.slice(1, 10)) process.stderr.write(`  also ${p.path}: ${p.message}\n`);
    }
    return err.exitCode;
  }
  // A bug, not a user mistake: still one line, plus where to look.
  // one line: a multi-line message (e.g. a schema dump) goes with the stack under PRODX_DEBUG
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
  if (o.json) printJson({ ok: false, error: { code: 'internal', message } });
  else process.stderr.write(`prodx: internal error: ${message} (set PRODX_DEBUG=1 for the stack, and please report it)\n`);
  if (process.env['PRODX_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return ExitCode.failed;
}

export function ago(ms: number): string {
  if (ms < 1000) return 'just now';
  if (ms < 60_000) return `${Math.round(ms / 1000)}s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)}m ago`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)}h ago`;
  return `${Math.round(ms / 86_400_000)}d ago`;
}
