/** Exit codes are a contract with CI pipelines (DESIGN.md). */
export const ExitCode = { ok: 0, failed: 1, badInput: 2, locked: 3 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A failure the user can act on: a one-line message that says what is wrong and what to do.
 * The CLI prints it (or `{"ok":false,"error":…}`) and exits with `exitCode`; never a stack.
 */
export class ProdxError extends Error {
  constructor(
    /** stable, machine-readable: `config-invalid`, `lock-held`, `usage` … */
    readonly code: string,
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.badInput,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ProdxError';
  }
}

/** Where in a JSON text a parse error is, as "line L column C", from the error's offset. */
export function jsonErrorLocation(text: string, err: unknown): string | undefined {
  const m = err instanceof Error ? /position (\d+)/.exec(err.message) : null;
  if (!m) return undefined;
  const offset = Number(m[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line} column ${column}`;
}

/** The JSON.parse message without its position noise, e.g. `Unexpected token }`. */
export function jsonErrorReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (
    msg
      .replace(/,? ?(in JSON )?at position \d+.*$/, '')
      .replace(/ \(line \d+ column \d+\)$/, '')
      .trim() || 'not valid JSON'
  );
}
