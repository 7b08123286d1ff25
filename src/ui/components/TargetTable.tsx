// One row per target. Hand-built on Box widths rather than @alcalzone/ink-table: that table
// sizes columns to their content, cannot truncate or colour a single cell, and spends a
// border line per row, which breaks the 80x24 layout; here every cell truncates in place.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { TargetView } from '../../store/types.js';
import { StatusBadge } from './StatusBadge.js';
import { Cell, CursorCell, HeaderCells } from './TableCells.js';

interface Column {
  title: string;
  width: number;
  cell(t: TargetView): ReactNode;
}

function columnsFor(targets: readonly TargetView[], width: number): Column[] {
  const nameWidth = Math.min(16, Math.max(6, ...targets.map((t) => t.name.length)) + 1);
  const versionWidth = Math.min(width >= 120 ? 32 : 20, Math.max(7, ...targets.map((t) => (t.health.version ?? '').length)) + 1);
  const cols: Column[] = [
    { title: 'TARGET', width: nameWidth, cell: (t) => <Text bold>{t.name}</Text> },
    { title: 'STATUS', width: 11, cell: (t) => <StatusBadge status={t.health.status} /> },
    { title: 'HTTP', width: 5, cell: (t) => <Text>{t.health.last?.statusCode ?? '—'}</Text> },
    {
      title: 'LATENCY',
      width: 8,
      cell: (t) => <Text>{t.health.last ? `${Math.round(t.health.last.latencyMs)}ms` : '—'}</Text>,
    },
    { title: 'VERSION', width: versionWidth, cell: (t) => <Text>{t.health.version ?? '—'}</Text> },
  ];
  // wide terminals also show where each target lives
  if (width >= 120) {
    const urlWidth = Math.min(40, Math.max(...targets.map((t) => t.url.length)) + 1);
    cols.push({ title: 'URL', width: urlWidth, cell: (t) => <Text dimColor>{t.url}</Text> });
  }
  const used = cols.reduce((sum, c) => sum + c.width, 0);
  cols.push({ title: 'DETAIL', width: Math.max(0, width - used), cell: (t) => <Text>{t.health.reason}</Text> });
  return cols;
}

export function TargetTable({ targets, width, cursor }: { targets: readonly TargetView[]; width: number; cursor: number }) {
  const cols = columnsFor(targets, width - 2);
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <CursorCell selected={false} />
        <HeaderCells columns={cols} />
      </Box>
      {targets.map((t, i) => (
        <Box key={t.name}>
          <CursorCell selected={i === cursor} />
          {cols.map((c) => (
            <Cell key={c.title} width={c.width}>
              {c.cell(t)}
            </Cell>
          ))}
        </Box>
      ))}
    </Box>
  );
}
