// `prodx canary status --watch`: follows an environment's canary from the state, wherever it
// runs (another shell, CI, the dashboard), and reports each analysis interval and each change of
// phase until the run ends: a CI gate. A run that no live prodx analyses is said, not waited on.
import { canaryWords, isUnfinished } from '../../core/canary/view.js';
import { ExitCode, ProdxError } from '../../core/errors.js';
import { liveRunner } from '../../core/state/lock.js';
import type { CanaryInterval, CanaryRun } from '../../core/state/schema.js';
import type { OperationContext } from '../context.js';
import type { Runtime } from '../runtime.js';

export type WatchEvent =
  | { event: 'waiting' }
  | { event: 'canary'; run: CanaryRun }
  | { event: 'interval'; interval: CanaryInterval; run: CanaryRun }
  | { event: 'phase'; run: CanaryRun; description: string }
  | { event: 'end'; run: CanaryRun; verdict: 'promoted' | 'aborted' | 'rolled-back'; reason?: string };

/** how long a run may go without a live runner before the watch says so */
const ORPHAN_GRACE_MS = 3_000;

/** Resolves with how the canary ended; throws `canary-orphaned` when no prodx runs it. */
export async function watchCanary(
  ctx: OperationContext,
  rt: Runtime,
  onEvent: (e: WatchEvent) => void,
  o: { pollMs: number },
): Promise<'promoted' | 'aborted' | 'rolled-back' | 'stopped'> {
  let seenId: string | null = null;
  let seenIntervals = 0;
  let seenPhase = '';
  let orphanSince: number | null = null;
  let waiting = false;
  while (!rt.signal?.aborted) {
    const run = (await rt.store.read(ctx.envName)).canary ?? null;
    if (!run) {
      if (!waiting) onEvent({ event: 'waiting' });
      waiting = true;
    } else {
      if (run.id !== seenId) {
        seenId = run.id;
        seenPhase = '';
        // a run that is already under way: show its last interval, not all of them
        seenIntervals = Math.max(0, run.analysis.length - 1);
        onEvent({ event: 'canary', run });
      }
      // intervals beyond what the state keeps were trimmed: start from what is there
      seenIntervals = Math.min(seenIntervals, run.analysis.length);
      for (const interval of run.analysis.slice(seenIntervals)) onEvent({ event: 'interval', interval, run });
      seenIntervals = run.analysis.length;
      // a change of phase, step or setup; not the seconds a pause has left
      const key = JSON.stringify([run.setup, run.state.phase, 'step' in run.state ? run.state.step : null, run.endedAt ?? null]);
      if (key !== seenPhase) {
        seenPhase = key;
        onEvent({ event: 'phase', run, description: canaryWords(run, rt.clock.now()) });
      }
      const s = run.state;
      if (!isUnfinished(run) && (s.phase === 'promoted' || s.phase === 'aborted' || s.phase === 'rolled-back')) {
        onEvent({ event: 'end', run, verdict: s.phase, ...('reason' in s ? { reason: s.reason } : {}) });
        return s.phase;
      }
      const runner = liveRunner(await rt.locks.read(ctx.envName), rt.locks.liveness(rt.clock.now()));
      if (!runner) {
        orphanSince ??= rt.clock.now();
        if (rt.clock.now() - orphanSince > Math.max(ORPHAN_GRACE_MS, 2 * o.pollMs)) {
          throw new ProdxError(
            'canary-orphaned',
            `no prodx is running the canary of ${run.version} (${canaryWords(run, rt.clock.now())}): continue it with \`prodx canary deploy --resume\` or end it with \`prodx canary abort\`.`,
            ExitCode.failed,
          );
        }
      } else orphanSince = null;
    }
    await rt.clock.sleep(o.pollMs, rt.signal);
  }
  return 'stopped';
}
