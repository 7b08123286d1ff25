// The one app-operations factory: every screen's verbs run through it, and it runs the very
// same operations as the CLI (deploy, canary, rollback, canary control, flags), with their
// events folded into the store. It owns the one operation this dashboard runs at a time
// (inFlight.ts), so quitting can stop it (resumable) or cancel it (undo) and wait for it to
// end. Nothing here is module-level: each dashboard (and each test) gets its own.
import type { ControlRequest } from '../core/canary/control.js';
import { ExitCode, ProdxError } from '../core/errors.js';
import { shortId } from '../core/errors/view.js';
import type { RollbackPlan } from '../core/rollback/plan.js';
import type { OperationContext } from '../operations/context.js';
import type { OperationEvent } from '../operations/events.js';
import { planFor } from '../operations/rollbackPlan.js';
import type { Runtime } from '../operations/runtime.js';
import type { AppStore } from '../store/createAppStore.js';
import type { AppOperations } from '../ui/context.js';
import { flagChanger } from './flagChanges.js';
import { createTracker, type Tracker } from './inFlight.js';
import { endProgress, foldEvent, startProgress } from './progress.js';

export interface AppOperationsDeps {
  ctx: OperationContext;
  store: AppStore;
  /** the runtime an operation runs with (tests pass a fake clock and router) */
  runtime(o: { emit: (e: OperationEvent) => void; signal: AbortSignal }): Runtime;
  /** re-runs the dashboard's pollers (all, or one by name) */
  refresh(poller?: string): Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const quiet = (d: AppOperationsDeps) => d.runtime({ emit: () => undefined, signal: new AbortController().signal });

/** A deploy or rollback as the dashboard's operation, its events folded into the Deploy screen's progress. */
async function withProgress<T>(
  d: AppOperationsDeps,
  tracker: Tracker,
  op: { kind: 'deploy' | 'rollback'; version: string | null },
  body: (rt: Runtime) => Promise<T>,
  outcome: (r: T) => { ok: boolean; text: string },
): Promise<void> {
  const { actions } = d.store.getState();
  let progress = startProgress(op.kind, op.version, Date.now());
  actions.setProgress(progress);
  actions.setScreen('deploy');
  const onEvent = (e: OperationEvent) => {
    progress = foldEvent(progress, e);
    actions.setProgress(progress);
    // a new phase may have moved traffic: the header shows the router's weights at once
    if (e.type === 'phase') void Promise.all([d.refresh('state'), d.refresh('router')]);
  };
  try {
    const r = await tracker.track({ kind: op.kind, label: op.version ? `${op.kind} ${op.version}` : op.kind }, onEvent, body);
    const o = outcome(r);
    actions.setProgress(endProgress(progress, o.ok, o.text));
    actions.flash(o.ok ? 'success' : 'error', o.text);
  } catch (err) {
    actions.setProgress(endProgress(progress, false, message(err)));
    throw err;
  }
}

function releaseOps(d: AppOperationsDeps, tracker: Tracker): Pick<AppOperations, 'deploy' | 'canary' | 'rollback'> {
  const { ctx, store } = d;
  const { actions } = store.getState();
  return {
    deploy: (version) =>
      withProgress(
        d,
        tracker,
        { kind: 'deploy', version },
        async (rt) => (await import('../operations/release.js')).deploy(ctx, rt, { version, strategy: 'blue-green' }),
        (r) => ({
          ok: r.ok,
          text: r.ok
            ? `deployed ${r.deployment.version} to ${r.deployment.toColour}`
            : `${r.result.replace('-', ' ')}: ${r.reason ?? 'see the log'}`,
        }),
      ),
    canary: async (version) => {
      actions.setScreen('canary');
      const onEvent = (e: OperationEvent) => {
        if (e.type === 'transition' || e.type === 'interval' || e.type === 'phase' || e.type === 'canary-plan') void d.refresh('state');
        if (e.type === 'transition') void d.refresh('router');
        if (e.type === 'warning') actions.flash('info', e.message);
      };
      const r = await tracker.track({ kind: 'canary', label: `canary ${version}` }, onEvent, async (rt) =>
        (await import('../operations/release.js')).canaryDeploy(ctx, rt, { version }),
      );
      actions.flash(
        r.ok ? 'success' : 'error',
        r.ok ? `canary ${version} promoted` : `canary ${version} ${r.result.replace('-', ' ')}: ${r.reason ?? ''}`,
      );
    },
    rollback: async (plan: RollbackPlan) => {
      // undoing this dashboard's own deploy: stop it first, so the rollback can take the lock
      if (tracker.current()?.kind === 'deploy') await tracker.stop(10_000);
      if (tracker.current()?.kind === 'canary') {
        // the canary's runner is this process: the rollback asks it through the mailbox
        const { rollback } = await import('../operations/release.js');
        const r = await rollback(ctx, quiet(d), { expected: plan });
        actions.flash(
          r.ok ? 'success' : 'error',
          r.ok ? `rolled back: ${r.to.colour} has all traffic again` : `rollback failed: ${r.reason ?? ''}`,
        );
        return;
      }
      await withProgress(
        d,
        tracker,
        { kind: 'rollback', version: null },
        async (rt) => (await import('../operations/release.js')).rollback(ctx, rt, { expected: plan }),
        (r) => ({
          ok: r.ok,
          text: r.ok
            ? `rolled back: traffic on ${r.to.colour} (${r.to.version ?? 'version unknown'}) in ${(r.recoveryMs / 1000).toFixed(1)}s`
            : `rollback failed: ${r.reason ?? 'see the log'}`,
        }),
      );
    },
  };
}

export function createAppOperations(d: AppOperationsDeps): AppOperations {
  const { ctx, store } = d;
  const tracker = createTracker(store, d.runtime, () => void d.refresh('state'));
  const release = releaseOps(d, tracker);
  const canaryControl = async (type: ControlRequest) => {
    const { canaryControl: control } = await import('../operations/release.js');
    const r = await control(ctx, quiet(d), type);
    await d.refresh('state');
    if (!r.ok) throw new ProdxError('canary-request', r.message, ExitCode.failed);
    return r.message;
  };
  return {
    canOperate: ctx.env.router !== undefined,
    ...release,
    canaryControl,
    changeFlag: flagChanger(ctx, () => d.refresh('flags')),
    evaluateFlag: async (key, context) => {
      const { evaluateFlag, flagsSource } = await import('../operations/flags.js');
      return evaluateFlag(flagsSource(ctx), key, context);
    },
    refresh: () => d.refresh(),
    refreshRum: () => d.refresh('rum'),
    setErrorStatus: async (id, status) => {
      const { setErrorStatus } = await import('../operations/errors.js');
      const c = setErrorStatus(ctx, id, status);
      await d.refresh('errors');
      const done = c.to === 'unresolved' ? 'reopened' : c.to;
      return `${done} ${shortId(c.group)}${c.to === 'resolved' && c.release ? ` in ${c.release}` : ''}: ${c.title}`;
    },
    stop: (timeoutMs) => tracker.stop(timeoutMs),
    cancel: async (timeoutMs) => {
      const op = tracker.current();
      if (!op) return;
      if (op.kind === 'canary') {
        // abort: the canary's weight goes to 0 at once, and the runner restores stable and ends
        await canaryControl('abort').catch(() => undefined);
        if (!(await tracker.settled(timeoutMs))) await tracker.stop(1_000);
        return;
      }
      await tracker.stop(timeoutMs);
      if (op.kind !== 'deploy') return;
      const plan = planFor(ctx, await quiet(d).store.read(ctx.envName));
      if (plan.kind !== 'nothing') await release.rollback(plan).catch((e: unknown) => store.getState().actions.flash('error', message(e)));
    },
  };
}
