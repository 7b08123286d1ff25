// The RUM screen: what real users experience, from the collector's rollups (the same report as
// `prodx rum report`). The five metrics with their p75 in the rating's colour and a
// good / needs-improvement / poor bar; the trend of one metric (m) against its "good" line on a
// tall enough terminal; the pages failing Core Web Vitals with their worst element; a segment
// table (s) and the window (w); engagement and conversions. Sections give way from the bottom
// when the terminal is short.
import { Box, Text } from 'ink';
import type { Assessment, MetricSummary, RumReport } from '../../core/rum/report.js';
import { metricText, THRESHOLDS, UNIT } from '../../core/rum/metrics.js';
import { LineChart } from '../components/canary/LineChart.js';
import { useAppState } from '../hooks/useAppState.js';
import { rumKeys } from '../verbs/table.js';
import type { ScreenDefinition, ScreenProps } from './types.js';

const COLOUR: Record<Assessment, string> = { good: 'green', 'needs-improvement': 'yellow', poor: 'red', 'not-enough-data': 'gray' };
const WORDS: Record<Assessment, string> = { good: 'good', 'needs-improvement': 'needs impr.', poor: 'poor', 'not-enough-data': 'too few' };
const WINDOW_WORDS: Record<string, string> = { '1h': 'last hour', '24h': 'last 24 hours', '7d': 'last 7 days', '28d': 'last 28 days' };

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** good / NI / poor as one bar of `width` cells */
function ShareBar({ m, width }: { m: MetricSummary; width: number }) {
  const g = Math.round(m.good * width);
  const n = Math.min(width - g, Math.round(m.needsImprovement * width));
  return (
    <Text>
      <Text color="green">{'█'.repeat(g)}</Text>
      <Text color="yellow">{'█'.repeat(n)}</Text>
      <Text color="red">{'█'.repeat(Math.max(0, width - g - n))}</Text>
    </Text>
  );
}

function MetricRow({ m, width }: { m: MetricSummary; width: number }) {
  const bar = width >= 90 ? 30 : width >= 70 ? 16 : 0;
  return (
    <Text wrap="truncate">
      <Text bold>{m.name.padEnd(5)}</Text>
      {` p75 ${metricText(m.name, m.p75).padStart(8)} `}
      <Text color={COLOUR[m.rating]}>{WORDS[m.rating].padEnd(12)}</Text>
      {bar > 0 && <ShareBar m={m} width={bar} />}
      {` ${pct(m.good).padStart(4)} ${pct(m.needsImprovement).padStart(4)} ${pct(m.poor).padStart(4)}`}
      <Text dimColor>{` ${m.count}${m.legacy ? ' legacy' : ''}`}</Text>
    </Text>
  );
}

function Failing({ r, rows }: { r: RumReport; rows: number }) {
  if (rows < 2) return null;
  if (!r.failing.length)
    return (
      <Text color="green" wrap="truncate">
        {r.verdicts.some((v) => v.verdict === 'pass')
          ? '✓ every assessed page passes Core Web Vitals'
          : 'no page has enough samples for a verdict yet'}
      </Text>
    );
  return (
    <Box flexDirection="column" height={Math.min(rows, r.failing.length + 1)} overflow="hidden">
      <Text bold wrap="truncate">
        Failing Core Web Vitals{' '}
        <Text dimColor>
          ({r.failing.length} of {r.verdicts.length} page × device)
        </Text>
      </Text>
      {r.failing.slice(0, rows - 1).map((f) => (
        <Text key={`${f.page} ${f.device}`} wrap="truncate">
          <Text color="red">✗</Text> {f.page} <Text dimColor>{f.device}</Text> {f.worst!.metric}{' '}
          {metricText(f.worst!.metric, f.metrics[f.worst!.metric]?.p75 ?? null)}
          {f.worst!.target ? <Text dimColor> worst {f.worst!.target}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}

function Segments({ r, rows }: { r: RumReport; rows: number }) {
  if (!r.segments || rows < 2) return null;
  return (
    <Box flexDirection="column" height={Math.min(rows, r.segments.rows.length + 1)} overflow="hidden">
      <Text bold wrap="truncate">
        By {r.segments.by} <Text dimColor>(s)</Text>
      </Text>
      {r.segments.rows.slice(0, rows - 1).map((row) => (
        <Text key={row.value} wrap="truncate">
          {row.value.slice(0, 16).padEnd(17)}
          {(['LCP', 'INP', 'CLS'] as const).map((m) => {
            const c = row.metrics[m];
            return (
              <Text key={m}>
                {m} <Text color={c ? COLOUR[c.rating] : 'gray'}>{metricText(m, c?.p75 ?? null).padEnd(9)}</Text>
              </Text>
            );
          })}
        </Text>
      ))}
    </Box>
  );
}

function Trend({ r, width, height }: { r: RumReport; width: number; height: number }) {
  const m = r.trend.metric;
  const values = r.trend.points.map((p) => p.p75);
  if (!values.some((v) => v !== null)) return null;
  return (
    <LineChart
      title={`${m} p75 per ${r.trend.bucketMs >= 86_400_000 ? 'day' : 'hour'} (m)`}
      series={[{ label: `${m} p75`, values, color: 'cyan' }]}
      limit={{ label: 'good', value: THRESHOLDS[m][0] }}
      width={width}
      height={height}
      format={(x) => (UNIT[m] === 'ms' ? `${Math.round(x)}` : x.toFixed(2))}
      min={0}
    />
  );
}

function Rum({ ctx, width, height }: ScreenProps) {
  const { s, now } = useAppState(ctx, 5000);
  const { report: r, window, loadedAt, error } = s.rum;
  if (error && !r) return <Text color="red" wrap="wrap">{`cannot read RUM events: ${error}`}</Text>;
  if (!r) return <Text dimColor>Reading RUM events…</Text>;
  const head = (
    <Text wrap="truncate">
      <Text bold>Core Web Vitals</Text> {WINDOW_WORDS[window] ?? window} <Text dimColor>(w)</Text> · {r.events.toLocaleString('en-US')}{' '}
      events
      {loadedAt !== null && <Text dimColor> · read {Math.max(0, Math.round((now - loadedAt) / 1000))}s ago</Text>}
    </Text>
  );
  if (!r.metrics.length)
    return (
      <Box flexDirection="column">
        {head}
        <Text dimColor wrap="wrap">
          No web-vitals samples in this window. Start the collector with `prodx rum start`, add `prodx rum snippet` to your pages, or replay
          the shipped weather site with `prodx simulate rum`.
        </Text>
      </Box>
    );
  let left = height - 1 - r.metrics.length;
  const footer = left >= 3 ? 2 : 0;
  left -= footer;
  const chartRows = height >= 24 && left >= 12 ? Math.min(10, left - 8) : 0;
  left -= chartRows ? chartRows + 2 : 0;
  const failingRows = Math.min(Math.max(0, Math.ceil(left / 2)), (r.failing.length || 0) + 1);
  left -= failingRows;
  const e = r.engagement;
  const c = r.conversions;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {head}
      {r.metrics.map((m) => (
        <MetricRow key={m.name} m={m} width={width} />
      ))}
      {chartRows > 0 && <Trend r={r} width={Math.min(width, 120)} height={chartRows} />}
      <Failing r={r} rows={failingRows} />
      <Segments r={r} rows={left} />
      {footer > 0 && (
        <Box flexDirection="column">
          <Text wrap="truncate">
            <Text bold>Engagement</Text> {e.sessions} sessions · {e.pageviewsPerSession?.toFixed(1) ?? '–'} pages each · {e.interactions}{' '}
            interactions · {Math.round(e.visibleMs / 60_000)} min visible
          </Text>
          <Text wrap="truncate">
            <Text bold>Conversions</Text> {c.count} · {c.rate === null ? '–' : `${(c.rate * 100).toFixed(1)}% of sessions`}
            {c.byVersion.slice(0, 3).map((v) => (
              <Text key={v.value} dimColor>
                {' '}
                · {v.value} {v.rate === null ? '–' : `${(v.rate * 100).toFixed(1)}%`}
              </Text>
            ))}
          </Text>
        </Box>
      )}
    </Box>
  );
}

export const rumScreen: ScreenDefinition = { id: 'rum', title: 'RUM', keys: rumKeys, Component: Rum };
