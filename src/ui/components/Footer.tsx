import { Text } from 'ink';
import { GLOBAL_KEYS } from '../keys.js';
import type { KeyHint } from '../keyHints.js';

/** What the keys do right now: the modal's or command line's keys, else the screen's + globals. */
export type FooterMode = 'screen' | 'command' | 'help' | 'confirm' | 'prompt';

const MODE_HINTS: Record<Exclude<FooterMode, 'screen'>, KeyHint[]> = {
  command: [
    { keys: 'enter', label: 'run' },
    { keys: 'esc', label: 'cancel' },
  ],
  help: [{ keys: 'esc/?/q', label: 'close help' }],
  confirm: [
    { keys: 'y/enter', label: 'confirm' },
    { keys: 'n/esc', label: 'cancel' },
  ],
  prompt: [
    { keys: 'enter', label: 'submit' },
    { keys: 'backspace', label: 'delete' },
    { keys: 'esc', label: 'cancel' },
  ],
};

const GLOBAL_HINTS: KeyHint[] = GLOBAL_KEYS.filter((k) => k.hint).map((k) => ({ keys: k.keys, label: k.hint! }));

/** Global hints given up first when the line is too long; the screen's own keys, help and quit stay. */
const DROP_ORDER = ['command', 'next', 'screens'];

const lineWidth = (hints: readonly KeyHint[]) => hints.reduce((sum, h, i) => sum + (i > 0 ? 2 : 0) + h.keys.length + 1 + h.label.length, 0);

/** The hints that fit `width`: screen hints first, then as many globals as fit. Pure. */
export function footerHints(mode: FooterMode, screenHints: readonly KeyHint[], width: number): KeyHint[] {
  if (mode !== 'screen') return MODE_HINTS[mode];
  let globals = GLOBAL_HINTS;
  for (const label of DROP_ORDER) {
    if (lineWidth([...screenHints, ...globals]) <= width) break;
    globals = globals.filter((h) => h.label !== label);
  }
  return [...screenHints, ...globals];
}

export function Footer({ mode, screenHints, width }: { mode: FooterMode; screenHints: readonly KeyHint[]; width: number }) {
  const hints = footerHints(mode, screenHints, width);
  return (
    <Text wrap="truncate">
      {hints.map((h, i) => (
        <Text key={`${h.keys} ${h.label}`}>
          {i > 0 ? '  ' : ''}
          <Text bold color="cyan">
            {h.keys}
          </Text>{' '}
          <Text dimColor>{h.label}</Text>
        </Text>
      ))}
    </Text>
  );
}
