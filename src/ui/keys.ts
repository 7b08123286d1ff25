// The one key router. `routeKey` decides, from the store's state and one key press, what
// happens (pure, unit-tested without React); `runKeyAction` carries it out through the verb
// table. Precedence: Ctrl-C, the open dialog, the `:` line, a list's filter, the screen's keys,
// the list keys, then the global keys.
import type { Key } from 'ink';
import type { AppState, Modal } from '../store/types.js';
import { browse, complete, parseLine, runLine } from './commandLine.js';
import type { UiContext } from './context.js';
import { invoke, verbState } from './verbs/invoke.js';
import type { ListId } from './verbs/lists.js';
import { GLOBAL_KEYS, LIST_KEYS, type VerbTable } from './verbs/table.js';
import type { KeyAction, VerbState } from './verbs/types.js';

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

export type QuitMode = 'leave' | 'cancel' | 'force';

export type KeyDecision =
  | { type: 'quit'; force: boolean }
  | { type: 'quit-choice'; mode: 'leave' | 'cancel' }
  /** `scrollLimit`: how far the open detail scrolls, as drawn (the list keys scroll an open error group) */
  | { type: 'invoke'; key: KeyAction; scrollLimit?: number }
  | { type: 'confirm' }
  | { type: 'submit-prompt'; text: string }
  | { type: 'run-line'; text: string }
  | { type: 'state'; change: (s: AppState) => void };

const NAMED: Record<string, (input: string, key: KeyPress) => boolean> = {
  enter: (_i, k) => k.return === true,
  esc: (_i, k) => k.escape === true,
  tab: (_i, k) => k.tab === true && !k.shift,
  'shift+tab': (_i, k) => k.tab === true && k.shift === true,
  up: (_i, k) => k.upArrow === true,
  down: (_i, k) => k.downArrow === true,
  left: (_i, k) => k.leftArrow === true,
  right: (_i, k) => k.rightArrow === true,
  pageup: (_i, k) => k.pageUp === true,
  pagedown: (_i, k) => k.pageDown === true,
  space: (i, k) => i === ' ' && !k.ctrl,
};

/** Does the press match a key spec such as `'R'`, `'ctrl+r'` or `'enter'`? */
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

/**
 * The part of `input` to route now. Keys typed fast (or sent by a script) reach the app as one
 * chunk, `3c`: where keys are commands they are routed one at a time, each on the state the one
 * before left, so `3c` is the Canary screen and then its `c`; where text is typed (a prompt, the
 * `:` line, a filter) the rest goes in whole, as typed text. Pure.
 */
export function nextChunk(s: AppState, filtering: boolean, input: string, key: KeyPress): string {
  const takesText = s.modal?.kind === 'prompt' || s.command !== null || filtering || input.startsWith(':');
  return takesText || input.length <= 1 || !isPrintable(input, key) ? input : [...input][0]!;
}

/** Typed fast or pasted, text and Enter can arrive as one chunk: the text before the Enter. */
function firstLine(input: string, key: KeyPress): string | null {
  const line = /^([^\r\n]*)[\r\n]/.exec(input);
  return line && isPrintable(line[1]!, key) ? line[1]! : null;
}

/** Text editing shared by the prompt, the `:` line and a list's filter: the new text, or null when the key is not an edit. */
function edit(text: string, input: string, key: KeyPress): string | null {
  if (key.backspace || key.delete) return text.slice(0, -1);
  return isPrintable(input, key) ? text + input : null;
}

const SCROLL: Record<string, number> = { down: 1, j: 1, up: -1, k: -1, pagedown: 10, pageup: -10 };
const scrollOf = (input: string, key: KeyPress) => Object.entries(SCROLL).find(([spec]) => matchesKey(spec, input, key))?.[1];

function routeModal(m: Modal, input: string, key: KeyPress, scrollLimit: number): KeyDecision | null {
  const close: KeyDecision = { type: 'state', change: (s) => s.actions.closeModal() };
  switch (m.kind) {
    case 'help':
    case 'detail': {
      if (key.escape || input === 'q' || (m.kind === 'help' && input === '?') || (m.kind === 'detail' && key.return)) return close;
      const d = scrollOf(input, key);
      if (d === undefined) return null;
      const scroll = Math.max(0, Math.min(scrollLimit, m.scroll + d));
      return { type: 'state', change: (s) => s.actions.patchModal(m.kind, { scroll }) };
    }
    case 'confirm':
      if (input === 'y' || input === 'Y') return { type: 'confirm' };
      if (key.escape || input === 'n' || input === 'N') return close;
      if (key.return) return m.focus === 'confirm' ? { type: 'confirm' } : close;
      if (key.leftArrow || key.rightArrow || key.tab || input === 'h' || input === 'l')
        return { type: 'state', change: (s) => s.actions.patchModal('confirm', { focus: m.focus === 'cancel' ? 'confirm' : 'cancel' }) };
      return null;
    case 'prompt': {
      if (key.escape) return close;
      const line = firstLine(input, key);
      if (line !== null) return { type: 'submit-prompt', text: m.text + line };
      if (key.return) return { type: 'submit-prompt', text: m.text };
      const text = edit(m.text, input, key);
      return text === null ? null : { type: 'state', change: (s) => s.actions.patchModal('prompt', { text, error: null }) };
    }
    case 'quit': {
      if (m.stopping) return null;
      if (key.escape) return close;
      const order = ['stay', 'leave', 'cancel'] as const;
      const step =
        key.rightArrow || key.downArrow || (key.tab && !key.shift) ? 1 : key.leftArrow || key.upArrow || (key.tab && key.shift) ? -1 : 0;
      if (step !== 0)
        return { type: 'state', change: (s) => s.actions.patchModal('quit', { focus: order[(order.indexOf(m.focus) + step + 3) % 3]! }) };
      if (key.return) return m.focus === 'stay' ? close : { type: 'quit-choice', mode: m.focus };
      return null;
    }
  }
}

function routeCommand(s: AppState, input: string, key: KeyPress, table: VerbTable, v: VerbState): KeyDecision | null {
  const c = s.command!;
  if (key.escape) return { type: 'state', change: (st) => st.actions.setCommand(null) };
  const line = firstLine(input, key);
  if (line !== null) return { type: 'run-line', text: c.text + line };
  if (key.return) return { type: 'run-line', text: c.text };
  if (key.tab)
    return { type: 'state', change: (st) => st.actions.setCommand({ ...c, text: complete(c.text, table, v).text, historyIndex: null }) };
  if (key.upArrow || key.downArrow) {
    const { index } = browse(s.commandHistory, c.historyIndex, key.upArrow ? -1 : 1);
    const text = index === null ? c.draft : s.commandHistory[index]!;
    const draft = c.historyIndex === null ? c.text : c.draft;
    return { type: 'state', change: (st) => st.actions.setCommand({ text, historyIndex: index, draft }) };
  }
  if ((key.backspace || key.delete) && c.text === '') return { type: 'state', change: (st) => st.actions.setCommand(null) };
  const text = edit(c.text, input, key);
  return text === null ? null : { type: 'state', change: (st) => st.actions.setCommand({ text, historyIndex: null, draft: text }) };
}

function routeFilter(id: ListId, filter: string, input: string, key: KeyPress): KeyDecision | null {
  if (key.escape) return { type: 'state', change: (s) => s.actions.setList(id, { filter: '', filtering: false, cursor: 0 }) };
  if (key.return) return { type: 'state', change: (s) => s.actions.setList(id, { filtering: false }) };
  if (key.upArrow || key.downArrow) return null;
  const text = edit(filter, input, key);
  return text === null ? null : { type: 'state', change: (s) => s.actions.setList(id, { filter: text, cursor: 0 }) };
}

/** The entry a key press picks among those bound to it (`when` decides between shared keys). */
export function pickKey(keys: readonly KeyAction[], input: string, key: KeyPress, v: VerbState): KeyAction | undefined {
  const bound = keys.filter((k) => matchesKey(k.key, input, key));
  return bound.find((k) => !k.when || k.when(v)) ?? bound.find((k) => !k.when) ?? bound[0];
}

export interface RouteContext {
  table: VerbTable;
  screenKeys: readonly KeyAction[];
  /** the current screen's list, if it has one */
  list: ListId | null;
  /** how far the open help or detail can scroll (its last line at the bottom), as last drawn */
  scrollLimit?: number;
}

export function routeKey(v: VerbState, input: string, key: KeyPress, r: RouteContext): KeyDecision | null {
  const s = v.s;
  if (key.ctrl && input === 'c') return { type: 'quit', force: s.modal?.kind === 'quit' };
  if (s.modal) return routeModal(s.modal, input, key, r.scrollLimit ?? Infinity);
  if (s.command !== null) return routeCommand(s, input, key, r.table, v);
  const filtering = r.list ? s.lists[r.list] : undefined;
  if (r.list && filtering?.filtering) {
    const d = routeFilter(r.list, filtering.filter, input, key);
    if (d || !(key.upArrow || key.downArrow)) return d;
  }
  const hit =
    pickKey(r.screenKeys, input, key, v) ?? (r.list ? pickKey(LIST_KEYS, input, key, v) : undefined) ?? pickKey(GLOBAL_KEYS, input, key, v);
  if (hit)
    return hit.verb === 'quit'
      ? { type: 'quit', force: false }
      : { type: 'invoke', key: hit, ...(r.scrollLimit !== undefined ? { scrollLimit: r.scrollLimit } : {}) };
  if (input === ':') return { type: 'state', change: (st) => st.actions.setCommand({ text: '', historyIndex: null, draft: '' }) };
  // `:verb args` pasted or typed in one burst
  if (input.startsWith(':') && input.length > 1) {
    const rest = input.slice(1);
    const line = firstLine(rest, key);
    if (line !== null) return { type: 'run-line', text: line };
    return isPrintable(rest, key)
      ? { type: 'state', change: (st) => st.actions.setCommand({ text: rest, historyIndex: null, draft: rest }) }
      : null;
  }
  return null;
}

/** Carries out what `routeKey` decided. */
export function runKeyAction(d: KeyDecision, ctx: UiContext, table: VerbTable, quit: (mode: QuitMode | null) => void): void {
  const { actions, modal } = ctx.store.getState();
  switch (d.type) {
    case 'quit':
      return quit(d.force ? 'force' : null);
    case 'quit-choice':
      return quit(d.mode);
    case 'state':
      return d.change(ctx.store.getState());
    case 'invoke': {
      const verb = table.byName(d.key.verb);
      if (verb) invoke(ctx, verb, d.key.args ?? [], { key: d.key, ...(d.scrollLimit !== undefined ? { scrollLimit: d.scrollLimit } : {}) });
      return;
    }
    case 'confirm': {
      if (modal?.kind !== 'confirm') return;
      actions.closeModal();
      const verb = table.byName(modal.verb);
      if (verb) invoke(ctx, verb, modal.args, { confirmed: true });
      return;
    }
    case 'submit-prompt': {
      if (modal?.kind !== 'prompt') return;
      // the prompt's text is the verb's arguments, checked as the `:` line checks them
      const parsed = parseLine(`${modal.verb} ${d.text}`, table);
      if (parsed && 'error' in parsed) return actions.patchModal('prompt', { error: parsed.error.replace(/^:\S+ takes /, 'type only ') });
      if (parsed) invoke(ctx, parsed.verb, parsed.args, { prompt: true });
      return;
    }
    case 'run-line':
      actions.setCommand(null);
      return runLine(ctx, d.text, table, () => quit(null));
  }
}

export { verbState };
