// The one operation a dashboard runs at a time: what it is (in the store, for the footer and
// the quit dialog), its AbortController, and waiting for it to end, with a deadline.
import { ExitCode, ProdxError } from '../core/errors.js';
import type { OperationEvent } from '../operations/events.js';
import type { Runtime } from '../operations/runtime.js';
import type { AppStore } from '../store/createAppStore.js';
import type { InFlight } from '../store/types.js';

export interface Tracker {
  /** the operation running now, if any */
  current(): InFlight | null;
  /** runs `body` as the dashboard's operation; refused (exit 3) while another runs */
  track<T>(op: Omit<InFlight, 'startedAt'>, onEvent: (e: OperationEvent) => void, body: (rt: Runtime) => Promise<T>): Promise<T>;
  /** asks it to stop at its next safe point; resolves true once it ended, false when `timeoutMs` passed first */
  stop(timeoutMs: number): Promise<boolean>;
  /** waits for it to end (true), or `timeoutMs` (false) */
  settled(timeoutMs: number): Promise<boolean>;
}

const wait = (ms: number) => new Promise<false>((resolve) => setTimeout(() => resolve(false), ms).unref());

export function createTracker(
  store: AppStore,
  runtime: (o: { emit: (e: OperationEvent) => void; signal: AbortSignal }) => Runtime,
  onEnd: () => void,
): Tracker {
  const { actions } = store.getState();
  let running: { op: InFlight; controller: AbortController; done: Promise<unknown> } | null = null;
  const settled = async (timeoutMs: number) => {
    const r = running;
    if (!r) return true;
    return Promise.race([
      r.done.then(
        () => true,
        () => true,
      ),
      wait(timeoutMs),
    ]);
  };
  return {
    current: () => running?.op ?? null,
    track(op, onEvent, body) {
      if (running)
        return Promise.reject(
          new ProdxError('busy', `${running.op.label} is running from this dashboard: wait for it, or stop it first.`, ExitCode.locked),
        );
      const controller = new AbortController();
      const inFlight: InFlight = { ...op, startedAt: Date.now() };
      const done = body(runtime({ emit: onEvent, signal: controller.signal })).finally(() => {
        running = null;
        actions.setInFlight(null);
        onEnd();
      });
      running = { op: inFlight, controller, done };
      actions.setInFlight(inFlight);
      return done;
    },
    async stop(timeoutMs) {
      const r = running;
      if (!r) return true;
      actions.setInFlight({ ...r.op, stopping: true });
      r.controller.abort();
      return settled(timeoutMs);
    },
    settled,
  };
}
