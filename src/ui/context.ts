// Everything the Ink app needs from the outside: the store, and the app operations (the same
// operations as the CLI, built by src/app/appOperations.ts). The UI never reaches adapters or
// operations itself, so `r`+`y` runs exactly what `prodx rollback` runs.
import type { ControlRequest } from '../core/canary/control.js';
import type { GroupStatusName } from '../core/errors/report.js';
import type { EvaluationResult, FlagChange, FlagNudge } from '../core/flags/types.js';
import type { RollbackPlan } from '../core/rollback/plan.js';
import type { AppStore } from '../store/createAppStore.js';

/** A verb only this session has (the demo's `:fault`), run from the `:` line. */
export interface UiCommand {
  name: string;
  /** one line for help */
  description: string;
  /** `<target> error=0.2 | …`, shown after the name in help and completion */
  usage?: string;
  /** completions for the argument at `index` */
  complete?(index: number): string[];
  run(args: string[]): void | Promise<void>;
}

export interface AppOperations {
  /** false when the environment has no router: deploy, canary and rollback cannot run */
  readonly canOperate: boolean;
  /** a blue-green deploy, as `prodx deploy <version>`; its progress folds into the store */
  deploy(version: string): Promise<void>;
  /** a canary release, as `prodx canary deploy <version>`; resolves when the run ends */
  canary(version: string): Promise<void>;
  /** the rollback the user confirmed, as `prodx rollback`; refused when the state has changed since */
  rollback(plan: RollbackPlan): Promise<void>;
  /** promote, pause, resume or abort the canary (this process's or another prodx's); its answer in words */
  canaryControl(type: ControlRequest): Promise<string>;
  /**
   * enable, disable or set a rollout, as `prodx flags …`; refused when the file changed since
   * `ifMatch`. Changes run one after another; a nudge starts from the flag as the last one left it.
   */
  changeFlag(key: string, change: FlagChange | FlagNudge, ifMatch: string | null): Promise<{ changed: boolean; summary: string }>;
  evaluateFlag(key: string, context: Record<string, unknown>): Promise<EvaluationResult>;
  /** probe every target and re-read the state now */
  refresh(): Promise<void>;
  /** read the RUM report again now (after the screen's window or segment changed) */
  refreshRum(): Promise<void>;
  /**
   * resolve, ignore or reopen an error group, as `prodx errors resolve|ignore|reopen <id>`, then
   * read the report again; what changed, in words
   */
  setErrorStatus(id: string, status: GroupStatusName): Promise<string>;
  /** stops the operation this dashboard runs at its next safe point; resolves once it ended (false: it did not in time) */
  stop(timeoutMs: number): Promise<boolean>;
  /** stops it and undoes it: a deploy is rolled back, a canary aborted */
  cancel(timeoutMs: number): Promise<void>;
}

export interface UiContext {
  store: AppStore;
  app: AppOperations;
  /** verbs only this session has (the demo's `:fault`) */
  commands: UiCommand[];
  /**
   * called once when the user quits: `normal` with nothing running, `leave` (stopped, resumable),
   * `cancel` (undone), `force` (a second Ctrl-C: at once)
   */
  onQuit?(mode: 'normal' | 'leave' | 'cancel' | 'force'): void;
}
