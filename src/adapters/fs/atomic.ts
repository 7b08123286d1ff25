// The one atomic writer: state.json, the flags file, the router's weights, nginx's upstream
// file and the canary mailbox all go through it. write-file-atomic writes a temporary file
// beside the target, fsyncs it and renames it over the target, so a reader (or a crash) sees
// the old bytes or the new ones, never half of them.
//
// It is loaded at the first write, not bundled: it pulls in worker_threads, which the read-only
// commands (`prodx status`, `--dry-run`) never need, and start-up is measured (bench/startup.mjs).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type WriteFileAtomicLib from 'write-file-atomic';
import { ExitCode, ProdxError } from '../../core/errors.js';

/** An I/O error a user can fix (permissions, a full disk) as a one-line ProdxError naming the file. */
export function fsError(err: unknown, file: string, doing: string): ProdxError {
  const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
  const fix =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'check its permissions (or point stateDir in the config somewhere writable)'
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? 'free some disk space'
        : code === 'ENOTDIR' || code === 'EISDIR'
          ? 'a file or folder on that path is in the way: move it'
          : 'check the path';
  return new ProdxError('file-unwritable', `cannot ${doing} ${file} (${code}): ${fix}, then run the command again.`, ExitCode.badInput, {
    file,
    errno: code,
  });
}

type WriteFileAtomic = typeof WriteFileAtomicLib;
let lib: WriteFileAtomic | undefined;
const writeFileAtomic = (): WriteFileAtomic => (lib ??= createRequire(import.meta.url)('write-file-atomic') as WriteFileAtomic);

/**
 * `fsync: false` is for files a reader can do without (the event stores' rollups: a reader that
 * finds one missing or torn reads the raw segment instead): the rename still makes the swap
 * atomic, and the collector does not wait for the disk every few seconds.
 */
export function writeAtomic(file: string, data: string | Buffer, opts: { mode?: number; fsync?: boolean } = {}): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic().sync(file, data, { fsync: opts.fsync ?? true, ...(opts.mode !== undefined ? { mode: opts.mode } : {}) });
  } catch (err) {
    if (process.env['PRODX_DEBUG']) console.error(err);
    throw fsError(err, file, 'write');
  }
}
