// Blue-green at a glance, laid out like Argo Rollouts' view: the colours side by side (role,
// version, health, traffic weight), the deploy or rollback under way with its plan and log,
// or the unfinished one another prodx left, then the history. `d` deploys, `r` rolls back.
import { Box, Text } from 'ink';
import type { AppState } from '../../store/types.js';
import { ActiveNotice } from '../components/deploy/ActiveNotice.js';
import { ColourBox, type ColourView } from '../components/deploy/ColourBox.js';
import { HistoryTable } from '../components/deploy/HistoryTable.js';
import { BOX_GAP, deployLayout, type MiddleSection } from '../components/deploy/layout.js';
import { LogTail } from '../components/deploy/LogTail.js';
import { ProgressPanel } from '../components/deploy/ProgressPanel.js';
import { formatTime } from '../format.js';
import { listValues } from '../verbs/lists.js';
import { rollbackPlanOf } from '../verbs/state.js';
import { deployKey, rollbackKey } from '../verbs/table.js';
import type { HistoryEntry } from '../../core/state/schema.js';
import { liveColourOf } from '../../core/deploy/router.js';
import { Stack } from '../components/Stack.js';
import { useAppState } from '../hooks/useAppState.js';
import type { ScreenDefinition, ScreenProps } from './types.js';
import { SourceErrors } from '../components/WeightBar.js';
import { useNow } from '../hooks/useNow.js';

function colourViews(s: Pick<AppState, 'targetOrder' | 'targets' | 'deployment' | 'weights' | 'progress'>): ColourView[] {
  const { deployment, weights, progress } = s;
  const deploying = progress?.running
    ? { colour: progress.toColour, version: progress.version }
    : deployment?.active
      ? { colour: deployment.active.toColour, version: deployment.active.version }
      : null;
  // the router's weights are where traffic really goes (during a deploy they move before the
  // state records the new live colour); the state is the fallback when the router is unknown
  const servingColour = liveColourOf(weights) ?? deployment?.live?.colour ?? null;
  return s.targetOrder.map((name) => {
    const health = s.targets[name]?.health ?? null;
    return {
      name,
      live: servingColour === name,
      installedVersion: deployment?.colours[name]?.version ?? null,
      probedVersion: health?.version ?? null,
      health,
      weight: weights ? (weights[name] ?? 0) : null,
      receiving: deploying && deploying.colour === name ? deploying.version : null,
    };
  });
}

/** What to say when nothing is running: what d and r would do here. */
function IdleLine({ s, canOperate }: { s: AppState; canOperate: boolean }) {
  const { lock, environment } = s;
  const now = useNow(5000);
  if (lock && !lock.stale) {
    return (
      <Text color="yellow" wrap="truncate">
        locked: {lock.operation} on {lock.environment} by pid {lock.pid}@{lock.host} since {formatTime(lock.acquiredAt)}
      </Text>
    );
  }
  if (!canOperate) {
    return (
      <Text dimColor wrap="truncate">
        No router is configured for {environment}: set environments.{environment}.router to deploy and roll back from here.
      </Text>
    );
  }
  const plan = rollbackPlanOf({ s, now });
  return (
    <Text wrap="truncate">
      <Text dimColor>No deploy running. </Text>
      <Text bold color="cyan">
        d
      </Text>{' '}
      deploys a version
      {plan.kind !== 'nothing' ? (
        <Text>
          ,{' '}
          <Text bold color="cyan">
            r
          </Text>{' '}
          rolls back to {plan.to.colour} {plan.to.version ?? ''}
        </Text>
      ) : null}
      .
    </Text>
  );
}

function Deploy({ ctx, width, height }: ScreenProps) {
  const { s, now } = useAppState(ctx, 5000);
  const history = listValues<HistoryEntry>('history', { s, now });
  const { deployment, progress } = s;
  const colours = colourViews(s);
  const active = progress === null ? (deployment?.active ?? null) : null;
  const middle: MiddleSection = progress
    ? { kind: 'progress', plan: progress.plan.length, log: progress.log.length, outcome: progress.outcome !== undefined }
    : active
      ? { kind: 'active' }
      : { kind: 'idle' };
  const notes = (s.routerError ? 1 : 0) + (s.stateError ? 1 : 0);
  const layout = deployLayout({ width, height, colours: colours.length, notes, middle, history: history.values.length });
  const halfWidth = Math.floor((width - 2) / 2);

  return (
    <Stack width={width} gap={layout.gap}>
      <Box flexDirection="column">
        {colours.length === 0 ? <Text dimColor>No targets are configured for this environment.</Text> : null}
        <Box flexWrap="wrap" columnGap={BOX_GAP} width={width}>
          {colours.map((c) => (
            <ColourBox key={c.name} colour={c} width={layout.boxWidth} compact={layout.compactBoxes} />
          ))}
        </Box>
        <SourceErrors routerError={s.routerError} stateError={s.stateError} />
      </Box>
      {progress ? (
        layout.split ? (
          <Box columnGap={2} width={width}>
            <ProgressPanel progress={progress} width={halfWidth} planAsList={layout.planAsList} />
            <LogTail log={progress.log} lines={layout.logLines} width={width - halfWidth - 2} />
          </Box>
        ) : (
          <ProgressPanel progress={progress} width={width} planAsList={layout.planAsList} />
        )
      ) : active ? (
        <ActiveNotice active={active} lock={s.lock} />
      ) : (
        <IdleLine s={s} canOperate={s.canOperate} />
      )}
      {progress && !layout.split && progress.log.length > 0 ? <LogTail log={progress.log} lines={layout.logLines} width={width} /> : null}
      <HistoryTable entries={history.values} total={history.total} cursor={history.cursor} rows={layout.historyRows} width={width} />
    </Stack>
  );
}

export const deployScreen: ScreenDefinition = {
  id: 'deploy',
  title: 'Deploy',
  keys: [deployKey, rollbackKey],
  list: () => 'history',
  Component: Deploy,
};
