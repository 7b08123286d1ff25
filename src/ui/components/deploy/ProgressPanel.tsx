// The deploy or rollback this dashboard is running (or ran last): what moves where, the phase
// with a spinner and its clocks, the plan with the current step marked, and how it ended.
import { Box, Text } from 'ink';
import type { DeployProgress } from '../../../store/types.js';
import { say } from '../../../core/words.js';
import { formatElapsed } from '../../format.js';
import { deployColour } from '../../theme.js';
import { Elapsed } from '../Elapsed.js';
import { Spinner } from '../Spinner.js';
import { stepName, stepStates, type StepState } from './steps.js';

const TERMINAL_PHASES = new Set(['complete', 'failed', 'rolled-back']);

function Colour({ name }: { name: string | null }) {
  if (name === null) return <Text dimColor>?</Text>;
  return (
    <Text bold color={deployColour(name)}>
      {name}
    </Text>
  );
}

function StatusMark({ progress }: { progress: DeployProgress }) {
  if (progress.running) return <Spinner />;
  if (!progress.outcome) return <Text dimColor>·</Text>;
  return progress.outcome.ok ? <Text color="green">✓</Text> : <Text color="red">✗</Text>;
}

function Header({ progress }: { progress: DeployProgress }) {
  const { operation, version, fromColour, toColour, phase, startedAt, phaseStartedAt, running } = progress;
  return (
    <Text wrap="truncate">
      <Text bold>{operation}</Text>
      {version ? <Text bold> {version}</Text> : null}
      {fromColour || toColour ? (
        <Text>
          {'  '}
          <Colour name={fromColour} /> → <Colour name={toColour} />
        </Text>
      ) : null}
      {'  '}
      <StatusMark progress={progress} /> <Text bold>{say(phase)}</Text>
      {running ? (
        <Text dimColor>
          {' '}
          <Elapsed since={phaseStartedAt} /> · total <Elapsed since={startedAt} />
        </Text>
      ) : TERMINAL_PHASES.has(phase) ? (
        <Text dimColor> · took {formatElapsed(phaseStartedAt - startedAt)}</Text>
      ) : null}
    </Text>
  );
}

function StepMark({ state, running, failed }: { state: StepState; running: boolean; failed: boolean }) {
  if (state === 'done') return <Text color="green">✓</Text>;
  if (state === 'pending') return <Text dimColor>·</Text>;
  if (running) return <Spinner />;
  return failed ? <Text color="red">✗</Text> : <Text color="cyan">▸</Text>;
}

function Plan({ progress, asList }: { progress: DeployProgress; asList: boolean }) {
  const states = stepStates(progress.plan, progress.phase);
  const failed = progress.outcome?.ok === false;
  if (!asList) {
    return (
      <Text wrap="truncate">
        <Text dimColor>plan </Text>
        {progress.plan.map((step, i) => (
          <Text key={i}>
            {i > 0 ? <Text dimColor> › </Text> : null}
            <StepMark state={states[i]!} running={progress.running} failed={failed} />{' '}
            <Text bold={states[i] === 'current'} dimColor={states[i] === 'pending'}>
              {stepName(step)}
            </Text>
          </Text>
        ))}
      </Text>
    );
  }
  return (
    <Box flexDirection="column">
      {progress.plan.map((step, i) => (
        <Text key={i} wrap="truncate">
          <StepMark state={states[i]!} running={progress.running} failed={failed} />{' '}
          <Text bold={states[i] === 'current'} dimColor={states[i] === 'pending'}>
            {step}
          </Text>
        </Text>
      ))}
    </Box>
  );
}

export function ProgressPanel({ progress, width, planAsList }: { progress: DeployProgress; width: number; planAsList: boolean }) {
  return (
    <Box flexDirection="column" width={width} flexShrink={0} overflow="hidden">
      <Header progress={progress} />
      {progress.plan.length > 0 ? <Plan progress={progress} asList={planAsList} /> : null}
      {progress.outcome ? (
        <Text color={progress.outcome.ok ? 'green' : 'red'} bold wrap="truncate">
          {progress.outcome.ok ? '✓ ' : '✗ '}
          {progress.outcome.text}
        </Text>
      ) : null}
    </Box>
  );
}
