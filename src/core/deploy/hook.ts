// The release hook port: the user's argv that installs a version on a colour. The adapter runs
// it without a shell, in its own process group, bounded by a timeout and a signal.

export interface HookRun {
  command: string[];
  env: { PRODX_VERSION: string; PRODX_TARGET: string; PRODX_TARGET_URL: string; PRODX_ENV: string };
  timeoutMs: number;
  cwd: string;
  /** each line it prints (a line longer than the adapter keeps is cut) */
  onLine?(line: string, stream: 'stdout' | 'stderr'): void;
  /** stops the hook and its whole process group */
  signal?: AbortSignal;
}

/** Resolves with the last lines it printed; rejects with a ProdxError when it fails, times out or is stopped. */
export type HookRunner = (run: HookRun) => Promise<{ lines: string[] }>;
