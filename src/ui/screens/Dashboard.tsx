// Live health of every target: a table, then one latency chart per target. The charts sit
// side by side when the terminal is wide and take the height that is left, so an 80x24
// terminal and a 200x50 one are both filled.
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { TargetView } from '../../store/types.js';
import { Sparkline } from '../components/Sparkline.js';
import { TargetTable } from '../components/TargetTable.js';
import type { UiContext } from '../context.js';
import { rollbackKey } from '../deployActions.js';
import { statusColour } from '../theme.js';
import type { ScreenDefinition, ScreenKey, ScreenProps } from './types.js';

/** Narrowest a chart may be before charts stack instead of sitting side by side. */
const MIN_CHART_WIDTH = 34;
const GAP = 2;
/** the most a plot may grow to on a big terminal */
const MAX_PLOT_HEIGHT = 40;

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
  // each chart: a title line, plotHeight + 1 plot lines, a blank line between chart rows
  const perChart = Math.floor((height + 1) / chartRows) - 1;
  const plotHeight = Math.min(MAX_PLOT_HEIGHT, perChart - 2);
  return { perRow, chartWidth, plotHeight: plotHeight >= 1 ? plotHeight : 0 };
}

function LatencyChart({ target, width, plotHeight }: { target: TargetView; width: number; plotHeight: number }) {
  const probes = target.latencyHistory.filter((v) => v !== null).length;
  return (
    <Box flexDirection="column" width={width} overflow="hidden">
      <Text wrap="truncate">
        <Text bold color={statusColour[target.health.status]}>
          {target.name}
        </Text>
        <Text dimColor> latency ms · {probes} probes</Text>
      </Text>
      <Sparkline series={target.latencyHistory} width={width} height={plotHeight} />
    </Box>
  );
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}

function Dashboard({ ctx, width, height }: ScreenProps) {
  const targets = useStore(
    ctx.store,
    useShallow((s) => s.targetOrder.map((name) => s.targets[name]).filter((t): t is TargetView => t !== undefined)),
  );
  const monitoring = useStore(ctx.store, (s) => s.monitoring);
  const stateError = useStore(ctx.store, (s) => s.stateError);
  if (targets.length === 0) {
    return <Text dimColor>No targets are configured for this environment.</Text>;
  }
  const tableHeight = targets.length + 1;
  const noteHeight = (monitoring ? 0 : 1) + (stateError ? 1 : 0);
  const layout = chartLayout(targets.length, width, height - tableHeight - noteHeight - 1);
  return (
    <Box flexDirection="column" width={width}>
      <TargetTable targets={targets} width={width} />
      {monitoring ? null : (
        <Text color="yellow" wrap="truncate">
          Background monitoring is off (MONITORING_ENABLED=false): press ctrl+r to probe now.
        </Text>
      )}
      {stateError ? (
        <Text color="red" wrap="truncate">
          state: {stateError}
        </Text>
      ) : null}
      {layout.plotHeight > 0 ? (
        <Box flexDirection="column" marginTop={1} rowGap={1}>
          {chunk(targets, layout.perRow).map((row) => (
            <Box key={row.map((t) => t.name).join(' ')} columnGap={GAP}>
              {row.map((t) => (
                <LatencyChart key={t.name} target={t} width={layout.chartWidth} plotHeight={layout.plotHeight} />
              ))}
            </Box>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

const refreshNow = async (ctx: UiContext) => {
  ctx.store.getState().actions.flash('info', 'refreshing…');
  await ctx.refresh();
  ctx.store.getState().actions.flash('success', 'refreshed');
};

const keys: ScreenKey[] = [
  { key: 'ctrl+r', label: 'refresh now', run: refreshNow },
  { key: 'R', label: 'refresh now', run: refreshNow },
  rollbackKey,
];

export const dashboardScreen: ScreenDefinition = { id: 'dashboard', title: 'Dashboard', keys, Component: Dashboard };
