// Keys as data. A verb is something the user can do (deploy, roll back, promote, quit…): its
// arguments, when it cannot run and why, the confirm it needs and what it does. A key is an
// entry {key, label, verb, confirm?, disabledReason?} in one table. The key router, the footer,
// `?` help and the `:` line are all built from these, so a key cannot exist without its help
// line and a dangerous verb cannot skip its confirm (k9s's KeyAction, lazygit's Binding).
import type { AppState } from '../../store/types.js';
import type { UiContext } from '../context.js';

/** What a verb reads to decide: the store's state and the time. */
export interface VerbState {
  s: AppState;
  now: number;
  /** how far the open detail can scroll (its last row at the bottom), as last drawn; from the key router */
  scrollLimit?: number;
}

export interface Confirm {
  title: string;
  /** exactly what will change, a line each */
  lines: string[];
  /** the confirm button's words: `roll back`, `abort the canary` */
  confirmLabel: string;
  /** what the verb runs with once confirmed (the plan that was shown), instead of its own arguments */
  args?: string[];
}

export interface VerbArg {
  name: string;
  required: boolean;
  /** the values the `:` line completes */
  complete?(v: VerbState): string[];
  /** takes the rest of the line (key=value context, a fault's settings) */
  rest?: boolean;
}

export type VerbGroup = 'Release' | 'Canary' | 'Flags' | 'RUM' | 'Errors' | 'Lists' | 'Screens' | 'App';

export interface Verb {
  name: string;
  /** other names the `:` line accepts (`q` for quit) */
  aliases?: string[];
  group: VerbGroup;
  /** one line for help, in the user's words */
  summary: string;
  args?: VerbArg[];
  /** shown when a key runs the verb without its required argument */
  prompt?: { title: string | ((v: VerbState) => string); hint(v: VerbState): string };
  /** why these arguments are wrong, or null (a prompt keeps its text and shows this) */
  validate?(args: string[], v: VerbState): string | null;
  /** why the verb cannot run now, or null */
  disabledReason?(v: VerbState): string | null;
  /** the question to ask first (dangerous verbs, any change in a protected environment), or null */
  confirm?(v: VerbState, args: string[]): Confirm | null;
  run(ctx: UiContext, args: string[], v: VerbState): void | Promise<void>;
}

/**
 * One key: what it is labelled in the footer and which verb it runs. `when` picks between
 * entries that share a key (space pauses a running canary and resumes a paused one).
 */
export interface KeyAction {
  key: string;
  label: string;
  verb: string;
  args?: string[];
  when?(v: VerbState): boolean;
  /** overrides the verb's own */
  confirm?(v: VerbState): Confirm | null;
  disabledReason?(v: VerbState): string | null;
  /** left out of the footer (still in help): list movement, aliases */
  hidden?: boolean;
}
