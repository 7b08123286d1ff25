import type { CanaryRequestType } from '../core/canary/control.js';
import type { AppStore } from '../store/createAppStore.js';

/** A verb the `:` command line (and the help overlay) knows. */
export interface UiCommand {
  name: string;
  /** one line for the help overlay */
  description: string;
  run(args: string[]): void | Promise<void>;
}

/** Everything the Ink app needs from the outside; the CLI builds it, tests build a fake one. */
export interface UiContext {
  store: AppStore;
  /** verbs backed by operations (e.g. `refresh`); screen switching, help and quit are built in */
  commands: UiCommand[];
  /** probe every source now, out of turn */
  refresh(): Promise<void>;
  /**
   * The operations the screens' keys run (the same code as `prodx deploy` / `prodx rollback`);
   * absent when this environment cannot deploy (no router configured). They report progress
   * through the store's `progress` slice and reject with a ProdxError on bad input.
   */
  operations?: {
    deploy(version: string): Promise<void>;
    rollback(): Promise<void>;
    /**
     * Starts a canary release of `version` in this process (the same code as `prodx canary
     * deploy`); resolves when it ends. Its progress shows in the state (`deployment.canary`).
     */
    canaryDeploy(version: string): Promise<void>;
    /**
     * Asks the running canary (in this process or another prodx) to promote, abort, pause,
     * resume or roll back; resolves with what happened, in words, once it is applied.
     */
    canaryControl(type: CanaryRequestType, reason?: string): Promise<string>;
  };
  /** called once when the user quits (q, :quit, Ctrl-C) */
  onQuit?(): void;
}
