// A target's probe latency over time, one column per probe, newest at the right, with failed and
// timed-out probes drawn as failures (a red ✗ column) rather than left out. Written by hand:
// asciichart, used for the canary's line charts, cannot mark a missing point or draw a time
// axis, and skipping failures is what made a target that timed out look fast. The window is
// steady (the last probes that fit), the scale ignores the first probe of a series (a cold
// connection) once there are others, and the bottom line is a time axis.
import { Box, Text } from 'ink';
import type { ProbeSample } from '../../store/types.js';

const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export interface ChartModel {
  /** one column per probe shown, oldest first */
  columns: ({ kind: 'ok'; ms: number } | { kind: 'failed' })[];
  /** the top of the scale, ms */
  maxMs: number;
  labelWidth: number;
  /** the time axis: text under the plot, as wide as it */
  axis: string;
  failed: number;
}

const fmtMs = (ms: number) => (ms >= 100 ? `${Math.round(ms)}` : ms >= 10 ? ms.toFixed(0) : ms.toFixed(1));

function ago(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `-${s}s` : `-${Math.round(s / 60)}m`;
}

/** Pure: the columns, the scale and the axis for `width` columns. */
export function chartModel(probes: readonly ProbeSample[], width: number, now: number): ChartModel {
  // the scale is read from what fits at a provisional width; the label grows with the top value
  const shownAt = (w: number) => probes.slice(-Math.max(1, width - w - 1));
  const maxOf = (shown: readonly ProbeSample[]) => {
    const ok = shown.flatMap((p, i) => (p.ms === null ? [] : [{ ms: p.ms, first: probes.length - shown.length + i === 0 }]));
    const scaled = ok.length > 1 ? ok.filter((x) => !x.first) : ok;
    return Math.max(1, ...scaled.map((x) => x.ms));
  };
  const labelWidth = Math.max(6, `${fmtMs(maxOf(shownAt(6)))}ms`.length + 1);
  const shown = shownAt(labelWidth);
  const okMs = shown.flatMap((p, i) => (p.ms === null ? [] : [{ ms: p.ms, first: probes.length - shown.length + i === 0 }]));
  const scaled = okMs.length > 1 ? okMs.filter((x) => !x.first) : okMs;
  const maxMs = Math.max(1, ...scaled.map((x) => x.ms));
  const columns = shown.map((p) => (p.ms === null ? { kind: 'failed' as const } : { kind: 'ok' as const, ms: p.ms }));
  // the axis: "now" under the newest probe, the age of the oldest under the first column
  let axis = '';
  if (shown.length > 0) {
    const oldest = ago(now - shown[0]!.at);
    const pad = Math.max(0, shown.length - oldest.length - 3);
    axis = shown.length >= oldest.length + 4 ? `${oldest}${' '.repeat(pad)}now` : 'now'.padStart(shown.length);
  }
  return { columns, maxMs, labelWidth, axis, failed: shown.filter((p) => p.ms === null).length };
}

/** The plot's rows, top first: each a string of block characters, failures as ✗ in the bottom row. */
export function plotRows(m: ChartModel, height: number): { text: string; failedAt: number[] }[] {
  const rows: { text: string; failedAt: number[] }[] = [];
  for (let r = height - 1; r >= 0; r--) {
    let text = '';
    const failedAt: number[] = [];
    m.columns.forEach((c, i) => {
      if (c.kind === 'failed') {
        text += r === 0 ? '✗' : ' ';
        if (r === 0) failedAt.push(i);
        return;
      }
      // eighths of a row, clamped: a probe above the scale (the cold first one) fills the column
      const eighths = Math.max(1, Math.round((Math.min(c.ms, m.maxMs) / m.maxMs) * height * 8));
      const here = Math.max(0, Math.min(8, eighths - r * 8));
      text += BLOCKS[here]!;
    });
    rows.push({ text, failedAt });
  }
  return rows;
}

export function LatencyChart({
  probes,
  width,
  height,
  now,
}: {
  probes: readonly ProbeSample[];
  width: number;
  height: number;
  now: number;
}) {
  if (probes.length === 0)
    return (
      <Text dimColor wrap="truncate">
        waiting for the first probe…
      </Text>
    );
  const m = chartModel(probes, width, now);
  const rows = plotRows(m, Math.max(1, height));
  return (
    <Box flexDirection="column" width={width} overflow="hidden">
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate">
          <Text dimColor>{(i === 0 ? `${fmtMs(m.maxMs)}ms` : i === rows.length - 1 ? '0' : '').padStart(m.labelWidth - 1)} ┤</Text>
          {row.failedAt.length === 0 ? (
            <Text color="cyan">{row.text}</Text>
          ) : (
            [...row.text].map((ch, j) => (
              <Text key={j} color={ch === '✗' ? 'red' : 'cyan'}>
                {ch}
              </Text>
            ))
          )}
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        {' '.repeat(m.labelWidth)}
        {m.axis}
      </Text>
    </Box>
  );
}
