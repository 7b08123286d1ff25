// Live health of every target: a table (a list: j/k and Enter for a target's full reason), then
// one latency chart per target with failures drawn as failures. The charts sit side by side when
// the terminal is wide and take the height that is left, so 80x24 and 200x50 are both filled.
import { Box, Text } from 'ink';
import type { TargetView } from '../../store/types.js';
import { LatencyChart } from '../components/LatencyChart.js';
import { TargetTable } from '../components/TargetTable.js';
import { statusColour } from '../theme.js';
import { cursorOf } from '../verbs/lists.js';
import { canaryKey, deployKey, rollbackKey } from '../verbs/table.js';
import { Stack } from '../components/Stack.js';
import { useAppState } from '../hooks/useAppState.js';
import type { ScreenDefinition, ScreenProps } from './types.js';
import { plural } from '../../core/text.js';

/** Narrowest a chart may be before charts stack instead of sitting side by side. */
const MIN_CHART_WIDTH = 34;
const GAP = 2;
/** the most a plot may grow to on a big terminal */
const MAX_PLOT_HEIGHT = 30;

export interface ChartLayout {
  perRow: number;
  chartWidth: number;
  /** rows of the plot area; 0 when there is no room for charts */
  plotHeight: number;
}

/** How the charts share the space left under the table. Pure, so it is tested by itself. */
export function chartLayout(count: number, width: number, height: number): ChartLayout {
  if (count === 0) return { perRow: 1, chartWidth: width, plotHeight: 0 };
  const perRow = Math.max(1, Math.min(count, Math.floor((width + GAP) / (MIN_CHART_WIDTH + GAP))));
  const chartWidth = Math.floor((width - GAP * (perRow - 1)) / perRow);
  const chartRows = Math.ceil(count / perRow);
  // each chart: a title line, the plot, a time axis line, a blank line between chart rows
  const perChart = Math.floor((height + 1) / chartRows) - 1;
  const plotHeight = Math.min(MAX_PLOT_HEIGHT, perChart - 2);
  return { perRow, chartWidth, plotHeight: plotHeight >= 1 ? plotHeight : 0 };
}

function TargetChart({ target, width, plotHeight, now }: { target: TargetView; width: number; plotHeight: number; now: number }) {
  const failed = target.probes.filter((p) => p.ms === null).length;
  return (
    <Box flexDirection="column" width={width} overflow="hidden">
      <Text wrap="truncate">
        <Text bold color={statusColour[target.health.status]}>
          {target.name}
        </Text>
        <Text dimColor> latency · {plural(target.probes.length, 'probe')}</Text>
        {failed > 0 ? <Text color="red"> · {failed} failed (✗)</Text> : null}
      </Text>
      <LatencyChart probes={target.probes} width={width} height={plotHeight} now={now} />
    </Box>
  );
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}

function Dashboard({ ctx, width, height }: ScreenProps) {
  const { s, now } = useAppState(ctx, 1000);
  const targets = s.targetOrder.map((name) => s.targets[name]).filter((t): t is TargetView => t !== undefined);
  if (targets.length === 0) return <Text dimColor>No targets are configured for this environment.</Text>;
  const cursor = cursorOf('targets', { s, now });
  const tableHeight = targets.length + 1;
  const noteHeight = (s.monitoring ? 0 : 1) + (s.stateError ? 1 : 0);
  const layout = chartLayout(targets.length, width, height - tableHeight - noteHeight - 1);
  return (
    <Stack width={width}>
      <TargetTable targets={targets} width={width} cursor={cursor} />
      {s.monitoring ? null : (
        <Text color="yellow" wrap="truncate">
          Background monitoring is off (MONITORING_ENABLED=false): press ctrl+r to probe now.
        </Text>
      )}
      {s.stateError ? (
        <Text color="red" wrap="truncate">
          state: {s.stateError}
        </Text>
      ) : null}
      {layout.plotHeight > 0 ? (
        <Box flexDirection="column" marginTop={1} rowGap={1}>
          {chunk(targets, layout.perRow).map((row) => (
            <Box key={row.map((t) => t.name).join(' ')} columnGap={GAP}>
              {row.map((t) => (
                <TargetChart key={t.name} target={t} width={layout.chartWidth} plotHeight={layout.plotHeight} now={now} />
              ))}
            </Box>
          ))}
        </Box>
      ) : null}
    </Stack>
  );
}

export const dashboardScreen: ScreenDefinition = {
  id: 'dashboard',
  title: 'Dashboard',
  keys: [deployKey, canaryKey, rollbackKey],
  list: () => 'targets',
  Component: Dashboard,
};
