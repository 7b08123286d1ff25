// The environment's earlier canary runs, newest first: revision (as Argo Rollouts numbers them),
// version, how it ended, ✔ advanced and ✖ failed intervals, when, and why. A list: j/k, `/` and
// Enter for a run in full.
import { Box, Text } from 'ink';
import type { HistoryEntry } from '../../../core/state/schema.js';
import { resultWords } from '../../../core/words.js';
import { formatAgo, listWindow } from '../../format.js';
import { useNow } from '../../hooks/useNow.js';
import { CursorCell, Cell, HeaderCells } from '../TableCells.js';

const colour: Record<HistoryEntry['result'], string> = {
  running: 'cyan',
  succeeded: 'green',
  failed: 'red',
  'rolled-back': 'yellow',
  aborted: 'red',
};

export function RunsTable({
  runs,
  total,
  cursor,
  rows,
  width,
  selectable,
}: {
  runs: readonly (HistoryEntry & { revision: number })[];
  total: number;
  cursor: number;
  rows: number;
  width: number;
  /** this is the list j/k move (no current run): show the cursor */
  selectable: boolean;
}) {
  const now = useNow(5000);
  const { top, shown, below } = listWindow(runs, selectable ? cursor : 0, rows);
  const version = Math.min(16, Math.max(8, ...runs.map((r) => r.version.length + 1)));
  const cols = [
    { title: 'REV', width: 5 },
    { title: 'VERSION', width: version },
    { title: 'RESULT', width: 12 },
    { title: '✔/✖', width: 8 },
    { title: 'WHEN', width: 9 },
  ];
  const used = 2 + cols.reduce((n, c) => n + c.width, 0);
  const all = [...cols, { title: 'REASON', width: Math.max(0, width - used) }];
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        Earlier runs <Text dimColor>({total === 0 ? 'none yet' : `${total}, newest first${below ? ` · ${below} more` : ''}`})</Text>
      </Text>
      {shown.length > 0 ? (
        <Box>
          <CursorCell selected={false} />
          <HeaderCells columns={all} />
        </Box>
      ) : null}
      {shown.map((r, i) => (
        <Box key={`${r.id} ${top + i}`}>
          <CursorCell selected={selectable && top + i === cursor} />
          <Cell width={5}>#{r.revision}</Cell>
          <Cell width={version}>
            <Text bold>{r.version}</Text>
          </Cell>
          <Cell width={12}>
            <Text color={colour[r.result]}>{r.result === 'succeeded' ? 'promoted' : resultWords('canary', r.result)}</Text>
          </Cell>
          <Cell width={8}>
            <Text>
              <Text color="green">✔{r.intervals?.passed ?? '?'}</Text> <Text color="red">✖{r.intervals?.failed ?? '?'}</Text>
            </Text>
          </Cell>
          <Cell width={9}>{formatAgo(now - r.startedAt)}</Cell>
          <Cell width={Math.max(0, width - used)}>
            <Text dimColor>{r.reason ?? ''}</Text>
          </Cell>
        </Box>
      ))}
    </Box>
  );
}
