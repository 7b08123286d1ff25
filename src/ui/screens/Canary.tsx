// The canary release at a glance, laid out like Argo Rollouts' and Flagger's views: the current
// run (the stage bar with its countdown, the two colours with their roles, the error rate and
// p95 of both, every analysis result), and the earlier runs as history with their revision and
// ✔/✖ counts. A run that a later deploy or rollback replaced is history, not current.
import { Box, Text } from 'ink';
import { canaryHistory } from '../../core/canary/history.js';
import type { CanaryRun } from '../../core/state/schema.js';
import { AnalysisCharts } from '../components/canary/AnalysisCharts.js';
import { AnalysisTable } from '../components/canary/AnalysisTable.js';
import { ColourPanels } from '../components/canary/ColourPanels.js';
import { canaryLayout } from '../components/canary/layout.js';
import { RunsTable } from '../components/canary/RunsTable.js';
import { StageBar, stageLines } from '../components/canary/StageBar.js';
import { clock, nextAnalysisAt, type AnalysisRow } from '../components/canary/view.js';
import { SourceErrors } from '../components/WeightBar.js';
import { listValues } from '../verbs/lists.js';
import { currentRun } from '../verbs/state.js';
import { canaryKeys } from '../verbs/table.js';
import { Stack } from '../components/Stack.js';
import { useAppState } from '../hooks/useAppState.js';
import type { ScreenDefinition, ScreenProps } from './types.js';

function Key({ name }: { name: string }) {
  return (
    <Text bold color="cyan">
      {name}
    </Text>
  );
}

/** What the empty analysis table says: when the first result is due. */
function firstAnalysis(run: CanaryRun): string {
  if (run.setup !== 'ready') return `the first analysis comes ${Math.round(run.intervalMs / 1000)}s into the first step`;
  const next = nextAnalysisAt(run);
  return next === null ? 'no interval was analysed in this run' : `the first analysis is due at ${clock(next)}`;
}

function Canary({ ctx, width, height }: ScreenProps) {
  const { s, now } = useAppState(ctx, 1000);
  const v = { s, now };
  const run = currentRun(v);
  const history = canaryHistory(s.deployment?.history ?? []);
  const earlier = run ? history.filter((h) => h.id !== run.id) : history;
  if (!run) {
    const runs = listValues<(typeof history)[number]>('runs', v);
    return (
      <Stack width={width}>
        <SourceErrors routerError={s.routerError} stateError={s.stateError} />
        <Text dimColor wrap="truncate">
          No canary is running in {s.environment}.
        </Text>
        {s.canOperate ? (
          <Text wrap="truncate">
            <Key name="c" /> starts one: type a version, and it takes the traffic step by step (as `prodx canary deploy`).
          </Text>
        ) : (
          <Text dimColor wrap="truncate">
            No router is configured for {s.environment}: set environments.{s.environment}.router to run a canary from here.
          </Text>
        )}
        <Box marginTop={1}>
          <RunsTable runs={runs.values} total={runs.total} cursor={runs.cursor} rows={Math.max(0, height - 6)} width={width} selectable />
        </Box>
      </Stack>
    );
  }
  const notes = (s.routerError ? 1 : 0) + (s.stateError ? 1 : 0);
  const analysis = listValues<AnalysisRow>('analysis', v);
  const runsRows = earlier.length > 0 && height >= 20 ? Math.min(earlier.length, height >= 40 ? 5 : 2) : 0;
  const layout = canaryLayout({
    width,
    height: height - (runsRows ? runsRows + 3 : 0),
    stageLines: stageLines(run, width),
    notes,
    intervals: run.analysis.length,
  });
  return (
    <Stack width={width} gap={layout.gap}>
      <Box flexDirection="column">
        <StageBar run={run} width={width} />
        <SourceErrors routerError={s.routerError} stateError={s.stateError} />
      </Box>
      <ColourPanels run={run} weights={s.weights} width={width} compact={layout.compactPanels} />
      {layout.chartHeight > 0 ? (
        <AnalysisCharts run={run} width={width} height={layout.chartHeight} sideBySide={layout.chartsSideBySide} />
      ) : null}
      <AnalysisTable
        intervals={run.analysis.length}
        items={analysis.values}
        total={analysis.total}
        cursor={analysis.cursor}
        rows={layout.tableRows}
        width={width}
        emptyText={firstAnalysis(run)}
      />
      {runsRows > 0 ? (
        <RunsTable runs={earlier} total={earlier.length} cursor={0} rows={runsRows} width={width} selectable={false} />
      ) : null}
    </Stack>
  );
}

export const canaryScreen: ScreenDefinition = {
  id: 'canary',
  title: 'Canary',
  keys: canaryKeys,
  list: (v) => (currentRun(v) ? 'analysis' : 'runs'),
  Component: Canary,
};
