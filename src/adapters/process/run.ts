// The one process runner, for release hooks and the routers' commands (nginx -t, a user's
// switch script): an argv (never a shell), its own process group so a timeout or a cancel
// stops everything it started (SIGTERM, then SIGKILL after a grace period), and bounded output:
// each line at most LINE_MAX characters, the kept tail at most TAIL_MAX. A hook that prints a
// 10 MB line costs neither memory nor the state file.
import { spawn } from 'node:child_process';

export const LINE_MAX = 2_000;
export const TAIL_MAX = 16 * 1024;
/** how long a process group has to exit after SIGTERM before it is killed */
export const KILL_GRACE_MS = 2_000;

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  onLine?(line: string, stream: 'stdout' | 'stderr'): void;
}

export interface RunOutcome {
  /** how it ended: exited (with a code or a signal), could not start, timed out, or was cancelled */
  end: 'exited' | 'spawn-error' | 'timeout' | 'aborted';
  code: number | null;
  signal: NodeJS.Signals | null;
  /** the spawn error's code (ENOENT, EACCES) */
  errno?: string;
  message?: string;
  /** the output's tail, each stream on its own, at most TAIL_MAX characters */
  stdout: string;
  stderr: string;
  /** the last lines (both streams, cut to LINE_MAX), newest last */
  lines: string[];
}

const KEEP_LINES = 20;

/** Splits a stream into bounded lines; a line longer than LINE_MAX is cut and the rest of it dropped. */
function lineReader(stream: NodeJS.ReadableStream, emit: (line: string) => void, keep: (chunk: string) => void): () => void {
  let buf = '';
  let dropping = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    keep(chunk);
    let start = 0;
    for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', start)) {
      if (!dropping) emit((buf + chunk.slice(start, i)).replace(/\r$/, ''));
      buf = '';
      dropping = false;
      start = i + 1;
    }
    if (dropping) return;
    buf += chunk.slice(start);
    if (buf.length > LINE_MAX) {
      emit(`${buf.slice(0, LINE_MAX)}…`);
      buf = '';
      dropping = true;
    }
  });
  return () => {
    if (buf && !dropping) emit(buf);
  };
}

export function runProcess(argv: readonly string[], o: RunOptions): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    let stdout = '';
    let stderr = '';
    const lines: string[] = [];
    const base = () => ({ stdout, stderr, lines });
    if (!file) return resolve({ end: 'spawn-error', code: null, signal: null, errno: 'EMPTY', message: 'empty argv', ...base() });
    if (o.signal?.aborted) return resolve({ end: 'aborted', code: null, signal: null, ...base() });
    const child = spawn(file, args, {
      cwd: o.cwd,
      env: { ...process.env, ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group: a timeout or a cancel stops the command and everything it started
      detached: true,
    });
    let ending: RunOutcome['end'] | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        /* already gone */
      }
    };
    const stop = (why: 'timeout' | 'aborted') => {
      if (ending) return;
      ending = why;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => stop('timeout'), o.timeoutMs);
    const onAbort = () => stop('aborted');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const push = (stream: 'stdout' | 'stderr') => (line: string) => {
      lines.push(line);
      if (lines.length > KEEP_LINES) lines.shift();
      o.onLine?.(line, stream);
    };
    const flushOut = lineReader(child.stdout!, push('stdout'), (c) => (stdout = (stdout + c).slice(-TAIL_MAX)));
    const flushErr = lineReader(child.stderr!, push('stderr'), (c) => (stderr = (stderr + c).slice(-TAIL_MAX)));
    let settled = false;
    const settle = (r: RunOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      // the leader exited; what it started in its group goes too, now
      if (ending) signalGroup('SIGKILL');
      clearTimeout(killTimer);
      resolve(r);
    };
    child.on('error', (err: NodeJS.ErrnoException) =>
      settle({ end: 'spawn-error', code: null, signal: null, ...(err.code ? { errno: err.code } : {}), message: err.message, ...base() }),
    );
    child.on('close', (code, sig) => {
      flushOut();
      flushErr();
      settle({ end: ending ?? 'exited', code, signal: sig, ...base() });
    });
  });
}

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
