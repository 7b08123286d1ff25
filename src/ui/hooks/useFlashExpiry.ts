// Clears the flash line a fixed time after the flash was raised. A timer does it (not a
// comparison at render time), so the line disappears even when nothing else re-renders.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { AppStore } from '../../store/createAppStore.js';

export function useFlashExpiry(store: AppStore, visibleMs: number): void {
  const flash = useStore(store, (s) => s.flash);
  useEffect(() => {
    if (!flash) return;
    const timer = setTimeout(
      () => {
        // a newer flash has its own timer; only clear the one this timer was set for
        if (store.getState().flash === flash) store.getState().actions.clearFlash();
      },
      Math.max(0, flash.at + visibleMs - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [store, flash, visibleMs]);
}
