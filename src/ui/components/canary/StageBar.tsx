// Where the canary stands, as Argo Rollouts and Flagger show it: the plan's steps with the
// passed ones ticked and the current one marked, the phase with its clock (the countdown to the
// next analysis, or to the end of a pause), and the verdict of the last analysis.
import { Box, Text } from 'ink';
import type { CanaryInterval, CanaryRun } from '../../../core/state/schema.js';
import type { CanaryState } from '../../../core/canary/lifecycle.js';
import { formatElapsed } from '../../format.js';
import { useNow } from '../../hooks/useNow.js';
import { deployColour } from '../../theme.js';
import { wrappedLines } from '../FlashLine.js';
import { Elapsed } from '../Elapsed.js';
import { Spinner } from '../Spinner.js';
import { clock, isActive, nextAnalysisAt, stepMarks, TERMINAL_PHASES, type StepMark } from './view.js';

const MARK: Record<StepMark, { glyph: string; color?: string }> = {
  passed: { glyph: '✓', color: 'green' },
  skipped: { glyph: '»' },
  current: { glyph: '▸', color: 'cyan' },
  failed: { glyph: '✗', color: 'red' },
  'rolled-back': { glyph: '↩', color: 'yellow' },
  pending: { glyph: '·' },
};

/** Re-renders once a second with the time left until `to` (negative once it has passed), in `say`'s words. */
function Countdown({ to, say }: { to: number; say: (leftMs: number) => string }) {
  const now = useNow(1000);
  return <Text>{say(to - now)}</Text>;
}

/** Rounded up, so a countdown reads 1s (not 0s) in its last second. */
const left = (ms: number) => formatElapsed(Math.ceil(ms / 1000) * 1000);

/** A few seconds late is the analysis running; much later, the canary's process may be gone. */
const OVERDUE_MS = 15_000;

const nextAnalysis = (ms: number) =>
  ms > 0 ? `next analysis in ${left(ms)}` : -ms < OVERDUE_MS ? 'analysis due now' : `analysis overdue by ${formatElapsed(-ms)}`;

function Colour({ name }: { name: string }) {
  return (
    <Text bold color={deployColour(name)}>
      {name}
    </Text>
  );
}

function Steps({ run }: { run: CanaryRun }) {
  const marks = stepMarks(run);
  return (
    <Text>
      {run.steps.map((percent, i) => {
        const mark = MARK[marks[i]!];
        const current = marks[i] === 'current';
        return (
          <Text key={i}>
            {i > 0 ? <Text dimColor> › </Text> : null}
            <Text color={mark.color} dimColor={mark.color === undefined}>
              {mark.glyph}
            </Text>{' '}
            <Text bold={current} inverse={current} dimColor={marks[i] === 'pending' || marks[i] === 'skipped'}>
              {percent}%
            </Text>
          </Text>
        );
      })}
    </Text>
  );
}

const stepName = (run: CanaryRun, step: number) => `${run.steps[step] ?? '?'}% (step ${step + 1} of ${run.steps.length})`;

/** What the run is doing now, in words. Aborted and rolled-back runs say why, in full. */
export function phaseText(run: CanaryRun): string {
  const s = run.state;
  switch (s.phase) {
    case 'aborted':
      return `✗ aborted at ${run.steps[s.step] ?? '?'}%: ${s.reason}`;
    case 'rolled-back':
      return `↩ rolled back: ${s.reason}`;
    default:
      return '';
  }
}

/** Lines the phase takes: an abort's reason may wrap onto a second line rather than lose its end. */
export function phaseLines(run: CanaryRun, width: number): number {
  const text = phaseText(run);
  return text === '' ? 1 : Math.min(2, wrappedLines(text, Math.max(1, width)));
}

/** Lines the whole stage bar takes at `width`. */
export const stageLines = (run: CanaryRun, width: number): number =>
  1 + phaseLines(run, width) + (isActive(run) && run.setup === 'ready' && run.analysis.length > 0 ? 1 : 0);

const NEW_CANARY = ' · c starts a new canary';

function SetupPhase({ run }: { run: CanaryRun }) {
  return (
    <Text wrap="truncate">
      <Spinner />{' '}
      {run.setup === 'releasing' ? (
        <Text>
          <Text bold>releasing</Text> {run.version} onto <Colour name={run.canaryColour} />
        </Text>
      ) : (
        <Text>
          <Text bold>verifying</Text> <Colour name={run.canaryColour} />
          's health
        </Text>
      )}
      <Text dimColor>
        {' '}
        before it takes {run.steps[0] ?? '?'}% of the traffic · <Elapsed since={run.startedAt} />
      </Text>
    </Text>
  );
}

function Progressing({ run, s }: { run: CanaryRun; s: Extract<CanaryState, { phase: 'progressing' }> }) {
  const next = nextAnalysisAt(run);
  return (
    <Text wrap="truncate">
      <Text color="green">▶</Text> <Text bold>progressing</Text> at {stepName(run, s.step)}
      {next !== null ? (
        <Text>
          {' '}
          · <Countdown to={next} say={nextAnalysis} />
        </Text>
      ) : null}
      {s.failed > 0 ? (
        <Text color="yellow">
          {' '}
          · {s.failed} interval{s.failed === 1 ? '' : 's'} failed
        </Text>
      ) : null}
    </Text>
  );
}

function Paused({ run, s }: { run: CanaryRun; s: Extract<CanaryState, { phase: 'paused' }> }) {
  const after =
    s.then === 'same'
      ? `then ${run.steps[s.step] ?? '?'}% is analysed again`
      : s.step + 1 < run.steps.length
        ? `then ${run.steps[s.step + 1]}%`
        : 'then promotion';
  return (
    <Text wrap="truncate">
      <Text color="yellow">⏸</Text> <Text bold>paused</Text> at {stepName(run, s.step)}
      {s.until === null ? (
        <Text>
          {' '}
          until resumed <Text dimColor>(space)</Text> or promoted <Text dimColor>(p)</Text>
          <Text dimColor> · {after}</Text>
        </Text>
      ) : (
        <Text>
          {' '}
          · <Countdown to={s.until} say={(ms) => (ms > 0 ? `resumes in ${left(ms)}` : 'resuming now')} />
          <Text dimColor>, {after}</Text>
        </Text>
      )}
    </Text>
  );
}

function Promoting({ run, s }: { run: CanaryRun; s: Extract<CanaryState, { phase: 'promoting' }> }) {
  return (
    <Text wrap="truncate">
      <Spinner /> <Text bold>promoting</Text>: <Colour name={run.canaryColour} /> {run.version} takes all the traffic{' '}
      <Text dimColor>
        · <Elapsed since={s.since} />
      </Text>
    </Text>
  );
}

function Promoted({ run, s }: { run: CanaryRun; s: Extract<CanaryState, { phase: 'promoted' }> }) {
  return (
    <Text wrap="truncate">
      <Text color="green" bold>
        ✓ promoted
      </Text>{' '}
      at {clock(s.at)}: <Colour name={run.canaryColour} /> {run.version} is live
      <Text dimColor>
        {' '}
        · took {formatElapsed((run.endedAt ?? s.at) - run.startedAt)}
        {NEW_CANARY}
      </Text>
    </Text>
  );
}

function Ended({ run, width, s }: { run: CanaryRun; width: number; s: Extract<CanaryState, { phase: 'aborted' | 'rolled-back' }> }) {
  const lines = phaseLines(run, width);
  // the hint only where it fits whole: the reason comes first
  const hint = wrappedLines(phaseText(run) + NEW_CANARY, Math.max(1, width)) <= lines;
  return (
    <Box height={lines} overflow="hidden">
      <Text color={s.phase === 'aborted' ? 'red' : 'yellow'} bold={s.phase === 'aborted'} wrap="wrap">
        {phaseText(run)}
        {hint ? (
          <Text dimColor bold={false}>
            {NEW_CANARY}
          </Text>
        ) : null}
      </Text>
    </Box>
  );
}

function Phase({ run, width }: { run: CanaryRun; width: number }) {
  const s = run.state;
  if (run.setup !== 'ready' && (s.phase === 'progressing' || s.phase === 'paused')) return <SetupPhase run={run} />;
  switch (s.phase) {
    case 'progressing':
      return <Progressing run={run} s={s} />;
    case 'paused':
      return <Paused run={run} s={s} />;
    case 'promoting':
      return <Promoting run={run} s={s} />;
    case 'promoted':
      return <Promoted run={run} s={s} />;
    case 'aborted':
    case 'rolled-back':
      return <Ended run={run} width={width} s={s} />;
  }
}

const actionColour: Record<CanaryInterval['action'], string> = { advance: 'green', hold: 'yellow', abort: 'red' };

function LastVerdict({ interval }: { interval: CanaryInterval }) {
  return (
    <Text wrap="truncate">
      {/* no time here (the table has it): at 80 columns the reason needs the room */}
      <Text dimColor>last analysis: </Text>
      <Text bold color={actionColour[interval.action]}>
        {interval.action}
      </Text>
      <Text dimColor> — {interval.reason}</Text>
    </Text>
  );
}

export function StageBar({ run, width }: { run: CanaryRun; width: number }) {
  const last = run.analysis.at(-1);
  const ended = TERMINAL_PHASES.has(run.state.phase);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold>canary {run.version}</Text> <Text dimColor>on</Text> <Colour name={run.canaryColour} />
        {'  '}
        <Steps run={run} />
        {'  '}
        <Text dimColor>
          by {run.by} · {ended ? 'started' : 'since'} {clock(run.startedAt)}
          {ended ? null : (
            <Text>
              {' '}
              · <Elapsed since={run.startedAt} />
            </Text>
          )}
        </Text>
      </Text>
      <Phase run={run} width={width} />
      {last && isActive(run) && run.setup === 'ready' ? <LastVerdict interval={last} /> : null}
    </Box>
  );
}
