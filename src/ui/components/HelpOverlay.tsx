// `?`: every key and `:` verb from the verb table, the current screen's first, under headings.
// It fits the terminal and scrolls (j/k, PgUp/PgDn) when it does not.
import { Box, Text } from 'ink';
import type { HelpRow } from '../help.js';

/** The rows shown for `scroll` in `height` lines (title and position line included). Pure. */
export function helpWindow(rows: readonly HelpRow[], scroll: number, height: number): { top: number; shown: HelpRow[] } {
  const room = Math.max(1, height - 2);
  const top = Math.max(0, Math.min(scroll, rows.length - room));
  return { top, shown: rows.slice(top, top + room) };
}

export function HelpOverlay({ rows, scroll, width, height }: { rows: readonly HelpRow[]; scroll: number; width: number; height: number }) {
  const { top, shown } = helpWindow(rows, scroll, height);
  // keys get a column; a `:verb <args>` longer than it is written before its text instead
  const keyWidth = Math.min(Math.max(4, ...rows.filter((r) => r.keys.length <= 12).map((r) => r.keys.length)) + 2, Math.floor(width / 3));
  const more = top + shown.length < rows.length;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate">
        Help{' '}
        <Text dimColor>
          — rows {top + 1}-{top + shown.length} of {rows.length}
          {more || top > 0 ? ' · j/k scroll' : ''} · esc closes
        </Text>
      </Text>
      {shown.map((r, i) =>
        r.heading ? (
          <Text key={`${top + i}`} bold underline wrap="truncate">
            {r.heading}
          </Text>
        ) : r.keys.length > keyWidth - 2 ? (
          <Text key={`${top + i}`} wrap="truncate" dimColor={r.disabled !== undefined}>
            <Text bold color="cyan">
              {r.keys}
            </Text>{' '}
            {r.text}
          </Text>
        ) : (
          <Box key={`${top + i}`} width={width}>
            <Box width={keyWidth} flexShrink={0} overflow="hidden">
              <Text bold color={r.disabled ? 'gray' : 'cyan'} wrap="truncate">
                {r.keys}
              </Text>
            </Box>
            <Box flexGrow={1} flexShrink={1} overflow="hidden">
              <Text wrap="truncate" dimColor={r.disabled !== undefined}>
                {r.text}
                {r.disabled ? ` (now: ${r.disabled})` : ''}
              </Text>
            </Box>
          </Box>
        ),
      )}
      <Text dimColor wrap="truncate">
        {more ? `↓ ${rows.length - top - shown.length} more` : ' '}
      </Text>
    </Box>
  );
}
