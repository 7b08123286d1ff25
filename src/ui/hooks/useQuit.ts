// Quitting, as the shell does it: at once when nothing runs; otherwise the quit dialog, whose
// choices stop the operation (resumable) or cancel it (undo) and then quit, within a deadline;
// a second Ctrl-C quits at once.
import { useCallback, useRef } from 'react';
import { useApp } from 'ink';
import type { UiContext } from '../context.js';
import type { QuitMode } from '../keys.js';

/** the longest quitting waits for an operation to stop or be cancelled before it goes anyway */
const QUIT_DEADLINE_MS = 7_000;

export function useQuit(ctx: UiContext): (mode: QuitMode | null) => void {
  const { exit } = useApp();
  const quitting = useRef(false);
  const leave = useCallback(
    (mode: QuitMode | 'normal') => {
      if (quitting.current && mode !== 'force') return;
      quitting.current = true;
      ctx.onQuit?.(mode);
      exit();
    },
    [ctx, exit],
  );
  return useCallback(
    (mode: QuitMode | null) => {
      const st = ctx.store.getState();
      if (mode === 'force') return leave('force');
      if (mode === null) {
        if (!st.inFlight) return leave('normal');
        return st.actions.openModal({ kind: 'quit', label: st.inFlight.label, operation: st.inFlight.kind, focus: 'stay', stopping: null });
      }
      const label = st.inFlight?.label ?? 'the operation';
      st.actions.patchModal('quit', {
        stopping: mode === 'leave' ? `stopping ${label} at a safe point: it stays resumable…` : `cancelling ${label}…`,
      });
      const done = mode === 'leave' ? ctx.app.stop(QUIT_DEADLINE_MS - 2_000) : ctx.app.cancel(QUIT_DEADLINE_MS - 2_000);
      const deadline = new Promise((resolve) => setTimeout(resolve, QUIT_DEADLINE_MS).unref());
      void Promise.race([done.catch(() => undefined), deadline]).then(() => leave(mode));
    },
    [ctx, leave],
  );
}
