// The Flags screen: the flags file as a table (state, variants, rollout bar, targeting in
// words), with the selected flag's detail beside it on a wide terminal or below it on a narrow
// one; Enter gives the detail the whole screen. Keys change flags through the same operations
// as `prodx flags …` (src/ui/verbs/flags.ts).
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { FlagDetail } from '../components/flags/FlagDetail.js';
import { FlagList } from '../components/flags/FlagList.js';
import type { AuditEntry } from '../../core/flags/types.js';
import { formatTime } from '../format.js';
import { useNow } from '../hooks/useNow.js';
import type { FlagSummary } from '../../core/flags/types.js';
import { listValues } from '../verbs/lists.js';
import { flagsKeys } from '../verbs/table.js';
import type { ScreenDefinition, ScreenProps } from './types.js';

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
      all: st.flags.flags,
      lists: st.lists,
      state: st,
      detail: st.flags.detail,
      error: st.flags.error,
      audit: st.flags.audit,
      experiments: st.flags.experiments,
      evaluations: st.flags.evaluations,
      lastEvaluation: st.flags.lastEvaluation,
      loadedAt: st.flags.loadedAt,
    })),
  );
  const now = useNow(5000);
  const shown = listValues<FlagSummary>('flags', { s: s.state, now });
  const flags = shown.values;
  const cursor = shown.cursor;
  const flag = flags[cursor];
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
            : s.all.length > 0
              ? 'No flag matches the filter: esc clears it.'
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
    const listRows = Math.min(flags.length + 1, room);
    const changesRows = room - listRows - 2;
    return (
      <Box flexDirection="column">
        {errorLine}
        <Box columnGap={GAP}>
          <Box flexDirection="column" width={listWidth}>
            <FlagList flags={flags} cursor={cursor} width={listWidth} rows={listRows} />
            {changesRows >= 2 ? <RecentChanges audit={s.audit} rows={changesRows} /> : null}
          </Box>
          {detail(width - listWidth - GAP, room)}
        </Box>
      </Box>
    );
  }
  // narrow: the table, and under it as much of the selected flag's detail as fits
  const listRows = Math.max(3, Math.min(flags.length + 1, room - 7));
  return (
    <Box flexDirection="column" width={width}>
      {errorLine}
      <FlagList flags={flags} cursor={cursor} width={width} rows={listRows} />
      <Box marginTop={1}>{detail(width, room - listRows - 1)}</Box>
    </Box>
  );
}

export const flagsScreen: ScreenDefinition = { id: 'flags', title: 'Flags', keys: flagsKeys, list: () => 'flags', Component: Flags };
