// One zustand vanilla store for the whole app. Created by a factory so every test (and every
// demo instance) gets its own. Actions never write when nothing changed, so screens that
// select a slice re-render only when that slice moved.
import { isDeepStrictEqual } from 'node:util';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { initialHealth } from '../core/health/status.js';
import { emptyFlagsSlice } from '../core/flags/view.js';
import { emptyRumSlice } from '../core/rum/view.js';
import { emptyErrorsSlice } from './errorsSlice.js';
import { SCREENS, type AppState, type MetaSlice, type TargetView } from './types.js';

/** How many probes of latency history each target keeps for its sparkline. */
export const LATENCY_HISTORY = 240;
/** `:` lines kept for the up and down keys */
const COMMAND_HISTORY = 50;

export interface AppStoreInit extends MetaSlice {
  targets: { name: string; url: string }[];
}

export type AppStore = StoreApi<AppState>;

type Set = (partial: Partial<AppState>) => void;

/** merges a change into a slice; no write when nothing changed */
const mergeSlice =
  (set: Set, get: () => AppState) =>
  <K extends 'rum' | 'flags' | 'errors'>(key: K, patch: Partial<AppState[K]>) => {
    const next = { ...get()[key], ...patch };
    if (!isDeepStrictEqual(get()[key], next)) set({ [key]: next } as Partial<AppState>);
  };

export function createAppStore(init: AppStoreInit): AppStore {
  const targets: Record<string, TargetView> = {};
  for (const t of init.targets) targets[t.name] = { name: t.name, url: t.url, health: initialHealth, probes: [] };
  const { targets: _ignored, ...meta } = init;
  return createStore<AppState>()((set, get) => {
    const merge = mergeSlice(set, get);
    return {
      ...meta,
      targetOrder: init.targets.map((t) => t.name),
      targets,
      deployment: null,
      lock: null,
      progress: null,
      inFlight: null,
      weights: null,
      screen: 'dashboard',
      modal: null,
      flash: null,
      command: null,
      commandHistory: [],
      lists: {},
      pollers: {},
      flags: emptyFlagsSlice(),
      rum: emptyRumSlice(),
      errors: emptyErrorsSlice(),
      actions: {
        setScreen: (screen) => get().screen !== screen && set({ screen }),
        nextScreen: (step = 1) => {
          const i = SCREENS.indexOf(get().screen);
          set({ screen: SCREENS[(i + step + SCREENS.length) % SCREENS.length]! });
        },
        // a new dialog starts clean: an old message never lingers inside it
        openModal: (modal) => set({ modal, flash: null }),
        closeModal: () => get().modal !== null && set({ modal: null }),
        flash: (kind, text, at = Date.now()) => set({ flash: { kind, text, at } }),
        clearFlash: () => get().flash !== null && set({ flash: null }),
        setCommand: (command) => !isDeepStrictEqual(get().command, command) && set({ command }),
        pushHistory: (line) => {
          const h = get().commandHistory.filter((x) => x !== line);
          set({ commandHistory: [...h, line].slice(-COMMAND_HISTORY) });
        },
        setList: (id, patch) => {
          const prev = get().lists[id] ?? { cursor: 0, filter: '', filtering: false };
          const next = { ...prev, ...patch };
          if (!isDeepStrictEqual(prev, next)) set({ lists: { ...get().lists, [id]: next } });
        },
        patchModal: (kind, patch) => {
          const m = get().modal;
          if (m?.kind === kind) set({ modal: { ...m, ...patch } as typeof m });
        },
        setTargetHealth: (name, health, probe) => {
          const prev = get().targets[name];
          if (!prev) return;
          const probes = [...prev.probes, probe].slice(-LATENCY_HISTORY);
          set({ targets: { ...get().targets, [name]: { ...prev, health, probes } } });
        },
        setLastRefresh: (lastRefreshAt) => set({ lastRefreshAt }),
        setDeployment: (deployment, stateError) => {
          const s = get();
          if (isDeepStrictEqual(s.deployment, deployment) && s.stateError === stateError) return;
          set({ deployment, stateError });
        },
        setLock: (lock) => !isDeepStrictEqual(get().lock, lock) && set({ lock }),
        setProgress: (progress) => set({ progress }),
        setInFlight: (inFlight) => !isDeepStrictEqual(get().inFlight, inFlight) && set({ inFlight }),
        setWeights: (weights, routerError) => {
          const s = get();
          if (isDeepStrictEqual(s.weights, weights) && s.routerError === routerError) return;
          set({ weights, routerError });
        },
        updateRum: (patch) => merge('rum', patch),
        updateErrors: (patch) => merge('errors', patch),
        updateFlags: (patch) => merge('flags', patch),
        setPollerStatus: (name, status) => {
          if (isDeepStrictEqual(get().pollers[name], status)) return;
          set({ pollers: { ...get().pollers, [name]: status } });
        },
      },
    };
  });
}
