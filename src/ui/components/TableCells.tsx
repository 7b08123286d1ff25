// The cells of prodx's fixed-width tables (targets, history, flags, experiments, error groups):
// every cell has its column's width and truncates in place, so a long value never wraps and breaks
// the layout.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { scrollTop } from '../format.js';

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

/** a column of a scrolled list: its title, width and what a row shows in it */
export interface ListColumn<T> {
  title: string;
  width: number;
  cell(item: T): ReactNode;
}

/**
 * A list of rows in fixed columns under their titles, scrolled so the selected row stays in view:
 * `↑` above when rows are hidden above, `↓` on the last row when rows are hidden below, `›` on the
 * selected row, whose `marked` column is drawn inverse (so the selection shows without colour).
 */
export function ColumnList<T>(props: {
  items: readonly T[];
  keyOf(item: T): string;
  columns: readonly ListColumn<T>[];
  marked: string;
  cursor: number;
  width: number;
  rows: number;
}) {
  const { items, columns, cursor, width, rows } = props;
  const visible = Math.max(1, rows - 1);
  const top = scrollTop(cursor, items.length, visible);
  const shown = items.slice(top, top + visible);
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <Box width={2} flexShrink={0}>
          <Text dimColor>{top > 0 ? '↑' : ' '}</Text>
        </Box>
        <HeaderCells columns={columns} />
      </Box>
      {shown.map((item, i) => {
        const selected = top + i === cursor;
        const more = i === shown.length - 1 && top + visible < items.length;
        return (
          <Box key={props.keyOf(item)}>
            <Box width={2} flexShrink={0}>
              <Text color="cyan" bold>
                {selected ? '›' : more ? '↓' : ' '}
              </Text>
            </Box>
            {columns.map((c) => (
              <Box key={c.title} width={c.width} flexShrink={0} overflow="hidden" paddingRight={1}>
                <Text wrap="truncate" inverse={selected && c.title === props.marked}>
                  {c.cell(item)}
                </Text>
              </Box>
            ))}
          </Box>
        );
      })}
    </Box>
  );
}
