// The canary and the stable colour side by side: what each runs, the share of traffic the
// router gives it, and what it served in the latest analysis interval (requests, error rate,
// p95), or why that is not known.
import { Box, Text } from 'ink';
import { isMissing, pct } from '../../../core/canary/judge.js';
import type { CanaryInterval, CanaryRun } from '../../../core/state/schema.js';
import { deployColour } from '../../theme.js';
import { errorRate, formatWindow, trafficSplit, type Observation } from './view.js';
import { WeightBar } from '../WeightBar.js';

const GAP = 1;

interface PanelView {
  role: 'canary' | 'stable';
  /** what the colour is now, in the run's words: CANARY, STABLE; LIVE and PREVIOUS once promoted */
  title: string;
  colour: string;
  version: string | null;
  weight: number;
  /** the weight is the plan's, the router's being unknown */
  planned: boolean;
  /** undefined: no analysis yet; null: this colour was not measured */
  observation: Observation | null | undefined;
  windowMs: number | null;
}

function Title({ panel }: { panel: PanelView }) {
  return (
    <Text>
      <Text bold color={panel.title === 'LIVE' ? 'green' : panel.role === 'canary' ? 'yellow' : undefined}>
        {panel.title}
      </Text>{' '}
      <Text bold color={deployColour(panel.colour)}>
        {panel.colour}
      </Text>{' '}
      {panel.version === null ? <Text dimColor>version unknown</Text> : <Text bold>{panel.version}</Text>}
    </Text>
  );
}

function Weight({ panel }: { panel: PanelView }) {
  return (
    <Text>
      weight {panel.weight}%{panel.planned ? <Text dimColor> (planned)</Text> : null}
    </Text>
  );
}

type Measured = Exclude<Observation, { missing: string }>;

const latency = (x: number | null) => (x === null ? '—' : `${Math.round(x)}ms`);

/**
 * The latest interval's traffic: `1200 req · err 0.4% · p95 120ms` on one line (compact), or
 * `1200 requests · 5 errors (0.4%)` with the latencies on a line of their own.
 */
function Served({ panel, long }: { panel: PanelView; long: boolean }) {
  const o = panel.observation;
  if (o === undefined) return <Text dimColor>no analysis yet</Text>;
  if (o === null) return <Text dimColor>not measured</Text>;
  if (isMissing(o)) return <Text color="yellow">no metrics: {o.missing}</Text>;
  const rate = errorRate(o);
  const rateText = rate === null ? '—' : pct(rate);
  if (long) {
    return (
      <Text>
        {o.requests} requests · {o.errors} errors ({rateText})
      </Text>
    );
  }
  return (
    <Text>
      {o.requests} req · err {rateText} · p95 {latency(o.p95Ms)}
    </Text>
  );
}

function Latency({ o }: { o: Measured }) {
  return (
    <Text>
      p95 {latency(o.p95Ms)} · p99 {latency(o.p99Ms)}
      {o.p95Ms === null && o.latencyMissing ? <Text dimColor> ({o.latencyMissing})</Text> : null}
    </Text>
  );
}

function Panel({ panel, width, compact }: { panel: PanelView; width: number; compact: boolean }) {
  const inner = Math.max(1, width - 4);
  const o = panel.observation;
  return (
    <Box
      flexDirection="column"
      width={width}
      flexShrink={0}
      borderStyle="round"
      borderColor={panel.role === 'canary' ? 'yellow' : 'gray'}
      paddingX={1}
      overflow="hidden"
    >
      <Text wrap="truncate">
        <Title panel={panel} />
      </Text>
      <Text wrap="truncate">
        <Weight panel={panel} />
        {compact ? null : (
          <Text>
            {' '}
            <WeightBar weight={panel.weight} width={Math.min(40, inner - 24)} />
          </Text>
        )}
      </Text>
      <Text wrap="truncate">
        <Served panel={panel} long={!compact} />
        {!compact && panel.windowMs !== null && o ? <Text dimColor> in {formatWindow(panel.windowMs)}</Text> : null}
      </Text>
      {compact ? null : <Text wrap="truncate">{o && !isMissing(o) ? <Latency o={o} /> : ' '}</Text>}
    </Box>
  );
}

export function panelViews(
  run: CanaryRun,
  weights: Record<string, number> | null,
  last: CanaryInterval | undefined,
): [PanelView, PanelView] {
  const split = trafficSplit(run, weights);
  const windowMs = last?.windowMs ?? null;
  const phase = run.state.phase;
  const [canaryTitle, stableTitle] =
    phase === 'promoted'
      ? ['LIVE', 'PREVIOUS']
      : phase === 'aborted'
        ? ['CANARY (aborted)', 'LIVE']
        : phase === 'rolled-back'
          ? ['CANARY (rolled back)', 'LIVE']
          : ['CANARY', 'STABLE'];
  return [
    {
      role: 'canary',
      title: canaryTitle,
      colour: run.canaryColour,
      version: run.version,
      weight: split.canary,
      planned: !split.fromRouter,
      observation: last ? last.canary : undefined,
      windowMs,
    },
    {
      role: 'stable',
      title: stableTitle,
      colour: run.stableColour,
      version: run.stableVersion,
      weight: split.stable,
      planned: !split.fromRouter,
      observation: last ? last.stable : undefined,
      windowMs,
    },
  ];
}

export function ColourPanels({
  run,
  weights,
  width,
  compact,
}: {
  run: CanaryRun;
  weights: Record<string, number> | null;
  width: number;
  compact: boolean;
}) {
  const panels = panelViews(run, weights, run.analysis.at(-1));
  const panelWidth = Math.floor((width - GAP) / 2);
  return (
    <Box columnGap={GAP} width={width}>
      {panels.map((p) => (
        <Panel key={p.role} panel={p} width={panelWidth} compact={compact} />
      ))}
    </Box>
  );
}
