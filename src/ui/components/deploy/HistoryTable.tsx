// The environment's history, newest first, one row per deploy, canary and rollback: what it was
// (KIND), how (STRATEGY on wide terminals), how it ended in words, who, when, how long and why.
// The selected row is marked (›) and Enter opens it whole; `/` filters. Hand-built on Box widths
// rather than @alcalzone/ink-table: that one sizes each column to its longest value (a long
// reason pushes the table past 80 columns, it cannot truncate) and can colour a cell only by
// its column; here each cell truncates in place and the result is coloured.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { HistoryEntry } from '../../../core/state/schema.js';
import { resultWords, say } from '../../../core/words.js';
import { formatAgo, formatDuration, formatTime, listWindow } from '../../format.js';
import { useNow } from '../../hooks/useNow.js';
import { kindOf } from '../../verbs/lists.js';
import { CursorCell, Cell, HeaderCells } from '../TableCells.js';

const resultColour: Record<HistoryEntry['result'], string> = {
  running: 'cyan',
  succeeded: 'green',
  failed: 'red',
  'rolled-back': 'yellow',
  aborted: 'yellow',
};

interface Column {
  title: string;
  width: number;
  cell(e: HistoryEntry, now: number): ReactNode;
}

function took(e: HistoryEntry): string {
  if (e.endedAt !== undefined) return formatDuration(e.endedAt - e.startedAt);
  return e.result === 'running' ? '…' : '—';
}

function columnsFor(entries: readonly HistoryEntry[], width: number): Column[] {
  const wide = width >= 120;
  const longest = (pick: (e: HistoryEntry) => string, min: number, max: number) =>
    Math.min(max, Math.max(min, ...entries.map((e) => pick(e).length)) + 1);
  const cols: Column[] = [
    { title: 'VERSION', width: longest((e) => e.version, 7, wide ? 28 : width < 70 ? 9 : 14), cell: (e) => <Text bold>{e.version}</Text> },
    { title: 'KIND', width: 9, cell: (e) => <Text>{kindOf(e)}</Text> },
  ];
  // a rollback's strategy is how it went back; a deploy's the strategy it used
  if (width >= 100) cols.push({ title: 'STRATEGY', width: 16, cell: (e) => <Text>{say(e.strategy)}</Text> });
  cols.push({ title: 'RESULT', width: 16, cell: (e) => <Text color={resultColour[e.result]}>{resultWords(kindOf(e), e.result)}</Text> });
  if (width >= 70) cols.push({ title: 'BY', width: longest((e) => e.by, 3, wide ? 28 : 10), cell: (e) => <Text dimColor>{e.by}</Text> });
  cols.push(
    wide
      ? { title: 'WHEN', width: 17, cell: (e) => <Text>{formatTime(e.startedAt)}</Text> }
      : { title: 'WHEN', width: 9, cell: (e, now) => <Text>{formatAgo(now - e.startedAt)}</Text> },
  );
  if (width >= 70) cols.push({ title: 'TOOK', width: 8, cell: (e) => <Text>{took(e)}</Text> });
  const used = 2 + cols.reduce((sum, c) => sum + c.width, 0);
  cols.push({ title: 'REASON', width: Math.max(0, width - used), cell: (e) => <Text dimColor>{e.reason ?? ''}</Text> });
  return cols;
}

export function HistoryTable({
  entries,
  total,
  cursor,
  rows,
  width,
  title = 'History',
}: {
  /** newest first, filtered */
  entries: readonly HistoryEntry[];
  /** entries before the filter */
  total: number;
  cursor: number;
  /** rows under its title and column header */
  rows: number;
  width: number;
  title?: string;
}) {
  const now = useNow(5000);
  const { top, shown, above, below } = listWindow(entries, cursor, rows);
  const cols = columnsFor(shown, width);
  const filtered = entries.length < total ? `${entries.length} of ${total} match, ` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {title}{' '}
        <Text dimColor>
          (
          {total === 0
            ? 'none'
            : `${filtered}${total}, newest first${above ? ` · ${above} above` : ''}${below ? ` · ${below} below` : ''} · enter opens a row`}
          )
        </Text>
      </Text>
      {total === 0 ? (
        <Text dimColor>no deploys recorded yet</Text>
      ) : (
        <>
          <Box>
            <CursorCell selected={false} />
            <HeaderCells columns={cols} />
          </Box>
          {shown.map((e, i) => (
            // ids repeat: a rolled-back deploy is recorded again under its id when it ends
            <Box key={`${top + i} ${e.id}`}>
              <CursorCell selected={top + i === cursor} />
              {cols.map((c) => (
                <Cell key={c.title} width={c.width}>
                  {c.cell(e, now)}
                </Cell>
              ))}
            </Box>
          ))}
        </>
      )}
    </Box>
  );
}
