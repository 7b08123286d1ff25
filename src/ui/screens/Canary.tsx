// The canary release at a glance, laid out like Argo Rollouts' and Flagger's views: the stage
// bar (steps, phase, countdown), the canary and the stable colour side by side, the error rate
// and p95 of both over the run, and every analysis result. The run stays on screen after it
// ends, so its verdict and reason remain. Keys are in src/ui/canaryActions.ts.
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { canaryKeys } from '../canaryActions.js';
import { AnalysisCharts } from '../components/canary/AnalysisCharts.js';
import { AnalysisTable } from '../components/canary/AnalysisTable.js';
import { ColourPanels } from '../components/canary/ColourPanels.js';
import { canaryLayout } from '../components/canary/layout.js';
import { StageBar, stageLines } from '../components/canary/StageBar.js';
import { clock, nextAnalysisAt } from '../components/canary/view.js';
import type { CanaryRun } from '../../core/state/schema.js';
import type { ScreenDefinition, ScreenProps } from './types.js';
import { SourceErrors } from '../components/WeightBar.js';

function Key({ name }: { name: string }) {
  return (
    <Text bold color="cyan">
      {name}
    </Text>
  );
}

/** No canary in this environment: what `c` does, and the same from a shell. */
function Idle({ environment, canOperate, stateError }: { environment: string; canOperate: boolean; stateError?: string | undefined }) {
  return (
    <Box flexDirection="column">
      {stateError ? (
        <Text color="red" wrap="truncate">
          state: {stateError}
        </Text>
      ) : null}
      <Text dimColor wrap="wrap">
        No canary release in {environment}.
      </Text>
      {canOperate ? (
        <Text wrap="wrap">
          <Key name="c" /> starts a canary: type a version, and it takes the traffic step by step.
        </Text>
      ) : (
        <Text dimColor wrap="wrap">
          No router is configured for {environment}: set environments.{environment}.router to run a canary from here.
        </Text>
      )}
      <Text dimColor wrap="wrap">
        From a shell, prodx canary deploy &lt;version&gt; does the same.
      </Text>
    </Box>
  );
}

/** What the empty analysis table says: when the first result is due. */
function firstAnalysis(run: CanaryRun): string {
  if (run.setup !== 'ready') return `the first analysis comes ${Math.round(run.intervalMs / 1000)}s into the first step`;
  const next = nextAnalysisAt(run);
  return next === null ? 'no interval was analysed in this run' : `the first analysis is due at ${clock(next)}`;
}

function Canary({ ctx, width, height }: ScreenProps) {
  const s = useStore(
    ctx.store,
    useShallow((st) => ({
      environment: st.environment,
      run: st.deployment?.canary ?? null,
      weights: st.weights,
      routerError: st.routerError,
      stateError: st.stateError,
    })),
  );
  const { run } = s;
  if (!run) return <Idle environment={s.environment} canOperate={ctx.operations !== undefined} stateError={s.stateError} />;
  const notes = (s.routerError ? 1 : 0) + (s.stateError ? 1 : 0);
  const layout = canaryLayout({ width, height, stageLines: stageLines(run, width), notes, intervals: run.analysis.length });
  return (
    <Box flexDirection="column" width={width} rowGap={layout.gap}>
      <Box flexDirection="column">
        <StageBar run={run} width={width} />
        <SourceErrors routerError={s.routerError} stateError={s.stateError} />
      </Box>
      <ColourPanels run={run} weights={s.weights} width={width} compact={layout.compactPanels} />
      {layout.chartHeight > 0 ? (
        <AnalysisCharts run={run} width={width} height={layout.chartHeight} sideBySide={layout.chartsSideBySide} />
      ) : null}
      <AnalysisTable analysis={run.analysis} rows={layout.tableRows} width={width} emptyText={firstAnalysis(run)} />
    </Box>
  );
}

export const canaryScreen: ScreenDefinition = { id: 'canary', title: 'Canary', keys: canaryKeys, Component: Canary };
