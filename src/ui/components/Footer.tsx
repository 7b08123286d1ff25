// The key-hint line: what the keys do right now. The screen's keys come first, a disabled one
// greyed (pressing it says why); then help, quit and the rest as they fit; a dialog, the `:`
// line or a filter show their own keys instead.
import { Box, Text } from 'ink';
import type { FooterHint } from '../help.js';

export type FooterMode = 'screen' | 'command' | 'filter' | 'help' | 'detail' | 'confirm' | 'prompt' | 'quit';

/** `'enter run'` → a hint: the key, then its label. */
const hints = (...items: string[]): FooterHint[] =>
  items.map((item) => {
    const at = item.indexOf(' ');
    return { keys: item.slice(0, at), label: item.slice(at + 1), disabled: false };
  });

const MODE_HINTS: Record<Exclude<FooterMode, 'screen'>, FooterHint[]> = {
  command: hints('enter run', 'tab complete', '↑/↓ history', 'esc cancel'),
  filter: hints('enter keep filter', 'esc clear'),
  help: hints('j/k scroll', 'esc close'),
  detail: hints('j/k scroll', 'esc close'),
  confirm: hints('←/→ choose', 'enter press', 'y yes', 'n/esc cancel'),
  prompt: hints('enter submit', 'esc cancel'),
  quit: hints('↑/↓ choose', 'enter press', 'esc stay', 'ctrl+c quit now'),
};

const width = (hints: readonly FooterHint[]) => hints.reduce((sum, h, i) => sum + (i > 0 ? 2 : 0) + h.keys.length + 1 + h.label.length, 0);

/**
 * The hint lines for `columns`: every key of the screen, then help and quit, then the other
 * globals while they fit. One line when all that fits, else two (a narrow terminal gives a row
 * rather than hide a key). Pure.
 */
export function fitHints(mode: FooterMode, screen: readonly FooterHint[], global: readonly FooterHint[], columns: number): FooterHint[][] {
  if (mode !== 'screen') return [MODE_HINTS[mode]];
  const must = global.filter((g) => g.keys === '?' || g.keys === 'q');
  const extra = global.filter((g) => !must.includes(g));
  const lines: FooterHint[][] = [[]];
  for (const h of [...screen, ...must]) {
    const line = lines.at(-1)!;
    if (line.length > 0 && width([...line, h]) > columns && lines.length < 2) lines.push([h]);
    else line.push(h);
  }
  for (const g of extra) if (width([...lines.at(-1)!, g]) <= columns) lines.at(-1)!.push(g);
  return lines;
}

export function Footer({ lines }: { lines: readonly (readonly FooterHint[])[] }) {
  return (
    <Box flexDirection="column">
      {lines.map((hints, n) => (
        <HintLine key={n} hints={hints} />
      ))}
    </Box>
  );
}

function HintLine({ hints }: { hints: readonly FooterHint[] }) {
  return (
    <Text wrap="truncate">
      {hints.map((h, i) => (
        <Text key={`${h.keys} ${h.label}`}>
          {i > 0 ? '  ' : ''}
          <Text bold={!h.disabled} color={h.disabled ? 'gray' : 'cyan'} dimColor={h.disabled}>
            {h.keys}
          </Text>{' '}
          <Text dimColor>{h.label}</Text>
        </Text>
      ))}
    </Text>
  );
}
