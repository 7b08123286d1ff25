import type { TargetHealth } from '../core/health/types.js';
import type { EnvironmentState } from '../core/state/schema.js';
import type { LockInfo } from '../core/state/lock.js';
import type { FlagsSlice } from '../core/flags/view.js';
import type { RumSlice } from '../core/rum/view.js';
import type { ErrorsSlice } from './errorsSlice.js';

export const SCREENS = ['dashboard', 'deploy', 'canary', 'rum', 'errors', 'flags'] as const;
export type ScreenId = (typeof SCREENS)[number];

/** One target of the selected environment, as the dashboard shows it. */
export interface TargetView {
  name: string;
  url: string;
  health: TargetHealth;
  /** the last probes, oldest first: when, and the latency, or null where the probe failed or timed out */
  probes: ProbeSample[];
}

export interface ProbeSample {
  at: number;
  ms: number | null;
}

export interface Flash {
  kind: 'info' | 'success' | 'error';
  text: string;
  at: number;
}

/**
 * The open dialog, as data: a confirm or a prompt names the verb (and arguments) it runs, so
 * the key router runs it through the one verb table; nothing here is a closure.
 */
export type Modal =
  | { kind: 'help'; scroll: number }
  | {
      kind: 'confirm';
      title: string;
      /** exactly what will change, one line each */
      lines: string[];
      confirmLabel: string;
      /** the focused button: Cancel is the default */
      focus: 'cancel' | 'confirm';
      verb: string;
      args: string[];
    }
  /** asks for the argument of `verb` (the version to deploy…); invalid text stays, with `error` */
  | { kind: 'prompt'; verb: string; title: string; hint: string; text: string; error: string | null }
  /** a history or analysis row (or anything cut on screen) in full */
  | { kind: 'detail'; title: string; lines: string[]; scroll: number }
  /** quitting while an operation runs: stay (default), leave it resumable, or cancel it */
  | { kind: 'quit'; label: string; operation: InFlight['kind']; focus: 'stay' | 'leave' | 'cancel'; stopping: string | null };

/** The `:` line: what is typed, and where the arrow keys are in the history. */
export interface CommandLineState {
  text: string;
  /** index into the history while browsing it with up/down; null while typing */
  historyIndex: number | null;
  /** the text typed before browsing started */
  draft: string;
}

/** A list on a screen (history, analysis, flags): the selected row and the `/` filter. */
export interface ListState {
  cursor: number;
  filter: string;
  /** typing into the filter */
  filtering: boolean;
}

export interface PollerStatus {
  /** epoch ms of the last successful run */
  lastOkAt?: number;
  /** consecutive failed runs; the scheduler backs off while this is above zero */
  failures: number;
  /** the last failure, in words */
  error?: string;
  /** ms until the next run, as scheduled after the last one */
  nextDelayMs?: number;
}

export interface MetaSlice {
  app: string;
  environment: string;
  environments: string[];
  configPath: string;
  /** false when MONITORING_ENABLED=false: no background polling */
  monitoring: boolean;
  /** changes in this environment ask for confirmation first */
  protected: boolean;
  /** a router is configured: deploy, canary and rollback can run from the dashboard */
  canOperate: boolean;
  /** when running `prodx demo`: its banner, where its config is, and what help says about it */
  demo?: { note: string; configPath: string; details: { keys: string; text: string }[] };
}

export interface TargetsSlice {
  /** in config order */
  targetOrder: string[];
  targets: Record<string, TargetView>;
  /** epoch ms of the last completed round of probes */
  lastRefreshAt?: number;
}

export interface DeploymentSlice {
  /** the selected environment's part of .prodx/state.json, or null before it is read */
  deployment: EnvironmentState | null;
  /** who holds the environment's lock, if anyone; `stale` when its holder is gone */
  lock: (LockInfo & { stale: boolean }) | null;
  /** why the state file could not be read, if it could not */
  stateError?: string;
}

/** A deploy or rollback run from this dashboard, as its events come in. */
export interface DeployProgress {
  operation: 'deploy' | 'rollback';
  version: string | null;
  fromColour: string | null;
  toColour: string | null;
  /** the current phase (`releasing` … `monitoring`, `rolling-back`), or how it ended */
  phase: string;
  startedAt: number;
  phaseStartedAt: number;
  running: boolean;
  /** the plan, one line per step */
  plan: string[];
  /** the release hook's output and the gate/check results, newest last (a bounded tail) */
  log: string[];
  /** how it ended, in words */
  outcome?: { ok: boolean; text: string };
}

/** The operation this dashboard runs now (one at a time), for the footer and the quit dialog. */
export interface InFlight {
  kind: 'deploy' | 'canary' | 'rollback';
  /** in words: `deploy 1.5.0`, `canary 1.5.0` */
  label: string;
  startedAt: number;
  /** set once the user asked it to stop */
  stopping?: boolean;
}

export interface DeploySlice {
  progress: DeployProgress | null;
  inFlight: InFlight | null;
  /** router weights per colour as last read, null when unknown or no router */
  weights: Record<string, number> | null;
  /** why the router could not be read, when it could not */
  routerError?: string;
}

export interface UiSlice {
  screen: ScreenId;
  modal: Modal | null;
  flash: Flash | null;
  /** the `:` line; null when it is closed */
  command: CommandLineState | null;
  /** `:` lines run this session, oldest first */
  commandHistory: string[];
  lists: Record<string, ListState>;
}

export interface AppActions {
  setScreen(screen: ScreenId): void;
  nextScreen(step?: 1 | -1): void;
  openModal(modal: Modal): void;
  closeModal(): void;
  flash(kind: Flash['kind'], text: string, at?: number): void;
  clearFlash(): void;
  setCommand(command: CommandLineState | null): void;
  pushHistory(line: string): void;
  setList(id: string, patch: Partial<ListState>): void;
  /** changes the open modal if it is of `kind` */
  patchModal<K extends Modal['kind']>(kind: K, patch: Partial<Extract<Modal, { kind: K }>>): void;
  /** replaces the view of target `name`; a no-op when nothing changed */
  setTargetHealth(name: string, health: TargetHealth, probe: ProbeSample): void;
  setLastRefresh(at: number): void;
  setDeployment(deployment: EnvironmentState | null, stateError?: string): void;
  setLock(lock: (LockInfo & { stale: boolean }) | null): void;
  setPollerStatus(name: string, status: PollerStatus): void;
  /** merges a change into the flags slice; a no-op when nothing changed */
  updateFlags(patch: Partial<FlagsSlice>): void;
  /** merges a change into the RUM slice; a no-op when nothing changed */
  updateRum(patch: Partial<RumSlice>): void;
  /** merges a change into the errors slice; a no-op when nothing changed */
  updateErrors(patch: Partial<ErrorsSlice>): void;
  /** replaces the deploy progress (the CLI layer folds operation events into it) */
  setProgress(progress: DeployProgress | null): void;
  setWeights(weights: Record<string, number> | null, routerError?: string): void;
  setInFlight(op: InFlight | null): void;
}

export interface AppState extends MetaSlice, TargetsSlice, DeploymentSlice, DeploySlice, UiSlice {
  pollers: Record<string, PollerStatus>;
  /** the flags file, audit history and experiments (src/core/flags/view.ts) */
  flags: FlagsSlice;
  /** the RUM report for the RUM screen's window and segment (src/core/rum/view.ts) */
  rum: RumSlice;
  /** the errors report and the Errors screen's sort and detail (src/store/errorsSlice.ts) */
  errors: ErrorsSlice;
  actions: AppActions;
}
