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
  /** called once when the user quits (q, :quit, Ctrl-C) */
  onQuit?(): void;
}
