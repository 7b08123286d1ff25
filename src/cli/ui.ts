// The interactive path: builds the store and its pollers for one environment, then hands them
// to the Ink app. The UI module is imported dynamically so the bundler puts Ink and React in a
// chunk that `--json` commands never load.
import { createAppStore } from '../store/createAppStore.js';
import { startStorePollers } from '../store/pollers.js';
import { monitoringEnabled, probeTargets, type OperationContext } from '../operations/context.js';
import { thresholdsOf } from '../operations/health.js';
import { flagsSource } from '../operations/flags.js';
import { flagsPoller } from '../operations/flagsPoller.js';
import type { UiCommand } from '../ui/context.js';
import { uiOperations } from './uiOperations.js';
import type { TrafficRouter } from '../core/deploy/router.js';

export interface DashboardOptions {
  demo?: { note: string };
  /** extra `:` verbs, e.g. the demo's fault injection */
  commands?: UiCommand[];
}

/** the environment's router, built once per dashboard */
let cachedRouter: Promise<TrafficRouter | null> | undefined;
const routerOf = (ctx: OperationContext) =>
  (cachedRouter ??= import('../operations/deployRuntime.js').then((m) => m.systemDeployDeps().router(ctx)));

export async function runDashboard(ctx: OperationContext, opts: DashboardOptions = {}): Promise<number> {
  const monitoring = monitoringEnabled();
  const store = createAppStore({
    app: ctx.config.app,
    environment: ctx.envName,
    environments: Object.keys(ctx.config.environments),
    configPath: ctx.configPath,
    monitoring,
    ...(opts.demo ? { demo: opts.demo } : {}),
    targets: probeTargets(ctx).map(({ name, url }) => ({ name, url })),
  });
  const pollers = startStorePollers(store, {
    health: {
      targets: probeTargets(ctx),
      thresholds: thresholdsOf(ctx),
      intervalMs: ctx.env.health.interval,
      timeoutMs: ctx.env.health.timeout,
    },
    state: { stateDir: ctx.stateDir, environment: ctx.envName, intervalMs: 1000 },
    ...(ctx.env.router
      ? {
          router: {
            read: async (signal: AbortSignal) => (await routerOf(ctx))?.read({ signal }) ?? null,
            intervalMs: ctx.env.health.interval,
          },
        }
      : {}),
  });
  // the flags file, its audit history and experiments, for the Flags screen
  pollers.scheduler.add(flagsPoller(store, flagsSource(ctx), { intervalMs: 1000 }));
  if (monitoring) pollers.start();
  else {
    // no background polling, but show the state once and let the user refresh by hand
    await pollers.scheduler.runNow('state');
    await pollers.scheduler.runNow('flags');
  }
  const refresh = () => pollers.refresh();
  const commands: UiCommand[] = [
    {
      name: 'refresh',
      description: 'probe every target and re-read the state now',
      run: async () => {
        await refresh();
        store.getState().actions.flash('success', 'refreshed');
      },
    },
    ...(opts.commands ?? []),
  ];
  const operations = ctx.env.router ? uiOperations(ctx, store) : undefined;
  const { runInteractive } = await import('../ui/run.js');
  try {
    await runInteractive({ store, commands, refresh, ...(operations ? { operations } : {}) });
  } finally {
    pollers.stop();
  }
  return 0;
}
