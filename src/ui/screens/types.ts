// What a screen module exports so the shell can show it and the key router can reach its keys
// and its list.
import type { ComponentType } from 'react';
import type { ScreenId } from '../../store/types.js';
import type { UiContext } from '../context.js';
import type { ListId } from '../verbs/lists.js';
import type { KeyAction, VerbState } from '../verbs/types.js';

/** The room the shell gives a screen's body, in terminal cells. */
export interface ScreenProps {
  ctx: UiContext;
  width: number;
  height: number;
}

export interface ScreenDefinition {
  id: ScreenId;
  /** the tab bar and help name */
  title: string;
  /** the screen's keys, entries of the verb table; the footer shows them in this order */
  keys: readonly KeyAction[];
  /** the list j/k, `/` and Enter move through, if the screen shows one */
  list?(v: VerbState): ListId | null;
  Component: ComponentType<ScreenProps>;
}
