// The one app-operations factory: every screen's verbs run through it, and it runs the very
// same operations as the CLI (deploy, canary, rollback, canary control, flags), with their
// events folded into the store. It owns the one operation this dashboard runs at a time, so
// quitting can stop it (resumable) or cancel it (undo) and wait for it to end. Nothing here is
// module-level: each dashboard (and each test) gets its own.
import type { ControlRequest } from '../core/canary/control.js';
import { ExitCode, ProdxError } from '../core/errors.js';
import { nudgeOf, type FlagChange, type FlagNudge } from '../core/flags/types.js';
import type { RollbackPlan } from '../core/rollback/plan.js';
import type { OperationContext } from '../operations/context.js';
import type { OperationEvent } from '../operations/events.js';
import type { Runtime } from '../operations/runtime.js';
import type { AppStore } from '../store/createAppStore.js';
import type { InFlight } from '../store/types.js';
import type { AppOperations } from '../ui/context.js';
import { endProgress, foldEvent, startProgress } from './progress.js';

export interface AppOperationsDeps {
  ctx: OperationContext;
  store: AppStore;
  /** the runtime an operation runs with (tests pass a fake clock and router) */
  runtime(o: { emit: (e: OperationEvent) => void; signal: AbortSignal }): Runtime;
  /** re-runs the dashboard's pollers (all, or one by name) */
  refresh(poller?: string): Promise<void>;
}

interface Running {
  op: InFlight;
  controller: AbortController;
  done: Promise<unknown>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function createAppOperations(d: AppOperationsDeps): AppOperations {
  const { ctx, store } = d;
  const { actions } = store.getState();
  let running: Running | null = null;
  // flag changes run one after another, each from the file as the previous one left it
  let flagQueue: Promise<unknown> = Promise.resolve();

  const busy = () =>
    new ProdxError('busy', `${running!.op.label} is running from this dashboard: wait for it, or stop it first.`, ExitCode.locked);

  /** Runs one operation as this dashboard's in-flight one; its events go to `onEvent`. */
  const track = <T>(
    op: Omit<InFlight, 'startedAt'>,
    onEvent: (e: OperationEvent) => void,
    body: (rt: Runtime) => Promise<T>,
  ): Promise<T> => {
    if (running) return Promise.reject(busy());
    const controller = new AbortController();
    const inFlight: InFlight = { ...op, startedAt: Date.now() };
    const rt = d.runtime({ emit: onEvent, signal: controller.signal });
    const done = body(rt).finally(() => {
      running = null;
      actions.setInFlight(null);
      void d.refresh('state');
    });
    running = { op: inFlight, controller, done };
    actions.setInFlight(inFlight);
    return done;
  };

  /** A deploy or rollback, with its events folded into the Deploy screen's progress. */
  const withProgress = async <T>(
    kind: 'deploy' | 'rollback',
    version: string | null,
    body: (rt: Runtime) => Promise<T>,
    outcome: (r: T) => { ok: boolean; text: string },
  ): Promise<void> => {
    let progress = startProgress(kind, version, Date.now());
    actions.setProgress(progress);
    actions.setScreen('deploy');
    const onEvent = (e: OperationEvent) => {
      progress = foldEvent(progress, e);
      actions.setProgress(progress);
      if (e.type === 'phase') void d.refresh('state');
    };
    try {
      const r = await track({ kind, label: version ? `${kind} ${version}` : kind }, onEvent, body);
      const o = outcome(r);
      actions.setProgress(endProgress(progress, o.ok, o.text));
      actions.flash(o.ok ? 'success' : 'error', o.text);
    } catch (err) {
      actions.setProgress(endProgress(progress, false, message(err)));
      throw err;
    }
  };

  const stop = async (timeoutMs: number): Promise<boolean> => {
    const r = running;
    if (!r) return true;
    actions.setInFlight({ ...r.op, stopping: true });
    r.controller.abort();
    return Promise.race([
      r.done.then(
        () => true,
        () => true,
      ),
      wait(timeoutMs).then(() => false),
    ]);
  };

  const ops: AppOperations = {
    canOperate: ctx.env.router !== undefined,
    deploy: (version) =>
      withProgress(
        'deploy',
        version,
        async (rt) => (await import('../operations/deploy/index.js')).deploy(ctx, rt, { version, strategy: 'blue-green' }),
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
        if (e.type === 'warning') actions.flash('info', e.message);
      };
      const r = await track({ kind: 'canary', label: `canary ${version}` }, onEvent, async (rt) =>
        (await import('../operations/canary/deploy.js')).canaryDeploy(ctx, rt, { version }),
      );
      actions.flash(
        r.ok ? 'success' : 'error',
        r.ok ? `canary ${version} promoted` : `canary ${version} ${r.result.replace('-', ' ')}: ${r.reason ?? ''}`,
      );
    },
    rollback: async (plan: RollbackPlan) => {
      // undoing this dashboard's own deploy: stop it first, so the rollback can take the lock
      if (running?.op.kind === 'deploy') await stop(10_000);
      if (running?.op.kind === 'canary') {
        // the canary's runner is this process: the rollback asks it through the mailbox
        const { rollback } = await import('../operations/rollback.js');
        const r = await rollback(ctx, d.runtime({ emit: () => undefined, signal: new AbortController().signal }), { expected: plan });
        actions.flash(
          r.ok ? 'success' : 'error',
          r.ok ? `rolled back: ${r.to.colour} has all traffic again` : `rollback failed: ${r.reason ?? ''}`,
        );
        return;
      }
      await withProgress(
        'rollback',
        null,
        async (rt) => (await import('../operations/rollback.js')).rollback(ctx, rt, { expected: plan }),
        (r) => ({
          ok: r.ok,
          text: r.ok
            ? `rolled back: traffic on ${r.to.colour} (${r.to.version ?? 'version unknown'}) in ${(r.recoveryMs / 1000).toFixed(1)}s`
            : `rollback failed: ${r.reason ?? 'see the log'}`,
        }),
      );
    },
    canaryControl: async (type: ControlRequest) => {
      const { canaryControl } = await import('../operations/canary/control.js');
      const r = await canaryControl(ctx, d.runtime({ emit: () => undefined, signal: new AbortController().signal }), type);
      await d.refresh('state');
      if (!r.ok) throw new ProdxError('canary-request', r.message, ExitCode.failed);
      return r.message;
    },
    changeFlag: (key: string, change: FlagChange | FlagNudge, ifMatch: string | null) => {
      const task = async () => {
        const { changeFlag, flagsSource, listFlags } = await import('../operations/flags.js');
        const src = flagsSource(ctx);
        let planned: FlagChange | string = change as FlagChange;
        if (change.kind === 'nudge') {
          const flag = listFlags(src).flags.find((f) => f.key === key);
          planned = flag ? nudgeOf(flag, change.delta) : `there is no flag "${key}" in ${src.file} any more`;
        }
        if (typeof planned === 'string') throw new ProdxError('flag-change', planned);
        try {
          const r = await changeFlag(src, key, planned, { confirmed: true, ...(ifMatch ? { ifMatch } : {}) });
          return { changed: r.changed, summary: r.summary };
        } finally {
          // a refused change (a conflict) means the view is stale: show the file as it is now
          await d.refresh('flags');
        }
      };
      const next = flagQueue.then(task, task);
      flagQueue = next.catch(() => undefined);
      return next;
    },
    evaluateFlag: async (key, context) => {
      const { evaluateFlag, flagsSource } = await import('../operations/flags.js');
      return evaluateFlag(flagsSource(ctx), key, context);
    },
    refresh: () => d.refresh(),
    stop,
    cancel: async (timeoutMs) => {
      const r = running;
      if (!r) return;
      if (r.op.kind === 'canary') {
        // abort: the canary's weight goes to 0 at once, and the runner restores stable and ends
        await ops.canaryControl('abort').catch(() => undefined);
        if (
          !(await Promise.race([
            r.done.then(
              () => true,
              () => true,
            ),
            wait(timeoutMs).then(() => false),
          ]))
        )
          await stop(1_000);
        return;
      }
      await stop(timeoutMs);
      if (r.op.kind === 'deploy') {
        const { planFor } = await import('../operations/rollbackPlan.js');
        const plan = planFor(ctx, await d.runtime({ emit: () => undefined, signal: new AbortController().signal }).store.read(ctx.envName));
        if (plan.kind !== 'nothing') await ops.rollback(plan).catch((e: unknown) => actions.flash('error', message(e)));
      }
    },
  };
  return ops;
}
