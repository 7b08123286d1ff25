// What `?` shows and what the footer offers, both built from the verb table: the current screen's
// keys first, then the list keys (where the screen has a list), the global keys and every `:`
// verb, each under its heading. A disabled key says why. Pure: the overlay and the footer only
// lay these out.
import type { AppState, ScreenId } from '../store/types.js';
import { pickKey } from './keys.js';
import { GLOBAL_KEYS, LIST_KEYS, type VerbTable } from './verbs/table.js';
import type { KeyAction, VerbState } from './verbs/types.js';

export interface HelpRow {
  /** a heading when `keys` is empty */
  heading?: string;
  keys: string;
  text: string;
  /** why it does nothing now */
  disabled?: string;
}

const KEY_NAMES: Record<string, string> = {
  space: 'space',
  enter: 'enter',
  esc: 'esc',
  pagedown: 'pgdn',
  pageup: 'pgup',
  up: '↑',
  down: '↓',
};
const keyName = (k: string) => KEY_NAMES[k] ?? k;

/** Why this key does nothing now, or null. */
export function keyDisabled(k: KeyAction, table: VerbTable, v: VerbState): string | null {
  const verb = table.byName(k.verb);
  return k.disabledReason?.(v) ?? verb?.disabledReason?.(v) ?? null;
}

/** Keys bound to the same verb and arguments are one row: `j/↓ down`. */
function rowsOf(keys: readonly KeyAction[], table: VerbTable, v: VerbState): HelpRow[] {
  const rows = new Map<string, HelpRow>();
  for (const k of keys) {
    const id = `${k.verb} ${(k.args ?? []).join(' ')}`;
    const verb = table.byName(k.verb);
    const prev = rows.get(id);
    if (prev) prev.keys += `/${keyName(k.key)}`;
    else {
      const disabled = keyDisabled(k, table, v);
      rows.set(id, {
        keys: keyName(k.key),
        text: `${k.label}${verb && verb.summary !== k.label ? ` — ${verb.summary}` : ''}`,
        ...(disabled ? { disabled } : {}),
      });
    }
  }
  return [...rows.values()];
}

export function helpRows(o: {
  screenTitle: string;
  screenKeys: readonly KeyAction[];
  hasList: boolean;
  table: VerbTable;
  v: VerbState;
  screens: readonly { id: ScreenId; title: string }[];
  demo?: AppState['demo'];
}): HelpRow[] {
  const { table, v } = o;
  const heading = (h: string): HelpRow => ({ heading: h, keys: '', text: '' });
  const rows: HelpRow[] = [];
  if (o.screenKeys.length > 0) rows.push(heading(`${o.screenTitle} keys`), ...rowsOf(o.screenKeys, table, v));
  if (o.hasList) rows.push(heading('Lists'), ...rowsOf(LIST_KEYS, table, v));
  rows.push(
    heading('Everywhere'),
    { keys: `1-${o.screens.length}`, text: `screens: ${o.screens.map((s, i) => `${i + 1} ${s.title}`).join(', ')}` },
    ...rowsOf(
      GLOBAL_KEYS.filter((k) => !/^\d$/.test(k.key)),
      table,
      v,
    ),
    { keys: ':', text: 'command line: any verb below with its arguments; tab completes, ↑/↓ history' },
    { keys: 'ctrl+c', text: 'quit (asks while an operation runs; a second ctrl+c quits at once)' },
    heading('Commands'),
  );
  for (const verb of table.verbs) {
    if (verb.group === 'Lists' || (verb.group === 'Screens' && verb.name !== 'screen')) continue;
    const args = (verb.args ?? []).map((a) => (a.name.startsWith('<') ? a.name : a.required ? `<${a.name}>` : `[${a.name}]`)).join(' ');
    const aliases = verb.aliases?.length ? ` (or :${verb.aliases.join(', :')})` : '';
    rows.push({ keys: `:${verb.name}${args ? ` ${args}` : ''}`, text: `${verb.summary}${aliases}` });
  }
  if (o.demo)
    rows.push(heading('Demo'), ...o.demo.details, {
      keys: 'config',
      text: `${o.demo.configPath} (prodx status --config … works on it)`,
    });
  return rows;
}

export interface FooterHint {
  keys: string;
  label: string;
  disabled: boolean;
}

/** The hints of the current screen (each key once, as `when` picks it), then the global ones that fit. */
export function footerHints(
  screenKeys: readonly KeyAction[],
  table: VerbTable,
  v: VerbState,
  screenCount: number,
): { screen: FooterHint[]; global: FooterHint[] } {
  const seen = new Set<string>();
  const screen: FooterHint[] = [];
  for (const k of screenKeys) {
    if (k.hidden || seen.has(k.key)) continue;
    seen.add(k.key);
    const picked = pickKey(screenKeys, k.key === 'space' ? ' ' : k.key, {}, v) ?? k;
    screen.push({ keys: keyName(picked.key), label: picked.label, disabled: keyDisabled(picked, table, v) !== null });
  }
  const global: FooterHint[] = [
    { keys: '?', label: 'help', disabled: false },
    { keys: 'q', label: 'quit', disabled: false },
    { keys: ':', label: 'command', disabled: false },
    { keys: `1-${screenCount}`, label: 'screens', disabled: false },
  ];
  return { screen, global };
}
