// The Flags screen: the flags file as a table (state, variants, rollout bar, targeting in
// words), with the selected flag's detail beside it on a wide terminal or below it on a narrow
// one; Enter gives the detail the whole screen. Keys change flags through the same operations
// as `prodx flags …` (src/ui/components/flags/actions.ts).
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { back, moveCursor, nudgeRollout, openDetail, promptEvaluate, ROLLOUT_STEP, toggleSelected } from '../components/flags/actions.js';
import { FlagDetail } from '../components/flags/FlagDetail.js';
import { FlagList } from '../components/flags/FlagList.js';
import type { AuditEntry } from '../../core/flags/types.js';
import { formatTime } from '../format.js';
import type { ScreenDefinition, ScreenKey, ScreenProps } from './types.js';

/** From this width the detail of the selected flag sits beside the table. */
export const SIDE_BY_SIDE = 150;
/** the detail panel's width beside the table: room for the experiment table */
const DETAIL_WIDTH = 86;
const GAP = 2;

/** Every flag's recent changes, newest first: what moved lately, at a glance. */
function RecentChanges({ audit, rows }: { audit: readonly AuditEntry[]; rows: number }) {
  return (
    <Box flexDirection="column" marginTop={1} height={rows + 1} overflow="hidden">
      <Text bold>
        Recent changes <Text dimColor>({audit.length === 0 ? 'none recorded by prodx yet' : 'all flags, newest first'})</Text>
      </Text>
      {audit.slice(0, rows).map((a) => (
        <Text key={`${a.at}-${a.flag}-${a.summary}`} wrap="truncate">
          {formatTime(a.at)} <Text bold>{a.flag}</Text> {a.summary}{' '}
          <Text dimColor>
            by {a.by} in {a.environment}
          </Text>
        </Text>
      ))}
    </Box>
  );
}

function Flags({ ctx, width, height }: ScreenProps) {
  const s = useStore(
    ctx.store,
    useShallow((st) => ({
      source: st.flags.source,
      flags: st.flags.flags,
      cursor: st.flags.cursor,
      detail: st.flags.detail,
      error: st.flags.error,
      audit: st.flags.audit,
      experiments: st.flags.experiments,
      evaluations: st.flags.evaluations,
      lastEvaluation: st.flags.lastEvaluation,
      loadedAt: st.flags.loadedAt,
    })),
  );
  const cursor = Math.min(s.cursor, Math.max(0, s.flags.length - 1));
  const flag = s.flags[cursor];
  const errorRows = s.error ? 2 : 0;
  const errorLine = s.error ? (
    <Box height={2} overflow="hidden">
      <Text color="red" wrap="wrap">
        {s.error}
      </Text>
    </Box>
  ) : null;
  if (!s.source) return <Text dimColor>Reading the flags file…</Text>;
  if (!flag) {
    return (
      <Box flexDirection="column">
        {errorLine}
        <Text dimColor wrap="wrap">
          {s.loadedAt === null
            ? 'The flags file is not loaded yet.'
            : `No flags in ${s.source.file}: add one in flagd's format, e.g. {"flags": {"dark-theme-v2": {…}}}.`}
        </Text>
      </Box>
    );
  }
  const room = height - errorRows;
  const detail = (w: number, h: number) => (
    <FlagDetail
      flag={flag}
      audit={s.audit}
      experiment={s.experiments[flag.key]}
      evaluation={s.lastEvaluation}
      evaluations={s.evaluations[flag.key]}
      width={w}
      height={h}
    />
  );
  if (s.detail) {
    return (
      <Box flexDirection="column">
        {errorLine}
        {detail(width, room)}
      </Box>
    );
  }
  if (width >= SIDE_BY_SIDE) {
    // the detail keeps the width its experiment table needs; the table takes the rest
    const listWidth = Math.min(130, width - DETAIL_WIDTH - GAP);
    const listRows = Math.min(s.flags.length + 1, room);
    const changesRows = room - listRows - 2;
    return (
      <Box flexDirection="column">
        {errorLine}
        <Box columnGap={GAP}>
          <Box flexDirection="column" width={listWidth}>
            <FlagList flags={s.flags} cursor={cursor} width={listWidth} rows={listRows} />
            {changesRows >= 2 ? <RecentChanges audit={s.audit} rows={changesRows} /> : null}
          </Box>
          {detail(width - listWidth - GAP, room)}
        </Box>
      </Box>
    );
  }
  // narrow: the table, and under it as much of the selected flag's detail as fits
  const listRows = Math.max(3, Math.min(s.flags.length + 1, room - 7));
  return (
    <Box flexDirection="column" width={width}>
      {errorLine}
      <FlagList flags={s.flags} cursor={cursor} width={width} rows={listRows} />
      <Box marginTop={1}>{detail(width, room - listRows - 1)}</Box>
    </Box>
  );
}

// labels are short and shared (keys with one label are shown together) so the footer fits 80 columns
const keys: ScreenKey[] = [
  { key: 'up', label: 'move', run: (ctx) => moveCursor(ctx.store, -1) },
  { key: 'down', label: 'move', run: (ctx) => moveCursor(ctx.store, 1) },
  { key: 't', label: 'toggle', run: toggleSelected },
  { key: '+', label: 'rollout', run: (ctx) => nudgeRollout(ctx, ROLLOUT_STEP) },
  { key: '-', label: 'rollout', run: (ctx) => nudgeRollout(ctx, -ROLLOUT_STEP) },
  { key: 'e', label: 'eval', run: promptEvaluate },
  { key: 'enter', label: 'detail', run: (ctx) => openDetail(ctx.store) },
  { key: 'esc', label: 'detail', run: (ctx) => back(ctx.store) },
];

export const flagsScreen: ScreenDefinition = { id: 'flags', title: 'Flags', keys, Component: Flags };
