// `?`: every key and `:` verb from the verb table, the current screen's first, under headings.
// A row's text wraps under its own column (help that is cut off is no help); the lines fit
// the terminal and scroll (j/k, PgUp/PgDn) when they do not, never past the last.
import { Box, Text } from 'ink';
import type { HelpRow } from '../help.js';
import { wrapWords } from '../format.js';

/** One terminal line of help: a heading, the first line of a row (with its keys) or a continuation. */
export interface HelpLine {
  heading?: string;
  keys: string;
  text: string;
  disabled: boolean;
}

/** The keys column: as wide as the keys that fit in it, at most a third of the width. */
const keyWidthOf = (rows: readonly HelpRow[], width: number) =>
  Math.min(Math.max(4, ...rows.filter((r) => r.keys.length <= 12).map((r) => r.keys.length)) + 2, Math.floor(width / 3));

/** The help rows as terminal lines of `width`, wrapped. Pure. */
export function helpLines(rows: readonly HelpRow[], width: number): { lines: HelpLine[]; keyWidth: number } {
  const keyWidth = keyWidthOf(rows, width);
  const textWidth = Math.max(8, width - keyWidth);
  const lines: HelpLine[] = [];
  for (const r of rows) {
    if (r.heading) {
      lines.push({ heading: r.heading, keys: '', text: '', disabled: false });
      continue;
    }
    const disabled = r.disabled !== undefined;
    const text = wrapWords(`${r.text}${r.disabled ? ` (now: ${r.disabled})` : ''}`, textWidth);
    // a `:verb <args>` longer than the column gets a line of its own, its text below it
    if (r.keys.length > keyWidth - 2) lines.push({ keys: r.keys, text: '', disabled });
    else lines.push({ keys: r.keys, text: text.shift() ?? '', disabled });
    for (const t of text) lines.push({ keys: '', text: t, disabled });
  }
  return { lines, keyWidth };
}

/** Lines of the body left for help once its title and position line are drawn. */
const roomOf = (height: number) => Math.max(1, height - 2);

/** How far help can scroll: its last line at the bottom. Pure. */
export const helpScrollLimit = (lines: number, height: number): number => Math.max(0, lines - roomOf(height));

/** The lines shown for `scroll` in `height` lines (title and position line included). Pure. */
export function helpWindow<T>(lines: readonly T[], scroll: number, height: number): { top: number; shown: T[] } {
  const room = roomOf(height);
  const top = Math.max(0, Math.min(scroll, lines.length - room));
  return { top, shown: lines.slice(top, top + room) };
}

export function HelpOverlay({ rows, scroll, width, height }: { rows: readonly HelpRow[]; scroll: number; width: number; height: number }) {
  const { lines, keyWidth } = helpLines(rows, width);
  const { top, shown } = helpWindow(lines, scroll, height);
  const more = top + shown.length < lines.length;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate">
        Help{' '}
        <Text dimColor>
          — lines {top + 1}-{top + shown.length} of {lines.length}
          {more || top > 0 ? ' · j/k scroll' : ''} · esc closes
        </Text>
      </Text>
      {shown.map((l, i) =>
        l.heading ? (
          <Text key={`${top + i}`} bold underline wrap="truncate">
            {l.heading}
          </Text>
        ) : (
          <Box key={`${top + i}`} width={width}>
            <Box width={l.keys.length > keyWidth - 2 ? width : keyWidth} flexShrink={0} overflow="hidden">
              <Text bold color={l.disabled ? 'gray' : 'cyan'} wrap="truncate">
                {l.keys}
              </Text>
            </Box>
            <Box flexGrow={1} flexShrink={1} overflow="hidden">
              <Text wrap="truncate" dimColor={l.disabled}>
                {l.text}
              </Text>
            </Box>
          </Box>
        ),
      )}
      <Text dimColor wrap="truncate">
        {more ? `↓ ${lines.length - top - shown.length} more` : ' '}
      </Text>
    </Box>
  );
}
