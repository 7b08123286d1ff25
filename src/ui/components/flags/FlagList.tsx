// The flag table: key, state, variants, rollout bar and the targeting in words, one row per
// flag, scrolled so the selected row stays in view. Column widths follow the room given, so
// the table fills 80 columns and a 200-column terminal alike; every cell truncates in place.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { FlagSummary } from '../../../core/flags/types.js';
import { RolloutBar } from './RolloutBar.js';
import { HeaderCells } from '../TableCells.js';
import { scrollTop } from '../../format.js';

interface Column {
  title: string;
  width: number;
  cell(f: FlagSummary): ReactNode;
}

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
  const visible = Math.max(1, rows - 1);
  const top = scrollTop(cursor, flags.length, visible);
  const shown = flags.slice(top, top + visible);
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <Box width={2} flexShrink={0}>
          <Text dimColor>{top > 0 ? '↑' : ' '}</Text>
        </Box>
        <HeaderCells columns={cols} />
      </Box>
      {shown.map((f, i) => {
        const selected = top + i === cursor;
        return (
          <Box key={f.key}>
            <Box width={2} flexShrink={0}>
              <Text color="cyan" bold>
                {selected ? '›' : top + i === top + visible - 1 && top + visible < flags.length ? '↓' : ' '}
              </Text>
            </Box>
            {cols.map((c) => (
              <Box key={c.title} width={c.width} flexShrink={0} overflow="hidden" paddingRight={1}>
                <Text wrap="truncate" inverse={selected && c.title === 'FLAG'}>
                  {c.cell(f)}
                </Text>
              </Box>
            ))}
          </Box>
        );
      })}
    </Box>
  );
}
