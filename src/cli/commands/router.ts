// `prodx router`: runs the builtin router of an environment in the foreground. Imported by
// main.ts at start-up, so everything heavy (http-proxy-3, prom-client) is a dynamic import
// inside the action: `prodx status` never pays for it.
import { join } from 'node:path';
import type { Command } from 'commander';
import { allTo } from '../../core/deploy/router.js';
import { ExitCode, ProdxError } from '../../core/errors.js';
import type { OperationContext } from '../../operations/context.js';
import { printJson, type OutputOptions } from '../output.js';
import { scopeOf, type RegisterCommands } from '../program.js';

interface RouterCommandOptions {
  listen?: string;
  admin?: string;
}

/** How long a stop waits for in-flight requests before closing their connections. */
const DRAIN_MS = 5_000;

export const registerRouterCommands: RegisterCommands = (program, setExit) => {
  program
    .command('router')
    .description('run the builtin router: a weighted reverse proxy in front of the targets, for development, staging and the demo')
    .option('--listen <host:port>', 'where traffic comes in (default: environments.<env>.router.listen; port 0 picks a free port)')
    .option('--admin <host:port>', 'the loopback admin endpoint (default: environments.<env>.router.admin; port 0 picks a free port)')
    .addHelpText(
      'after',
      `
Needs "router": {"type": "builtin", "listen": "127.0.0.1:8080", "admin": "127.0.0.1:8089"} in the
environment. Traffic is split by smooth weighted round-robin; a GET or HEAD whose upstream refuses
or resets the connection is retried once on another colour. It starts with the weights it last
had (<stateDir>/router-<env>.json), else all traffic to the live colour, else to the first target.

Admin endpoint: GET/PUT /weights ({"blue": 90, "green": 10}), GET /stats (JSON per upstream),
GET /metrics (Prometheus), GET /healthz. Ctrl-C or SIGTERM lets in-flight requests finish.`,
    )
    .action(async (opts: RouterCommandOptions, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      setExit(await runRouter(await ctx(), o, opts));
    });
};

/** Resolves on the first SIGINT/SIGTERM or IPC disconnect; a second signal exits at once. */
function stopRequested(): { stopped: Promise<string>; dispose(): void } {
  let requested = false;
  let resolveStop: (why: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (resolveStop = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested) process.exit(signal === 'SIGINT' ? 130 : 143);
    requested = true;
    resolveStop(signal);
  };
  // The parent (the demo, a test) went away: do not outlive it.
  const onDisconnect = () => resolveStop('disconnect');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (process.send) process.once('disconnect', onDisconnect);
  return {
    stopped,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('disconnect', onDisconnect);
    },
  };
}

export async function runRouter(ctx: OperationContext, o: OutputOptions, opts: RouterCommandOptions): Promise<number> {
  const config = ctx.env.router;
  const path = `environments.${ctx.envName}.router`;
  if (config?.type !== 'builtin') {
    const now = config ? `is "${config.type}"` : 'is not set';
    throw new ProdxError(
      'router-not-builtin',
      `${path}.type ${now}: \`prodx router\` runs only the builtin router; set ${path} to {"type": "builtin", "listen": "127.0.0.1:8080", "admin": "127.0.0.1:8089"}.`,
      ExitCode.badInput,
    );
  }
  const { startBuiltinRouter, parseHostPort, readWeightsFile } = await import('../../adapters/routers/builtin/server.js');
  const { readState } = await import('../../adapters/state/stateFile.js');

  const listen = parseHostPort(opts.listen ?? config.listen, opts.listen ? '--listen' : `${path}.listen`);
  const admin = parseHostPort(opts.admin ?? config.admin, opts.admin ? '--admin' : `${path}.admin`);
  const upstreams = Object.fromEntries(Object.entries(ctx.env.targets).map(([name, t]) => [name, t.url]));
  const colours = Object.keys(upstreams);
  const weightsFile = join(ctx.stateDir, `router-${ctx.envName}.json`);
  // The state is read only without a weights file: a router that ran before keeps its weights.
  const toLiveColour = () => {
    const live = readState(ctx.stateDir).environments[ctx.envName]?.live?.colour;
    return allTo(live !== undefined && colours.includes(live) ? live : colours[0]!, colours);
  };
  const weights = readWeightsFile(weightsFile, colours) ?? toLiveColour();

  const stop = stopRequested();
  try {
    const router = await startBuiltinRouter({ listen, admin, upstreams, weights, weightsFile });
    if (o.json) printJson({ ok: true, url: router.url, adminUrl: router.adminUrl, pid: process.pid });
    else process.stdout.write(`prodx router listening on ${router.url} (admin ${router.adminUrl})\n`);
    // Forked with IPC (the demo): report where we listen; a parent already gone means stop now.
    if (process.connected) process.send?.({ type: 'listening', url: router.url, adminUrl: router.adminUrl, pid: process.pid });
    if (!process.send || process.connected) await stop.stopped;
    await router.close(DRAIN_MS);
    return ExitCode.ok;
  } finally {
    stop.dispose();
    // An open IPC channel would keep this process alive after the router closed.
    if (process.connected) process.disconnect();
  }
}
