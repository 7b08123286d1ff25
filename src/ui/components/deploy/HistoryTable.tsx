// The environment's deploys and rollbacks, newest first. A Box table like TargetTable rather
// than @alcalzone/ink-table: that one sizes each column to its longest value (a long reason
// pushes the table past 80 columns, it cannot truncate), draws a separator line between every
// row (half the rows for the same height) and can colour a cell only by its column, not by
// its value (the result). Here each cell truncates in place and the result is coloured.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { HistoryEntry } from '../../../core/state/schema.js';
import { formatAgo, formatDuration, formatTime } from '../../format.js';
import { useNow } from '../../hooks/useNow.js';
import { Cell, HeaderCells } from '../TableCells.js';

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

const kindOf = (e: HistoryEntry) => e.kind ?? (e.strategy === 'rollback' ? 'rollback' : 'deploy');

function took(e: HistoryEntry): string {
  if (e.endedAt !== undefined) return formatDuration(e.endedAt - e.startedAt);
  return e.result === 'running' ? '…' : '—';
}

function columnsFor(entries: readonly HistoryEntry[], width: number): Column[] {
  const wide = width >= 120;
  const longest = (pick: (e: HistoryEntry) => string, min: number, max: number) =>
    Math.min(max, Math.max(min, ...entries.map((e) => pick(e).length)) + 1);
  const cols: Column[] = [
    { title: 'VERSION', width: longest((e) => e.version, 7, wide ? 28 : 14), cell: (e) => <Text bold>{e.version}</Text> },
    { title: 'KIND', width: 9, cell: (e) => <Text>{kindOf(e)}</Text> },
  ];
  if (width >= 100) cols.push({ title: 'STRATEGY', width: 11, cell: (e) => <Text>{e.strategy}</Text> });
  cols.push(
    { title: 'RESULT', width: 12, cell: (e) => <Text color={resultColour[e.result]}>{e.result}</Text> },
    { title: 'BY', width: longest((e) => e.by, 3, wide ? 28 : 10), cell: (e) => <Text dimColor>{e.by}</Text> },
    wide
      ? { title: 'WHEN', width: 17, cell: (e) => <Text>{formatTime(e.startedAt)}</Text> }
      : { title: 'WHEN', width: 9, cell: (e, now) => <Text>{formatAgo(now - e.startedAt)}</Text> },
    { title: 'TOOK', width: 8, cell: (e) => <Text>{took(e)}</Text> },
  );
  const used = cols.reduce((sum, c) => sum + c.width, 0);
  cols.push({ title: 'REASON', width: Math.max(0, width - used), cell: (e) => <Text dimColor>{e.reason ?? ''}</Text> });
  return cols;
}

/** Newest first; ties (same start) keep the later-recorded entry first. */
export function newestFirst(history: readonly HistoryEntry[]): HistoryEntry[] {
  return history
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => b.entry.startedAt - a.entry.startedAt || b.i - a.i)
    .map((x) => x.entry);
}

export function HistoryTable({ history, rows, width }: { history: readonly HistoryEntry[]; rows: number; width: number }) {
  const now = useNow(5000);
  const sorted = newestFirst(history);
  // a "… N older" line takes the last row when not everything fits
  const shown = sorted.length > rows ? sorted.slice(0, Math.max(0, rows - 1)) : sorted;
  const cols = columnsFor(shown, width);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        History <Text dimColor>({history.length === 0 ? 'none' : `${history.length}, newest first`})</Text>
      </Text>
      {history.length === 0 ? (
        <Text dimColor>no deploys recorded yet</Text>
      ) : (
        <>
          <Box>
            <HeaderCells columns={cols} />
          </Box>
          {shown.map((e, i) => (
            // ids repeat: a rolled-back deploy is recorded again under its id when it ends
            <Box key={`${i} ${e.id}`}>
              {cols.map((c) => (
                <Cell key={c.title} width={c.width}>
                  {c.cell(e, now)}
                </Cell>
              ))}
            </Box>
          ))}
          {shown.length < sorted.length ? <Text dimColor>… {sorted.length - shown.length} older</Text> : null}
        </>
      )}
    </Box>
  );
}
