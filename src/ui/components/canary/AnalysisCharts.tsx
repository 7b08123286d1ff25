// The run so far as two charts, error rate and p95, each with the canary's line, the stable
// colour's and the rule's limit: a canary drifting towards its limit shows before it fails.
import { Box } from 'ink';
import { pct } from '../../../core/canary/judge.js';
import type { CanaryRun } from '../../../core/state/schema.js';
import { LineChart, seriesColours } from './LineChart.js';
import { chartData } from './view.js';

const GAP = 2;

export function AnalysisCharts({ run, width, height, sideBySide }: { run: CanaryRun; width: number; height: number; sideBySide: boolean }) {
  const data = chartData(run.analysis);
  const colours = seriesColours(run.canaryColour, run.stableColour);
  const chartWidth = sideBySide ? Math.floor((width - GAP) / 2) : width;
  const canary = `${run.canaryColour} canary`;
  const stable = `${run.stableColour} stable`;
  // rates well under 1% need two decimals, or neighbouring axis labels repeat
  const top = Math.max(data.errorLimitPct ?? 0, ...[...data.canaryErrorPct, ...data.stableErrorPct].map((v) => v ?? 0));
  const decimals = top < 1 ? 2 : 1;
  return (
    <Box flexDirection={sideBySide ? 'row' : 'column'} columnGap={GAP} width={width}>
      <LineChart
        title="error rate %"
        series={[
          { label: stable, values: data.stableErrorPct, color: colours.stable },
          { label: canary, values: data.canaryErrorPct, color: colours.canary },
        ]}
        limit={data.errorLimitPct === null ? null : { label: `limit ${pct(data.errorLimitPct / 100)}`, value: data.errorLimitPct }}
        width={chartWidth}
        height={height}
        format={(x) => x.toFixed(decimals)}
        min={0}
      />
      <LineChart
        title="p95 ms"
        series={[
          { label: stable, values: data.stableP95, color: colours.stable },
          { label: canary, values: data.canaryP95, color: colours.canary },
        ]}
        limit={data.p95LimitMs === null ? null : { label: `limit ${Math.round(data.p95LimitMs)}ms`, value: data.p95LimitMs }}
        width={chartWidth}
        height={height}
        format={(x) => String(Math.round(x))}
      />
    </Box>
  );
}
