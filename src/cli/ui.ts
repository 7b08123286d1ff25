// The interactive path: builds the store, its pollers and the app operations for one
// environment, then hands them to the Ink app. The UI module is imported dynamically so the
// bundler puts Ink and React in a chunk that `--json` commands never load.
import { createAppOperations } from '../app/appOperations.js';
import { flagsPoller } from '../app/flagsPoller.js';
import { rumPoller } from '../app/rumPoller.js';
import { errorsPoller } from '../app/errorsPoller.js';
import { startStorePollers } from '../app/pollers.js';
import { routerOf, systemRuntime } from '../app/system.js';
import { monitoringEnabled, probeTargets, type OperationContext } from '../operations/context.js';
import { flagsSource } from '../operations/flags.js';
import { thresholdsOf } from '../operations/health.js';
import { createAppStore } from '../store/createAppStore.js';
import type { AppState } from '../store/types.js';
import type { UiCommand } from '../ui/context.js';
import { asOperation } from './output.js';

export interface DashboardOptions {
  demo?: AppState['demo'];
  /** extra `:` verbs, e.g. the demo's fault injection */
  commands?: UiCommand[];
}

/** how long quitting waits for an operation to stop at a safe point */
const STOP_GRACE_MS = 5_000;

/** The dashboard: a terminal that goes away mid-way (SIGHUP, a closed pty) silences output, never the cleanup. */
export function runDashboard(ctx: OperationContext, opts: DashboardOptions = {}): Promise<number> {
  return asOperation(() => dashboard(ctx, opts));
}

async function dashboard(ctx: OperationContext, opts: DashboardOptions): Promise<number> {
  const monitoring = monitoringEnabled();
  const store = createAppStore({
    app: ctx.config.app,
    environment: ctx.envName,
    environments: Object.keys(ctx.config.environments),
    configPath: ctx.configPath,
    monitoring,
    protected: ctx.env.protected,
    canOperate: ctx.env.router !== undefined,
    ...(opts.demo ? { demo: opts.demo } : {}),
    targets: probeTargets(ctx).map(({ name, url }) => ({ name, url })),
  });
  const router = routerOf(ctx);
  const pollers = startStorePollers(store, {
    health: {
      targets: probeTargets(ctx),
      thresholds: thresholdsOf(ctx),
      intervalMs: ctx.env.health.interval,
      timeoutMs: ctx.env.health.timeout,
    },
    state: { stateDir: ctx.stateDir, environment: ctx.envName, intervalMs: 1000 },
    ...(ctx.env.router
      ? { router: { read: async (signal: AbortSignal) => (await router())?.read({ signal }) ?? null, intervalMs: ctx.env.health.interval } }
      : {}),
  });
  // the flags file, its audit history and experiments, for the Flags screen
  pollers.scheduler.add(flagsPoller(store, flagsSource(ctx), { intervalMs: 1000 }));
  // the RUM report the collector's rollups give, for the RUM screen
  pollers.scheduler.add(rumPoller(store, ctx, { intervalMs: 5000 }));
  // the error groups of the last 24 hours, for the Errors screen
  pollers.scheduler.add(errorsPoller(store, ctx, { intervalMs: 5000 }));
  if (monitoring) pollers.start();
  else {
    // no background polling, but show the state once and let the user refresh by hand
    await pollers.scheduler.runNow('state');
    await pollers.scheduler.runNow('flags');
    await pollers.scheduler.runNow('rum');
    await pollers.scheduler.runNow('errors');
  }
  const app = createAppOperations({
    ctx,
    store,
    runtime: (o) => systemRuntime(ctx, { ...o, router }),
    refresh: (name) => pollers.scheduler.runNow(name),
  });
  // Ink's colours come from chalk, which reads FORCE_COLOR when it loads but ignores NO_COLOR:
  // tell it, for the UI chunk only
  const plain = !!process.env['NO_COLOR'] || process.argv.includes('--no-color');
  const before = process.env['FORCE_COLOR'];
  if (plain) process.env['FORCE_COLOR'] = '0';
  const { runInteractive } = await import('../ui/run.js');
  if (plain) {
    if (before === undefined) delete process.env['FORCE_COLOR'];
    else process.env['FORCE_COLOR'] = before;
  }
  let how = 'normal';
  try {
    how = await runInteractive({ store, app, commands: opts.commands ?? [] });
  } finally {
    // whatever ended the app: an operation still running stops at a safe point (resumable);
    // a second Ctrl-C does not wait for it
    await app.stop(how === 'force' ? 500 : STOP_GRACE_MS);
    pollers.stop();
  }
  return 0;
}
