// The cells of prodx's fixed-width tables (targets, history, flags, experiments): every cell has
// its column's width and truncates in place, so a long value never wraps and breaks the layout.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';

export function Cell({ width, children }: { width: number; children: ReactNode }) {
  return (
    <Box width={width} flexShrink={0} overflow="hidden" paddingRight={1}>
      <Text wrap="truncate">{children}</Text>
    </Box>
  );
}

/** The column titles, dimmed and bold, each in its column's width. */
export function HeaderCells({ columns }: { columns: readonly { title: string; width: number }[] }) {
  return (
    <>
      {columns.map((c) => (
        <Cell key={c.title} width={c.width}>
          <Text dimColor bold>
            {c.title}
          </Text>
        </Cell>
      ))}
    </>
  );
}

/** The two columns left of a list's rows: `›` on the selected one (visible without colour). */
export function CursorCell({ selected }: { selected: boolean }) {
  return (
    <Box width={2} flexShrink={0}>
      <Text color="cyan" bold>
        {selected ? '›' : ' '}
      </Text>
    </Box>
  );
}
