// Blue-green at a glance, laid out like Argo Rollouts' view: the colours side by side (role,
// version, health, traffic weight), the deploy or rollback under way with its plan and log,
// or the unfinished one another prodx left, then the history. `d` deploys, `r` rolls back.
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { EnvironmentState } from '../../core/state/schema.js';
import type { LockInfo } from '../../core/state/lock.js';
import type { AppState } from '../../store/types.js';
import { ActiveNotice } from '../components/deploy/ActiveNotice.js';
import { ColourBox, type ColourView } from '../components/deploy/ColourBox.js';
import { HistoryTable } from '../components/deploy/HistoryTable.js';
import { BOX_GAP, deployLayout, type MiddleSection } from '../components/deploy/layout.js';
import { LogTail } from '../components/deploy/LogTail.js';
import { ProgressPanel } from '../components/deploy/ProgressPanel.js';
import { deployKey, rollbackKey, rollbackRoute } from '../deployActions.js';
import { formatTime } from '../format.js';
import { liveColourOf } from '../../core/deploy/router.js';
import type { ScreenDefinition, ScreenProps } from './types.js';
import { SourceErrors } from '../components/WeightBar.js';

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
function IdleLine({
  deployment,
  environment,
  lock,
  canOperate,
}: {
  deployment: EnvironmentState | null;
  environment: string;
  lock: LockInfo | null;
  canOperate: boolean;
}) {
  if (lock) {
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
  const route = rollbackRoute(deployment, environment);
  return (
    <Text wrap="truncate">
      <Text dimColor>No deploy running. </Text>
      <Text bold color="cyan">
        d
      </Text>{' '}
      deploys a version
      {route.ok && route.to ? (
        <Text>
          ,{' '}
          <Text bold color="cyan">
            r
          </Text>{' '}
          rolls back to {route.to.colour} {route.to.version}
        </Text>
      ) : null}
      .
    </Text>
  );
}

function Deploy({ ctx, width, height }: ScreenProps) {
  const s = useStore(
    ctx.store,
    useShallow((st) => ({
      environment: st.environment,
      deployment: st.deployment,
      lock: st.lock,
      stateError: st.stateError,
      progress: st.progress,
      weights: st.weights,
      routerError: st.routerError,
      targetOrder: st.targetOrder,
      targets: st.targets,
    })),
  );
  const { deployment, progress } = s;
  const colours = colourViews(s);
  const active = progress === null ? (deployment?.active ?? null) : null;
  const middle: MiddleSection = progress
    ? { kind: 'progress', plan: progress.plan.length, log: progress.log.length, outcome: progress.outcome !== undefined }
    : active
      ? { kind: 'active' }
      : { kind: 'idle' };
  const notes = (s.routerError ? 1 : 0) + (s.stateError ? 1 : 0);
  const layout = deployLayout({ width, height, colours: colours.length, notes, middle, history: deployment?.history.length ?? 0 });
  const halfWidth = Math.floor((width - 2) / 2);

  return (
    <Box flexDirection="column" width={width} rowGap={layout.gap}>
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
        <IdleLine deployment={deployment} environment={s.environment} lock={s.lock} canOperate={ctx.operations !== undefined} />
      )}
      {progress && !layout.split && progress.log.length > 0 ? <LogTail log={progress.log} lines={layout.logLines} width={width} /> : null}
      <HistoryTable history={deployment?.history ?? []} rows={layout.historyRows} width={width} />
    </Box>
  );
}

export const deployScreen: ScreenDefinition = { id: 'deploy', title: 'Deploy', keys: [deployKey, rollbackKey], Component: Deploy };
