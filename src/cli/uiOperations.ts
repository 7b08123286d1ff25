// The deploy and rollback operations as the dashboard runs them: the same functions as
// `prodx deploy` and `prodx rollback`, with their events folded into the store's progress.
import { ProdxError } from '../core/errors.js';
import type { OperationContext } from '../operations/context.js';
import type { AppStore } from '../store/createAppStore.js';
import { endProgress, foldEvent, startProgress } from '../store/progress.js';
import type { DeployDeps } from '../operations/deployRuntime.js';
import type { UiContext } from '../ui/context.js';

export function uiOperations(
  ctx: OperationContext,
  store: AppStore,
  depsFor?: (onEvent: DeployDeps['onEvent']) => DeployDeps,
): NonNullable<UiContext['operations']> {
  const { actions } = store.getState();
  const run = async <T>(
    operation: 'deploy' | 'rollback',
    version: string | null,
    body: (deps: DeployDeps) => Promise<T>,
    describe: (r: T) => { ok: boolean; text: string },
  ) => {
    if (store.getState().progress?.running)
      throw new ProdxError(
        'busy',
        `a ${store.getState().progress!.operation} is already running from this dashboard: wait for it to end.`,
        3,
      );
    const { systemDeployDeps } = await import('../operations/deployRuntime.js');
    let progress = startProgress(operation, version, Date.now());
    if (operation === 'rollback') {
      // where traffic goes back to, as far as the dashboard knows; the operation re-checks it
      const d = store.getState().deployment;
      const from = d?.active?.toColour ?? d?.live?.colour ?? null;
      const to = d?.active ? d.active.fromColour : (d?.previous?.colour ?? null);
      progress = { ...progress, fromColour: from, toColour: to };
    }
    actions.setProgress(progress);
    actions.setScreen('deploy');
    const deps = (depsFor ?? systemDeployDeps)((e) => {
      progress = foldEvent(progress, e);
      actions.setProgress(progress);
    });
    try {
      const r = await body(deps);
      const outcome = describe(r);
      actions.setProgress(endProgress(progress, outcome.ok, outcome.text));
      actions.flash(outcome.ok ? 'success' : 'error', outcome.text);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      actions.setProgress(endProgress(progress, false, text));
      throw err;
    }
  };
  // the Canary screen reads the run from the state: show each persisted change at once rather
  // than at the state poller's next turn
  const showState = async () => {
    const [{ readState }, { envStateOf }] = await Promise.all([
      import('../adapters/state/stateFile.js'),
      import('../operations/deployRuntime.js'),
    ]);
    try {
      actions.setDeployment(envStateOf(ctx, readState(ctx.stateDir)));
    } catch {
      /* the state poller reports an unreadable state file */
    }
  };
  let canaryRunning = false;
  return {
    canaryDeploy: async (version) => {
      if (canaryRunning || store.getState().progress?.running)
        throw new ProdxError('busy', 'an operation is already running from this dashboard: wait for it to end.', 3);
      const [{ canaryDeploy, systemCanaryDeps }, { systemDeployDeps }] = await Promise.all([
        import('../operations/canary.js'),
        import('../operations/deployRuntime.js'),
      ]);
      canaryRunning = true;
      actions.setScreen('canary');
      const base = (depsFor ?? systemDeployDeps)((e) => {
        if (e.type === 'transition' || e.type === 'interval' || e.type === 'phase') void showState();
        if (e.type === 'warning') actions.flash('info', e.message);
      });
      try {
        const r = await canaryDeploy(ctx, { version }, systemCanaryDeps(base));
        await showState();
        actions.flash(r.ok ? 'success' : 'error', r.ok ? `canary ${version} promoted` : `canary ${version} ${r.result}: ${r.reason ?? ''}`);
      } finally {
        canaryRunning = false;
      }
    },
    canaryControl: async (type, reason) => {
      const [{ canaryControl }, { systemDeployDeps }] = await Promise.all([
        import('../operations/canary.js'),
        import('../operations/deployRuntime.js'),
      ]);
      const r = await canaryControl(
        ctx,
        (depsFor ?? systemDeployDeps)(() => undefined),
        type,
        reason,
      );
      await showState();
      if (!r.ok) throw new ProdxError('canary-request', r.message, 1);
      return r.message;
    },
    deploy: (version) =>
      run(
        'deploy',
        version,
        async (deps) => (await import('../operations/deploy.js')).deploy(ctx, { version, strategy: 'blue-green' }, deps),
        (r) => ({
          ok: r.ok,
          text: r.ok ? `deployed ${r.deployment.version} to ${r.deployment.toColour}` : `${r.result}: ${r.reason ?? 'see the log'}`,
        }),
      ),
    rollback: () =>
      run(
        'rollback',
        null,
        async (deps) => (await import('../operations/rollback.js')).rollback(ctx, deps),
        (r) => ({ ok: r.ok, text: `rolled back: traffic on ${r.to.colour} (${r.to.version}) in ${(r.recoveryMs / 1000).toFixed(1)}s` }),
      ),
  };
}
