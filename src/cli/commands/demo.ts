// `prodx demo`: the sandbox with the dashboard in a terminal, or, with --json or without a
// terminal, the same sandbox observed for a while and summarised (a CI smoke test).
import { startSandbox, type Sandbox } from '../../demo/sandbox.js';
import { parseFaultArgs, FAULT_USAGE } from '../../demo/faults.js';
import { createContext } from '../../app/context.js';
import { watchHealth, type HealthReport } from '../../operations/health.js';
import { keepAliveProber } from '../../adapters/http/probe.js';
import { systemClock } from '../../app/system.js';
import { ExitCode } from '../../core/errors.js';
import { asOperation, paint, printJson, type OutputOptions } from '../output.js';
import { renderHealth } from './health.js';

export interface DemoOptions {
  durationMs: number | undefined;
  interactive: boolean;
}

/**
 * A signal stops the sandbox, then exits. The handler stays registered while it cleans up: a
 * closing terminal sends SIGHUP more than once, and a second one with no handler would kill
 * prodx before the folder and the processes are gone.
 */
function onSignals(cleanup: () => Promise<void>): () => void {
  let first: NodeJS.Signals | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (first) return;
    first = signal;
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, handler);
  return () => {
    if (!first) signals.forEach((s) => process.off(s, handler));
  };
}

export async function runDemo(o: OutputOptions, opts: DemoOptions): Promise<number> {
  if (!o.json) process.stderr.write('starting the demo sandbox: two sample targets on 127.0.0.1 …\n');
  const sandbox = await startSandbox();
  // stopping the sandbox is the one thing a signal must not cut short
  const off = onSignals(() => asOperation(() => sandbox.stop()));
  try {
    const ctx = await createContext({ config: sandbox.configPath, env: 'production' });
    // the RUM screen shows the shipped weather site's real-user events, replayed into the sandbox
    const { simulateRum } = await import('../../operations/rumSimulate.js');
    await simulateRum(ctx, { to: 'state' });
    // and the Errors screen the weather app's errors (three browsers, Node, a regression in 4.3.0)
    const { simulateErrors } = await import('../../operations/errorsSimulate.js');
    await simulateErrors(ctx, { to: 'state' });
    if (opts.interactive) {
      const { runDashboard } = await import('../ui.js');
      const names = Object.keys(sandbox.targets);
      return await runDashboard(ctx, {
        demo: {
          note: 'demo · d deploys, c canaries: 1.1.0 works, 1.2.0-bad fails its analysis, 1.2.0-broken its health gate · ? help',
          details: [
            {
              keys: 'versions',
              text: '1.1.0 works; 1.2.0-bad serves errors, so a canary of it aborts; 1.2.0-broken never gets healthy, so a deploy stops at its gate',
            },
            { keys: 'protected', text: 'production is protected here: every change asks first, as it would in yours' },
            { keys: ':fault', text: 'break a sample target while you watch, e.g. `:fault green error=0.2`, `:fault green clear`' },
          ],
          configPath: sandbox.configPath,
        },
        commands: [
          {
            name: 'fault',
            description: `demo only: break a sample target (${FAULT_USAGE})`,
            usage: '<target> error=0.2|latency=300|health=fail|ok|clear',
            complete: () => names,
            run: async (args) => {
              const { target, change } = parseFaultArgs(args, names);
              await sandbox.targets[target]!.setFaults(change);
            },
          },
        ],
      });
    }
    return await observe(sandbox, ctx, o, opts.durationMs ?? 10_000);
  } finally {
    off();
    await sandbox.stop();
    if (opts.interactive)
      process.stderr.write(`demo ended: its sandbox ${sandbox.dir} (config ${sandbox.configPath}) and every process it started are gone\n`);
  }
}

async function observe(
  sandbox: Sandbox,
  ctx: Awaited<ReturnType<typeof createContext>>,
  o: OutputOptions,
  durationMs: number,
): Promise<number> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), durationMs);
  const rounds: HealthReport[] = [];
  const started = Date.now();
  const prober = keepAliveProber();
  await watchHealth(ctx, (r) => rounds.push(r), controller.signal, { probe: prober.probe, clock: systemClock }).finally(() =>
    prober.dispose(),
  );
  clearTimeout(timer);
  const last = rounds.at(-1);
  const traffic = sandbox.traffic.stats();
  const elapsedMs = Date.now() - started;
  const targets = (last?.targets ?? []).map((t) => {
    const latencies = rounds
      .map((r) => r.targets.find((x) => x.name === t.name)?.latencyMs)
      .filter((x): x is number => typeof x === 'number')
      .sort((a, b) => a - b);
    return {
      name: t.name,
      url: t.url,
      pid: sandbox.targets[t.name]?.pid ?? null,
      version: t.version,
      status: t.status,
      live: t.name === sandbox.liveColour,
      probes: t.probes,
      healthyRounds: rounds.filter((r) => r.targets.find((x) => x.name === t.name)?.status === 'healthy').length,
      latencyMs: latencies.length ? { p50: latencies[Math.floor((latencies.length - 1) / 2)]!, max: latencies.at(-1)! } : null,
    };
  });
  const ok = !!last && last.overall === 'healthy' && traffic.sent > 0 && traffic.failed === 0 && traffic.errors === 0;
  const summary = {
    ok,
    app: ctx.config.app,
    environment: ctx.envName,
    durationMs: elapsedMs,
    rounds: rounds.length,
    targets,
    router: { url: sandbox.router.url, pid: sandbox.router.pid },
    traffic: { ...traffic, rps: Math.round((traffic.sent / Math.max(1, elapsedMs)) * 1000 * 10) / 10 },
  };
  if (o.json) printJson(summary);
  else {
    if (last) process.stdout.write(`${renderHealth(last, o)}\n`);
    process.stdout.write(
      `traffic: ${traffic.sent} requests through the router (live: ${sandbox.liveColour}), ${traffic.ok} ok, ${traffic.errors} HTTP errors, ${traffic.failed} failed · ${rounds.length} probe rounds in ${(elapsedMs / 1000).toFixed(1)}s\n`,
    );
    process.stdout.write(`${ok ? paint(o, 'green', 'demo ok') : paint(o, 'red', 'demo saw problems')}\n`);
  }
  return ok ? ExitCode.ok : ExitCode.failed;
}
