// Every analysis result, newest first: one row per interval and rule with the measured value,
// the limit and the verdict; failures in red and inconclusive results in yellow, each with the
// judge's reason. Fixed-width cells that truncate (TableCells), like the history table.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { CanaryInterval } from '../../../core/state/schema.js';
import { CursorCell, Cell, HeaderCells } from '../TableCells.js';
import { clock, formatWindow, type AnalysisRow, type Verdict } from './view.js';
import { listWindow } from '../../format.js';

const verdictColour: Record<Verdict, string> = { pass: 'green', fail: 'red', inconclusive: 'yellow' };
const actionColour: Record<CanaryInterval['action'], string> = { advance: 'green', hold: 'yellow', abort: 'red' };

interface Column {
  title: string;
  width: number;
  cell(r: AnalysisRow): ReactNode;
}

/** Only the first row of an interval repeats its time, step and action: the rows below are its rules. */
const once = (r: AnalysisRow, node: ReactNode): ReactNode => (r.first ? node : null);

function columnsFor(width: number): Column[] {
  const wide = width >= 120;
  const cols: Column[] = [
    { title: 'TIME', width: 9, cell: (r) => once(r, <Text>{clock(r.interval.at)}</Text>) },
    { title: 'STEP', width: 5, cell: (r) => once(r, <Text>{r.interval.weight}%</Text>) },
  ];
  if (wide) {
    cols.push(
      {
        title: 'ACTION',
        width: 9,
        cell: (r) => once(r, <Text color={actionColour[r.interval.action]}>{r.interval.action}</Text>),
      },
      { title: 'WINDOW', width: 8, cell: (r) => once(r, <Text dimColor>{formatWindow(r.interval.windowMs)}</Text>) },
    );
  }
  cols.push(
    { title: 'RULE', width: 11, cell: (r) => <Text>{r.rule ?? '—'}</Text> },
    { title: 'VALUE', width: wide ? 11 : 9, cell: (r) => <Text bold={r.verdict === 'fail'}>{r.value}</Text> },
    { title: 'LIMIT', width: wide ? 10 : 8, cell: (r) => <Text dimColor>{r.limit}</Text> },
    {
      title: 'VERDICT',
      width: 13,
      cell: (r) => (
        <Text color={verdictColour[r.verdict]} bold={r.verdict === 'fail'}>
          {r.verdict}
        </Text>
      ),
    },
  );
  const used = cols.reduce((sum, c) => sum + c.width, 0);
  cols.push({
    title: 'REASON',
    width: Math.max(0, width - used),
    cell: (r) => (r.verdict === 'pass' ? <Text dimColor>{r.reason}</Text> : <Text color={verdictColour[r.verdict]}>{r.reason}</Text>),
  });
  return cols;
}

export function AnalysisTable({
  intervals,
  items,
  total,
  cursor,
  rows,
  width,
  emptyText,
}: {
  /** intervals analysed in this run */
  intervals: number;
  /** the table's rows, newest first, filtered */
  items: readonly AnalysisRow[];
  /** rows before the filter */
  total: number;
  cursor: number;
  /** rows under the title and the column header */
  rows: number;
  width: number;
  /** what to say before the first analysis */
  emptyText: string;
}) {
  const { top, shown, above, below } = listWindow(items, cursor, rows);
  const cols = columnsFor(width - 2);
  const filtered = items.length < total ? `${items.length} of ${total} match, ` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        Analysis{' '}
        <Text dimColor>
          (
          {intervals === 0
            ? 'none yet'
            : `${filtered}${intervals} interval${intervals === 1 ? '' : 's'}, ${total} results, newest first${above ? ` · ${above} above` : ''}${below ? ` · ${below} below` : ''} · enter opens a row`}
          )
        </Text>
      </Text>
      {intervals === 0 ? (
        <Text dimColor wrap="truncate">
          {emptyText}
        </Text>
      ) : (
        <>
          <Box>
            <CursorCell selected={false} />
            <HeaderCells columns={cols} />
          </Box>
          {shown.map((r, i) => (
            <Box key={r.key}>
              <CursorCell selected={top + i === cursor} />
              {cols.map((c) => (
                <Cell key={c.title} width={c.width}>
                  {c.cell(r)}
                </Cell>
              ))}
            </Box>
          ))}
        </>
      )}
    </Box>
  );
}
