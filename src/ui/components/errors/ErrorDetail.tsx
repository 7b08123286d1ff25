// One error group in full: what it is and how much at the top, then the latest event's stack
// innermost first (the app's own frames marked › with the line of source they point at, the
// library frames dimmed and long runs of them folded), the event's message, user and url, its
// tags, the releases and environments it was seen in, and its trend as a chart. The rows below
// the top scroll (j/k) and stop at the last one (detailLayout in view.ts is what is drawn).
import { Box, Text } from 'ink';
import type { GroupRow } from '../../../core/errors/report.js';
import { detailLayout, type Row } from './view.js';

function Line({ row }: { row: Row }) {
  return (
    <Text wrap="truncate">
      {row.length === 0
        ? ' '
        : row.map((s, i) => (
            <Text key={i} color={s.color} bold={s.bold} dimColor={s.dim}>
              {s.text}
            </Text>
          ))}
    </Text>
  );
}

export function ErrorDetail(props: {
  group: GroupRow;
  notInApp: readonly string[];
  now: number;
  scroll: number;
  width: number;
  height: number;
}) {
  const { width, height } = props;
  const d = detailLayout(props.group, props);
  const shown = d.body.slice(d.scroll, d.scroll + d.visible);
  const below = d.body.length - d.scroll - shown.length;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {d.head.map((row, i) => (
        <Line key={`h${i}`} row={row} />
      ))}
      <Box flexDirection="column" height={d.visible} overflow="hidden">
        {shown.map((row, i) => (
          <Line key={d.scroll + i} row={row} />
        ))}
      </Box>
      <Text dimColor wrap="truncate">
        {d.scrollLimit > 0
          ? `esc back · j/k scroll · ${d.scroll + 1}-${d.scroll + shown.length} of ${d.body.length}${below > 0 ? ` · ↓ ${below} more` : ''}`
          : 'esc back to the list'}
      </Text>
    </Box>
  );
}
