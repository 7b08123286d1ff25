// A latency chart drawn by asciichart. Failed probes (null) are skipped; only the newest
// values that fit the width are plotted, so the chart scrolls as probes arrive.
import { Box, Text } from 'ink';
import { plot } from 'asciichart';

export interface SparklineProps {
  series: readonly (number | null)[];
  /** columns available, axis labels included */
  width: number;
  /** rows of the plot area; asciichart draws height + 1 lines */
  height: number;
  color?: string;
}

/** Axis label + space + axis character, in columns. */
const axisWidth = (labelWidth: number) => labelWidth + 2;

export function Sparkline({ series, width, height, color = 'cyan' }: SparklineProps) {
  const numeric = series.filter((v): v is number => v !== null && Number.isFinite(v));
  if (numeric.length < 2) {
    // failed probes leave nulls: say so rather than suggest nothing has happened yet
    const failed = series.length - numeric.length;
    return (
      <Text dimColor wrap="truncate">
        {failed > 0 ? `no latency to chart: ${failed} of ${series.length} probes failed` : 'waiting for probes…'}
      </Text>
    );
  }
  // labels are padded to the widest any value could need (with a decimal), so the chart
  // is exactly `width` wide whatever the tail holds
  const labelWidth = Math.max(3, ...numeric.map((v) => v.toFixed(1).length));
  const points = width - axisWidth(labelWidth);
  if (points < 2)
    return (
      <Text dimColor wrap="truncate">
        waiting for probes…
      </Text>
    );
  const tail = numeric.slice(-points);
  // a tall chart over a small range needs a decimal, or neighbouring labels repeat
  const spread = Math.max(...tail) - Math.min(...tail);
  const decimals = spread > 0 && spread < height ? 1 : 0;
  const chart = plot(tail, {
    height: Math.max(1, height),
    format: (x) => x.toFixed(decimals).padStart(labelWidth),
  });
  return (
    <Box flexDirection="column">
      {chart.split('\n').map((line, i) => (
        <Text key={i} color={color} wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
}
