// The whole state and a ticking clock, as a screen reads them: what the verbs decide (a key's
// disabled reason, a list's rows) depends on all of it.
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppState } from '../../store/types.js';
import type { UiContext } from '../context.js';
import type { VerbState } from '../verbs/types.js';
import { useNow } from './useNow.js';

export function useAppState(ctx: UiContext, tickMs = 1000): VerbState & { s: AppState } {
  const s = useStore(
    ctx.store,
    useShallow((st) => ({ ...st })),
  );
  const now = useNow(tickMs);
  return { s, now };
}
