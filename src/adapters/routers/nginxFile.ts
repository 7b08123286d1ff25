// The nginx router's upstream file on disk: read and parsed, checked before prodx writes it,
// written atomically (temp file + rename) and restored byte for byte when a switch fails.
import { constants } from 'node:fs';
import { access, chmod, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ExitCode, ProdxError } from '../../core/errors.js';
import { parseUpstreamFile, UpstreamSyntaxError, type ParsedUpstreamFile } from './nginxConfig.js';

/** The file as it was before a switch: what a failed switch puts back. */
export interface Previous {
  bytes: Buffer | null;
  mode: number | undefined;
  parsed: ParsedUpstreamFile | undefined;
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code ?? 'unknown error';

function parse(file: string, upstream: string, text: string): ParsedUpstreamFile {
  try {
    return parseUpstreamFile(text, upstream);
  } catch (err) {
    if (!(err instanceof UpstreamSyntaxError)) throw err;
    throw new ProdxError(
      'router-file-invalid',
      `${file}: ${err.message}: fix the file, or delete it and let prodx write it.`,
      ExitCode.failed,
    );
  }
}

/** Reads the current file; ENOENT is "no file yet", anything else is a clear error. */
export async function readUpstreamFile(file: string, upstream: string): Promise<Previous> {
  try {
    const [bytes, st] = await Promise.all([readFile(file), stat(file)]);
    return { bytes, mode: st.mode & 0o7777, parsed: parse(file, upstream, bytes.toString('utf8')) };
  } catch (err) {
    if (err instanceof ProdxError) throw err;
    if (errno(err) === 'ENOENT') return { bytes: null, mode: undefined, parsed: undefined };
    if (errno(err) === 'EISDIR')
      throw new ProdxError('router-file-invalid', `${file} is a directory: set router.upstreamFile to the file nginx includes.`);
    throw new ProdxError(
      'router-file-unreadable',
      `cannot read ${file} (${errno(err)}): check its permissions and router.upstreamFile.`,
      ExitCode.failed,
    );
  }
}

/** Everything that could stop a write is checked before the file changes. */
export async function preflight(file: string, upstream: string): Promise<Previous> {
  const dir = dirname(file);
  try {
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    await access(dir, constants.W_OK);
  } catch (err) {
    const why =
      errno(err) === 'ENOENT' ? 'does not exist' : errno(err) === 'ENOTDIR' ? 'is not a directory' : `is not writable (${errno(err)})`;
    throw new ProdxError(
      'router-file-unwritable',
      `cannot write ${file}: the folder ${dir} ${why}. Create it or fix router.upstreamFile; nothing was changed.`,
      ExitCode.failed,
    );
  }
  const previous = await readUpstreamFile(file, upstream);
  if (previous.bytes !== null) {
    await access(file, constants.W_OK).catch((err: unknown) => {
      throw new ProdxError(
        'router-file-unwritable',
        `cannot write ${file} (${errno(err)}): give prodx write access to it; nothing was changed.`,
        ExitCode.failed,
      );
    });
    const others = previous.parsed?.others ?? [];
    if (others.length > 0)
      throw new ProdxError(
        'router-file-shared',
        `${file} holds more than the "${upstream}" upstream (${others[0]}): prodx rewrites the whole file, so move the rest to another file; nothing was changed.`,
      );
  }
  return previous;
}

/** Temp file in the same folder, then rename: nginx never sees a half-written file. */
export async function writeAtomically(file: string, bytes: Buffer | string, mode: number | undefined): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.prodx-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode ?? 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mode !== undefined) await chmod(temp, mode); // open's mode is masked by the umask
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new ProdxError(
      'router-file-unwritable',
      `cannot write ${file} (${errno(err)}): check the folder's permissions and free space.`,
      ExitCode.failed,
    );
  }
}

/** Puts the previous file back (or removes the new one); says which, for the error message. */
export async function restore(file: string, previous: Previous): Promise<string> {
  try {
    if (previous.bytes === null) await unlink(file).catch((err: unknown) => (errno(err) === 'ENOENT' ? undefined : Promise.reject(err)));
    else await writeAtomically(file, previous.bytes, previous.mode);
    return 'the previous file is restored';
  } catch {
    return `restoring the previous file failed too, so check ${file} by hand`;
  }
}
