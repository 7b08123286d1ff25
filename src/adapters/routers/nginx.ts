// The nginx router: prodx owns one upstream file (included by the user's nginx config) and
// switches traffic by rewriting it whole, testing it with `nginx -t` and reloading once. nginx
// reloads gracefully (new workers take new connections, old ones finish theirs), so a switch
// costs no more than any reload. The previous file is restored byte for byte on any failure.
import { constants } from 'node:fs';
import { access, chmod, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ExitCode, ProdxError } from '../../core/errors.js';
import type { RouterOptions, TrafficRouter, Weights } from '../../core/deploy/router.js';
import { aborted, checkWeights, COMMAND_TIMEOUT_MS, formatArgv, lastLine, runArgv, type RunResult } from './command.js';
import { parseUpstreamFile, renderUpstreamFile, UpstreamSyntaxError, weightsOfServers, type ParsedUpstreamFile } from './nginxConfig.js';

export interface NginxRouterConfig {
  upstreamFile: string;
  upstream: string;
  test: string[];
  reload: string[];
}

export interface NginxRouterOptions {
  /** where relative paths (the upstream file, the commands) start: the config's folder */
  cwd?: string;
  timeoutMs?: number;
}

interface Previous {
  bytes: Buffer | null;
  mode: number | undefined;
  parsed: ParsedUpstreamFile | undefined;
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code ?? 'unknown error';

/** nginx prints `nginx: [emerg] …` first, then `configuration file … test failed`. */
function nginxError(run: RunResult): string | undefined {
  const text = `${run.stderr}\n${run.stdout}`;
  const lines = text.split('\n').map((l) => l.trim());
  const line = lines.find((l) => /\[(emerg|alert|crit|error)\]/.test(l)) ?? lines.find(Boolean);
  // Once the config names an error_log, nginx -t prints log lines: drop the time and pid#tid.
  return line?.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d (\[\w+\]) \d+#\d+: /, 'nginx: $1 ');
}

export function createNginxRouter(cfg: NginxRouterConfig, targets: Record<string, string>, opts: NginxRouterOptions = {}): TrafficRouter {
  const file = resolve(opts.cwd ?? process.cwd(), cfg.upstreamFile);
  const dir = dirname(file);
  const colours = Object.keys(targets);
  const timeoutMs = opts.timeoutMs ?? COMMAND_TIMEOUT_MS;
  const run = (argv: string[], what: string, signal?: AbortSignal) =>
    runArgv(argv, { what, timeoutMs, ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(signal ? { signal } : {}) });

  const parse = (text: string): ParsedUpstreamFile => {
    try {
      return parseUpstreamFile(text, cfg.upstream);
    } catch (err) {
      if (!(err instanceof UpstreamSyntaxError)) throw err;
      throw new ProdxError(
        'router-file-invalid',
        `${file}: ${err.message}: fix the file, or delete it and let prodx write it.`,
        ExitCode.failed,
      );
    }
  };

  /** Reads the current file; ENOENT is "no file yet", anything else is a clear error. */
  const readCurrent = async (): Promise<Previous> => {
    try {
      const [bytes, st] = await Promise.all([readFile(file), stat(file)]);
      return { bytes, mode: st.mode & 0o7777, parsed: parse(bytes.toString('utf8')) };
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
  };

  /** Everything that could stop a write is checked before the file changes. */
  const preflight = async (): Promise<Previous> => {
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
    const previous = await readCurrent();
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
          `${file} holds more than the "${cfg.upstream}" upstream (${others[0]}): prodx rewrites the whole file, so move the rest to another file; nothing was changed.`,
        );
    }
    return previous;
  };

  /** Temp file in the same folder, then rename: nginx never sees a half-written file. */
  const writeAtomically = async (bytes: Buffer | string, mode: number | undefined) => {
    const temp = join(dir, `.${basename(file)}.prodx-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
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
  };

  const restore = async (previous: Previous): Promise<string> => {
    try {
      if (previous.bytes === null) await unlink(file).catch((err: unknown) => (errno(err) === 'ENOENT' ? undefined : Promise.reject(err)));
      else await writeAtomically(previous.bytes, previous.mode);
      return 'the previous file is restored';
    } catch {
      return `restoring the previous file failed too, so check ${file} by hand`;
    }
  };

  const render = (weights: Weights, previous?: ParsedUpstreamFile) => {
    const params = Object.fromEntries((previous?.servers ?? []).map((s) => [s.address.toLowerCase(), s.params]));
    return renderUpstreamFile({ upstream: cfg.upstream, weights, targets, directives: previous?.directives ?? [], params });
  };

  const read = async (): Promise<Weights | null> => {
    const current = await readCurrent();
    if (current.bytes === null) return null;
    if (current.parsed?.servers === undefined) {
      // A file with nothing in it yet has no weights; one with other content is the wrong file.
      if ((current.parsed?.others ?? []).length === 0) return null;
      throw new ProdxError(
        'router-upstream-missing',
        `${file} has no "upstream ${cfg.upstream} { … }" block: check router.upstream and router.upstreamFile.`,
      );
    }
    return weightsOfServers(current.parsed.servers, targets);
  };

  return {
    kind: 'nginx',
    read: (_opts?: RouterOptions) => read(),

    async apply(weights: Weights, ro: RouterOptions = {}) {
      checkWeights(weights, colours);
      if (ro.signal?.aborted) throw aborted(`switching ${file}`);
      const previous = await preflight();
      await writeAtomically(render(weights, previous.parsed), previous.mode);

      let test: RunResult;
      try {
        test = await run(cfg.test, 'router.test', ro.signal);
      } catch (err) {
        const restored = await restore(previous);
        if (err instanceof ProdxError) throw new ProdxError(err.code, `${err.message.replace(/\.$/, '')}; ${restored}.`, err.exitCode);
        throw err;
      }
      if (test.code !== 0) {
        const restored = await restore(previous);
        const why = nginxError(test) ?? `exited with ${test.signal ?? `code ${test.code}`}`;
        throw new ProdxError(
          'router-test-failed',
          `${formatArgv(cfg.test)} rejected the new ${file}: ${why}; ${restored} and traffic is unchanged: fix what nginx reports and run again.`,
          ExitCode.failed,
          { stderr: test.stderr },
        );
      }

      // Never aborted part-way: a reload that was started is allowed to finish, and runs once.
      const reload = await run(cfg.reload, 'router.reload').catch(async (err: unknown) => {
        const restored = await restore(previous);
        throw err instanceof ProdxError ? new ProdxError(err.code, `${err.message.replace(/\.$/, '')}; ${restored}.`, err.exitCode) : err;
      });
      if (reload.code !== 0) {
        const restored = await restore(previous);
        const why = lastLine(reload.stderr) ?? lastLine(reload.stdout) ?? `exited with ${reload.signal ?? `code ${reload.code}`}`;
        throw new ProdxError(
          'router-reload-failed',
          `${formatArgv(cfg.reload)} failed: ${why}; ${restored} and nginx keeps its running config. Is nginx running?`,
          ExitCode.failed,
          { stderr: reload.stderr },
        );
      }

      const now = await read();
      const wrong = colours.find((c) => (now?.[c] ?? 0) !== (weights[c] ?? 0));
      if (wrong !== undefined)
        throw new ProdxError(
          'router-verify-failed',
          `${file} reads ${wrong}=${now?.[wrong] ?? 'absent'} after the switch, not ${weights[wrong] ?? 0}: another process may have written it; run prodx status and apply again.`,
          ExitCode.failed,
        );
    },

    describe(weights: Weights) {
      const body = render(weights).trimEnd().split('\n');
      return [
        `write ${file} (the whole file, atomically: temp file + rename):`,
        ...body.map((l) => `  ${l}`),
        `test: ${formatArgv(cfg.test)} (on failure restore the previous file and stop)`,
        `reload: ${formatArgv(cfg.reload)} (once)`,
        `verify: re-read ${file} and check ${colours.map((c) => `${c}=${weights[c] ?? 0}`).join(' ')}`,
      ];
    },
  };
}
