// What a screen module exports so the shell can show it and the key router can reach its keys.
import type { ComponentType } from 'react';
import type { ScreenId } from '../../store/types.js';
import type { UiContext } from '../context.js';

/**
 * A key a screen handles while it is current. `key` is a single character (`'R'`, `'p'`) or a
 * named key with optional `ctrl+` prefix: `'ctrl+r'`, `'enter'`, `'up'`, `'down'`, `'left'`,
 * `'right'`, `'pageup'`, `'pagedown'`, `'space'`. Keys with the same label are shown together
 * in the footer and the help (`ctrl+r/R refresh now`).
 */
export interface ScreenKey {
  key: string;
  label: string;
  run(ctx: UiContext): void | Promise<void>;
}

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
  keys: readonly ScreenKey[];
  Component: ComponentType<ScreenProps>;
}
