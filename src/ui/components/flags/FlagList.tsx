// The flag table: key, state, variants, rollout bar and the targeting in words, one row per
// flag, scrolled so the selected row stays in view. Column widths follow the room given, so
// the table fills 80 columns and a 200-column terminal alike; every cell truncates in place.
import { Text } from 'ink';
import type { FlagSummary } from '../../../core/flags/types.js';
import { RolloutBar } from './RolloutBar.js';
import { ColumnList, type ListColumn } from '../TableCells.js';

type Column = ListColumn<FlagSummary>;

export function listColumns(flags: readonly FlagSummary[], width: number): { cols: Column[]; barCells: number } {
  const keyWidth = Math.min(
    width >= 140 ? 30 : width >= 70 ? 22 : 16,
    Math.max(4, ...flags.map((f) => f.key.length + (f.problem !== undefined ? 2 : 0))) + 1,
  );
  const barCells = width >= 140 ? 20 : width >= 100 ? 14 : width >= 70 ? 10 : 5;
  // a narrow terminal gives up the variants (the detail shows them) before the rollout
  const variantsWidth = width >= 140 ? 26 : width >= 100 ? 20 : width >= 70 ? 14 : 0;
  const cols: Column[] = [
    {
      title: 'FLAG',
      width: keyWidth,
      // ⚠: the flag does not pass flagd's checks (the detail says why); it is served as flagd serves it
      cell: (f) => (
        <Text bold={f.state === 'ENABLED'}>
          {f.problem !== undefined ? <Text color="yellow">⚠ </Text> : null}
          {f.key}
        </Text>
      ),
    },
    {
      title: 'STATE',
      width: 6,
      cell: (f) => (f.state === 'ENABLED' ? <Text color="green">● on</Text> : <Text color="gray">○ off</Text>),
    },
    ...(variantsWidth > 0
      ? [{ title: 'VARIANTS', width: variantsWidth, cell: (f: FlagSummary) => <Text>{Object.keys(f.variants).join(', ')}</Text> }]
      : []),
    { title: 'ROLLOUT', width: barCells + 7, cell: (f) => <RolloutBar flag={f} cells={barCells} /> },
  ];
  const used = 2 + cols.reduce((s, c) => s + c.width, 0);
  cols.push({
    title: 'TARGETING',
    width: Math.max(0, width - used),
    cell: (f) => <Text dimColor={f.state === 'DISABLED'}>{f.targeting}</Text>,
  });
  return { cols, barCells };
}

export function FlagList({ flags, cursor, width, rows }: { flags: readonly FlagSummary[]; cursor: number; width: number; rows: number }) {
  const { cols } = listColumns(flags, width);
  return <ColumnList items={flags} keyOf={(f) => f.key} columns={cols} marked="FLAG" cursor={cursor} width={width} rows={rows} />;
}
