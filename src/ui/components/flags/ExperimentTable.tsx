// An experiment's results: one row per variant (users, conversions, rate, uplift against the
// control with its interval, p-value, chance to beat control), the sample-ratio check and the
// verdict. The numbers are core/flags/experiment's; this only lays them out.
import { Box, Text } from 'ink';
import type { ExperimentResult, VariantResult } from '../../../core/flags/experiment/analyze.js';
import { Cell, HeaderCells } from '../TableCells.js';

const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;
const signed = (x: number) => `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(1)}%`;
const pText = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));
const beat = (c: number) => (c > 0.999 ? '>99.9%' : c < 0.001 ? '<0.1%' : pct(c));

interface Col {
  title: string;
  width: number;
  cell(v: VariantResult, r: ExperimentResult): string;
}

function columns(width: number): Col[] {
  const wide = width >= 100;
  const cols: Col[] = [
    { title: 'VARIANT', width: 14, cell: (v, r) => (v.variant === r.control ? `${v.variant}*` : v.variant) },
    { title: 'USERS', width: 8, cell: (v) => v.users.toLocaleString('en-US') },
    { title: 'CONV', width: 7, cell: (v) => v.conversions.toLocaleString('en-US') },
    { title: 'RATE', width: 8, cell: (v) => pct(v.rate, 2) },
    {
      title: 'UPLIFT (95% CI)',
      width: 27,
      cell: (v) => {
        const rel = v.comparison?.relative;
        return rel ? `${signed(rel.estimate)} (${signed(rel.low)} to ${signed(rel.high)})` : v.comparison ? 'n/a (control 0%)' : '—';
      },
    },
    { title: 'P', width: 7, cell: (v) => (v.comparison?.pValue != null ? pText(v.comparison.pValue) : '—') },
    { title: 'BEAT', width: 7, cell: (v) => (v.comparison?.chanceToBeat != null ? beat(v.comparison.chanceToBeat) : '—') },
  ];
  if (wide) cols.push({ title: 'DECISION', width: 14, cell: (v) => v.comparison?.decision ?? 'control' });
  return cols;
}

const verdictColour = (d: ExperimentResult['decision']) =>
  d === 'ship' ? 'green' : d === 'invalid' || d === 'dont-ship' ? 'red' : 'yellow';

/** Rows this table takes: header, variants, sample-ratio line, verdict (up to `verdictLines`). */
export const experimentRows = (r: ExperimentResult, verdictLines: number) => 2 + r.variants.length + verdictLines;

export function ExperimentTable({ result, width, verdictLines = 2 }: { result: ExperimentResult; width: number; verdictLines?: number }) {
  const cols = columns(width);
  const title = `${result.metric} · control ${result.control}${result.excludedUsers ? ` · ${result.excludedUsers} users in two variants left out` : ''}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold>Experiment</Text> <Text dimColor>{title}</Text>
      </Text>
      <Box>
        <HeaderCells columns={cols} />
      </Box>
      {result.variants.map((v) => (
        <Box key={v.variant}>
          {cols.map((c) => (
            <Cell key={c.title} width={c.width}>
              {c.cell(v, result)}
            </Cell>
          ))}
        </Box>
      ))}
      <Box height={verdictLines} overflow="hidden">
        <Text color={verdictColour(result.decision)} wrap="wrap">
          {result.verdict}
        </Text>
      </Box>
    </Box>
  );
}
