import { Text } from 'ink';
import { GLOBAL_KEYS } from '../keys.js';
import type { KeyHint } from '../keyHints.js';

/** What the keys do right now: the modal's or command line's keys, else the screen's + globals. */
export type FooterMode = 'screen' | 'command' | 'help' | 'confirm';

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
};

const GLOBAL_HINTS: KeyHint[] = GLOBAL_KEYS.filter((k) => k.hint).map((k) => ({ keys: k.keys, label: k.hint! }));

export function Footer({ mode, screenHints }: { mode: FooterMode; screenHints: readonly KeyHint[] }) {
  const hints = mode === 'screen' ? [...screenHints, ...GLOBAL_HINTS] : MODE_HINTS[mode];
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
