// The one key router. `routeKey` decides, from the UI state and one key press, what should
// happen (pure, so it is unit-tested without React); `useKeyRouter` is the single `useInput`
// of the app and carries the decision out. Precedence: Ctrl-C, the open modal (help, confirm,
// prompt), command mode, the current screen's keys, then the global keys.
import { useCallback } from 'react';
import { useInput, type Key } from 'ink';
import { SCREENS, type Modal, type ScreenId } from '../store/types.js';
import { runCommandLine } from './commands.js';
import type { UiContext } from './context.js';
import { safeRun } from './safeRun.js';
import type { ScreenKey } from './screens/types.js';

export interface RouterState {
  screen: ScreenId;
  modal: Modal | null;
  command: string | null;
}

export type KeyAction =
  | { type: 'quit' }
  | { type: 'closeModal' }
  | { type: 'confirm' }
  | { type: 'setPromptText'; text: string }
  | { type: 'submitPrompt'; text: string }
  | { type: 'openHelp' }
  | { type: 'setCommand'; text: string | null }
  | { type: 'runCommand'; text: string }
  | { type: 'screenKey'; key: ScreenKey }
  | { type: 'setScreen'; screen: ScreenId }
  | { type: 'nextScreen'; step: 1 | -1 };

/** The key flags the router reads; ink's `Key` fits, tests pass only what they press. */
export type KeyPress = Partial<
  Pick<
    Key,
    | 'ctrl'
    | 'meta'
    | 'shift'
    | 'tab'
    | 'escape'
    | 'return'
    | 'backspace'
    | 'delete'
    | 'upArrow'
    | 'downArrow'
    | 'leftArrow'
    | 'rightArrow'
    | 'pageUp'
    | 'pageDown'
  >
>;

/** The global keys, as the footer and the help overlay show them. */
export const GLOBAL_KEYS: readonly { keys: string; label: string; hint?: string }[] = [
  { keys: `1-${SCREENS.length}`, label: 'jump to a screen', hint: 'screens' },
  { keys: 'tab', label: 'next screen', hint: 'next' },
  { keys: 'shift+tab', label: 'previous screen' },
  { keys: ':', label: 'command line', hint: 'command' },
  { keys: '?', label: 'help', hint: 'help' },
  { keys: 'esc', label: 'close / back to Dashboard' },
  { keys: 'q', label: 'quit', hint: 'quit' },
  { keys: 'ctrl+c', label: 'quit' },
];

const NAMED: Record<string, (input: string, key: KeyPress) => boolean> = {
  enter: (_i, k) => k.return === true,
  esc: (_i, k) => k.escape === true,
  tab: (_i, k) => k.tab === true && !k.shift,
  up: (_i, k) => k.upArrow === true,
  down: (_i, k) => k.downArrow === true,
  left: (_i, k) => k.leftArrow === true,
  right: (_i, k) => k.rightArrow === true,
  pageup: (_i, k) => k.pageUp === true,
  pagedown: (_i, k) => k.pageDown === true,
  space: (i, k) => i === ' ' && !k.ctrl,
};

/** Does the press match a ScreenKey spec such as `'R'`, `'ctrl+r'` or `'enter'`? */
export function matchesKey(spec: string, input: string, key: KeyPress): boolean {
  const ctrl = spec.startsWith('ctrl+');
  const name = ctrl ? spec.slice(5) : spec;
  if (ctrl !== (key.ctrl === true)) return false;
  const named = NAMED[name];
  if (named) return named(input, key);
  return !key.meta && input === name;
}

function isPrintable(input: string, key: KeyPress): boolean {
  // eslint-disable-next-line no-control-regex
  return input.length > 0 && !key.ctrl && !key.meta && !/[\u0000-\u001f\u007f]/.test(input);
}

/** Typed fast or pasted, text and Enter can arrive as one chunk: the text before the Enter. */
function firstLine(input: string, key: KeyPress): string | null {
  const line = /^([^\r\n]*)[\r\n]/.exec(input);
  return line && isPrintable(line[1]!, key) ? line[1]! : null;
}

export function routeKey(state: RouterState, input: string, key: KeyPress, screenKeys: readonly ScreenKey[]): KeyAction | null {
  if (key.ctrl && input === 'c') return { type: 'quit' };

  if (state.modal?.kind === 'help') {
    return key.escape || input === '?' || input === 'q' ? { type: 'closeModal' } : null;
  }
  if (state.modal?.kind === 'confirm') {
    if (key.return || input === 'y' || input === 'Y') return { type: 'confirm' };
    if (key.escape || input === 'n' || input === 'N') return { type: 'closeModal' };
    return null;
  }

  if (state.modal?.kind === 'prompt') {
    const { text } = state.modal;
    if (key.escape) return { type: 'closeModal' };
    const line = firstLine(input, key);
    if (line !== null) return { type: 'submitPrompt', text: text + line };
    if (key.return) return { type: 'submitPrompt', text };
    if (key.backspace || key.delete) return { type: 'setPromptText', text: text.slice(0, -1) };
    return isPrintable(input, key) ? { type: 'setPromptText', text: text + input } : null;
  }

  if (state.command !== null) {
    if (key.escape) return { type: 'setCommand', text: null };
    const line = firstLine(input, key);
    if (line !== null) return { type: 'runCommand', text: state.command + line };
    if (key.return) return { type: 'runCommand', text: state.command };
    if (key.backspace || key.delete) {
      return { type: 'setCommand', text: state.command === '' ? null : state.command.slice(0, -1) };
    }
    return isPrintable(input, key) ? { type: 'setCommand', text: state.command + input } : null;
  }

  const screenKey = screenKeys.find((k) => matchesKey(k.key, input, key));
  if (screenKey) return { type: 'screenKey', key: screenKey };

  if (key.tab) return { type: 'nextScreen', step: key.shift ? -1 : 1 };
  if (key.escape) return state.screen === 'dashboard' ? null : { type: 'setScreen', screen: 'dashboard' };
  if (key.ctrl || key.meta) return null;
  const digit = /^[1-9]$/.test(input) ? SCREENS[Number(input) - 1] : undefined;
  if (digit) return { type: 'setScreen', screen: digit };
  if (input === '?') return { type: 'openHelp' };
  if (input === ':') return { type: 'setCommand', text: '' };
  // `:verb args` pasted or typed in one burst
  if (input.startsWith(':')) return routeKey({ ...state, command: '' }, input.slice(1), key, screenKeys);
  if (input === 'q') return { type: 'quit' };
  return null;
}

/** Carries out what `routeKey` decided. */
export function runKeyAction(action: KeyAction, ctx: UiContext, quit: () => void): void {
  const { actions, modal } = ctx.store.getState();
  switch (action.type) {
    case 'quit':
      return quit();
    case 'closeModal':
      return actions.closeModal();
    case 'confirm': {
      actions.closeModal();
      if (modal?.kind === 'confirm') safeRun(ctx, modal.confirmLabel, modal.onConfirm);
      return;
    }
    case 'setPromptText':
      return actions.setPromptText(action.text);
    case 'submitPrompt': {
      actions.closeModal();
      // the prompt's owner words its own errors (it knows what the text was for)
      if (modal?.kind === 'prompt') safeRun(ctx, null, () => modal.onSubmit(action.text));
      return;
    }
    case 'openHelp':
      return actions.openModal({ kind: 'help' });
    case 'setCommand':
      return actions.setCommand(action.text);
    case 'runCommand':
      actions.setCommand(null);
      return safeRun(ctx, `:${action.text.trim()}`, () => runCommandLine(action.text, ctx, quit));
    case 'screenKey':
      return safeRun(ctx, action.key.label, () => action.key.run(ctx));
    case 'setScreen':
      return actions.setScreen(action.screen);
    case 'nextScreen':
      return actions.nextScreen(action.step);
  }
}

/** The app's single `useInput`: routes every key press with the store's current state. */
export function useKeyRouter(ctx: UiContext, screenKeys: readonly ScreenKey[], quit: () => void): void {
  const onInput = useCallback(
    (input: string, key: Key) => {
      const action = routeKey(ctx.store.getState(), input, key, screenKeys);
      if (action) runKeyAction(action, ctx, quit);
    },
    [ctx, screenKeys, quit],
  );
  useInput(onInput);
}
