// The nginx router: prodx owns one upstream file (included by the user's nginx config) and
// switches traffic by rewriting it whole, testing it with `nginx -t` and reloading once. nginx
// reloads gracefully (new workers take new connections, old ones finish theirs), so a switch
// costs no more than any reload. The previous file is restored byte for byte on any failure.
import { resolve } from 'node:path';
import { ExitCode, ProdxError } from '../../core/errors.js';
import type { RouterOptions, TrafficRouter, Weights } from '../../core/deploy/router.js';
import { aborted, checkWeights, COMMAND_TIMEOUT_MS, formatArgv, lastLine, runArgv, type RunResult } from './command.js';
import { renderUpstreamFile, weightsOfServers, type ParsedUpstreamFile } from './nginxConfig.js';
import { preflight, readUpstreamFile, restore, writeAtomically, type Previous } from './nginxFile.js';

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

/** nginx prints `nginx: [emerg] …` first, then `configuration file … test failed`. */
function nginxError(run: RunResult): string | undefined {
  const text = `${run.stderr}\n${run.stdout}`;
  const lines = text.split('\n').map((l) => l.trim());
  const line = lines.find((l) => /\[(emerg|alert|crit|error)\]/.test(l)) ?? lines.find(Boolean);
  // Once the config names an error_log, nginx -t prints log lines: drop the time and pid#tid.
  return line?.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d (\[\w+\]) \d+#\d+: /, 'nginx: $1 ');
}

type Run = (argv: string[], what: string, signal?: AbortSignal) => Promise<RunResult>;

/** A failed command of a switch: its own message, and whether the previous file is back. */
function withRestored(err: unknown, restored: string): unknown {
  return err instanceof ProdxError ? new ProdxError(err.code, `${err.message.replace(/\.$/, '')}; ${restored}.`, err.exitCode) : err;
}

/** The new file goes live only when `nginx -t` accepts it and the reload succeeds; on any failure the previous file is back. */
async function testThenReload(cfg: NginxRouterConfig, file: string, previous: Previous, run: Run, signal?: AbortSignal): Promise<void> {
  let test: RunResult;
  try {
    test = await run(cfg.test, 'router.test', signal);
  } catch (err) {
    throw withRestored(err, await restore(file, previous));
  }
  if (test.code !== 0) {
    const restored = await restore(file, previous);
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
    throw withRestored(err, await restore(file, previous));
  });
  if (reload.code !== 0) {
    const restored = await restore(file, previous);
    const why = lastLine(reload.stderr) ?? lastLine(reload.stdout) ?? `exited with ${reload.signal ?? `code ${reload.code}`}`;
    throw new ProdxError(
      'router-reload-failed',
      `${formatArgv(cfg.reload)} failed: ${why}; ${restored} and nginx keeps its running config. Is nginx running?`,
      ExitCode.failed,
      { stderr: reload.stderr },
    );
  }
}

/** The weights the file gives the colours; null when there is no file or nothing in it yet. */
async function readWeights(file: string, upstream: string, targets: Record<string, string>): Promise<Weights | null> {
  const current = await readUpstreamFile(file, upstream);
  if (current.bytes === null) return null;
  if (current.parsed?.servers === undefined) {
    // A file with nothing in it yet has no weights; one with other content is the wrong file.
    if ((current.parsed?.others ?? []).length === 0) return null;
    throw new ProdxError(
      'router-upstream-missing',
      `${file} has no "upstream ${upstream} { … }" block: check router.upstream and router.upstreamFile.`,
    );
  }
  return weightsOfServers(current.parsed.servers, targets);
}

export function createNginxRouter(cfg: NginxRouterConfig, targets: Record<string, string>, opts: NginxRouterOptions = {}): TrafficRouter {
  const file = resolve(opts.cwd ?? process.cwd(), cfg.upstreamFile);
  const colours = Object.keys(targets);
  const timeoutMs = opts.timeoutMs ?? COMMAND_TIMEOUT_MS;
  const run: Run = (argv, what, signal) =>
    runArgv(argv, { what, timeoutMs, ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(signal ? { signal } : {}) });

  const render = (weights: Weights, previous?: ParsedUpstreamFile) => {
    const params = Object.fromEntries((previous?.servers ?? []).map((s) => [s.address.toLowerCase(), s.params]));
    return renderUpstreamFile({ upstream: cfg.upstream, weights, targets, directives: previous?.directives ?? [], params });
  };
  const read = () => readWeights(file, cfg.upstream, targets);

  return {
    kind: 'nginx',
    read: (_opts?: RouterOptions) => read(),

    async apply(weights: Weights, ro: RouterOptions = {}) {
      checkWeights(weights, colours);
      if (ro.signal?.aborted) throw aborted(`switching ${file}`);
      const previous = await preflight(file, cfg.upstream);
      await writeAtomically(file, render(weights, previous.parsed), previous.mode);
      await testThenReload(cfg, file, previous, run, ro.signal);

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
