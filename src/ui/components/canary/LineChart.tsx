// Several lines on one asciichart plot (the canary, the stable colour, the limit), one point per
// analysis interval. asciichart 1.5 cannot skip a missing point, so a gap carries the series'
// previous value (and a series with no value at all is left out and named in the legend).
import { Box, Text } from 'ink';
import { plot } from 'asciichart';
import { deployColour } from '../../theme.js';

export interface ChartSeries {
  /** the legend's words, e.g. `green canary` */
  label: string;
  values: readonly (number | null)[];
  /** an Ink colour name */
  color: string;
}

export interface LineChartProps {
  title: string;
  series: readonly ChartSeries[];
  /** a horizontal reference line, e.g. the rule's limit */
  limit?: { label: string; value: number } | null;
  /** columns available, axis labels included */
  width: number;
  /** rows of the plot area; the chart takes height + 2 lines with its title */
  height: number;
  format: (x: number) => string;
  /** the lowest value the axis shows (0 for rates), whatever the data */
  min?: number;
}

/** asciichart colours by SGR sequence (it resets after each character), Ink by name: the names prodx uses. */
const ANSI: Record<string, string> = {
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
  white: '\x1b[97m',
  gray: '\x1b[90m',
};

/** The most columns one interval gets, so a short run still reads as a line, not a dot. */
const MAX_STRETCH = 6;

/** Fills gaps with the previous value (the first gaps with the first value); null when there is none. */
export function carryForward(values: readonly (number | null)[]): number[] | null {
  const first = values.find((v): v is number => v !== null && Number.isFinite(v));
  if (first === undefined) return null;
  let last = first;
  return values.map((v) => (v !== null && Number.isFinite(v) ? (last = v) : last));
}

/** Two distinct chart colours for the canary and the stable colour, their own when they are terminal colours. */
export function seriesColours(canaryColour: string, stableColour: string): { canary: string; stable: string } {
  const canary = deployColour(canaryColour) ?? 'yellow';
  const own = deployColour(stableColour) ?? 'cyan';
  return { canary, stable: own === canary ? 'white' : own };
}

export function LineChart({ title, series, limit, width, height, format: formatValue, min }: LineChartProps) {
  // asciichart computes labels in floating point: the bottom of a 0-based axis can be -1e-17
  const format = (x: number) => formatValue(x).replace(/^-(0(\.0+)?)$/, '$1');
  const drawn = series.map((s) => ({ ...s, points: carryForward(s.values) }));
  const plotted = drawn.filter((s): s is typeof s & { points: number[] } => s.points !== null);
  const missing = drawn.filter((s) => s.points === null);
  const n = Math.max(0, ...plotted.map((s) => s.points.length));
  const all = [...plotted.flatMap((s) => s.points), ...(limit ? [limit.value] : []), ...(min !== undefined ? [min] : [])];
  // labels padded to the widest any of them can be, so the chart is exactly as wide as planned
  const labelWidth = Math.max(1, ...all.map((v) => format(v).length));
  const room = width - labelWidth - 2;
  const legend = (
    <Text wrap="truncate">
      <Text bold>{title}</Text>
      {plotted.map((s) => (
        <Text key={s.label}>
          {'  '}
          <Text color={s.color}>──</Text> {s.label}
        </Text>
      ))}
      {limit ? (
        <Text dimColor>
          {'  '}┄┄ {limit.label}
        </Text>
      ) : null}
      {missing.map((s) => (
        <Text key={s.label} dimColor>
          {'  '}
          {s.label}: no data
        </Text>
      ))}
    </Text>
  );
  if (plotted.length === 0 || n < 2 || room < 2) {
    return (
      <Box flexDirection="column" width={width} height={height + 2} overflow="hidden">
        {legend}
        <Text dimColor wrap="truncate">
          {plotted.length === 0 ? 'nothing measured yet' : 'a line needs two analysis intervals'}
        </Text>
      </Box>
    );
  }
  const shown = Math.min(n, room);
  const stretch = Math.max(1, Math.min(MAX_STRETCH, Math.floor(room / shown)));
  const widen = (points: readonly number[]) => points.slice(-shown).flatMap((v) => Array<number>(stretch).fill(v));
  // the limit first, so the colours' lines are drawn over it where they meet
  const lines = [
    ...(limit ? [{ points: widen(Array<number>(shown).fill(limit.value)), color: 'gray' }] : []),
    ...plotted.map((s) => ({ points: widen(s.points), color: s.color })),
  ];
  const chart = plot(
    lines.map((l) => l.points),
    {
      height: Math.max(1, height),
      colors: lines.map((l) => ANSI[l.color]),
      format: (x) => format(x).padStart(labelWidth),
      ...(min !== undefined ? { min } : {}),
    },
  );
  return (
    <Box flexDirection="column" width={width} height={height + 2} overflow="hidden">
      {legend}
      {chart.split('\n').map((line, i) => (
        <Text key={i} wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
}
