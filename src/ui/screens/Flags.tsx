// The Flags screen: the flags file as a table (state, variants, rollout bar, targeting in
// words), with the selected flag's detail beside it on a wide terminal or below it on a narrow
// one; Enter gives the detail the whole screen. Keys change flags through the same operations
// as `prodx flags …` (src/ui/verbs/flags.ts).
import { Box, Text } from 'ink';
import { FlagDetail } from '../components/flags/FlagDetail.js';
import { FlagList } from '../components/flags/FlagList.js';
import type { AuditEntry } from '../../core/flags/types.js';
import { formatTime } from '../format.js';
import type { FlagSummary } from '../../core/flags/types.js';
import type { AppState } from '../../store/types.js';
import { listValues } from '../verbs/lists.js';
import { flagsKeys } from '../verbs/table.js';
import { useAppState } from '../hooks/useAppState.js';
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

function ErrorLine({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <Box height={2} overflow="hidden">
      <Text color="red" wrap="wrap">
        {error}
      </Text>
    </Box>
  );
}

/** No flag to show: why (loading, an empty file, a filter that matches none). */
function Empty({ s }: { s: AppState }) {
  const f = s.flags;
  return (
    <Box flexDirection="column">
      <ErrorLine error={f.error} />
      <Text dimColor wrap="wrap">
        {f.loadedAt === null
          ? 'The flags file is not loaded yet.'
          : f.flags.length > 0
            ? 'No flag matches the filter: esc clears it.'
            : `No flags in ${f.source?.file ?? 'the flags file'}: add one in flagd's format, e.g. {"flags": {"dark-theme-v2": {…}}}.`}
      </Text>
    </Box>
  );
}

function Flags({ ctx, width, height }: ScreenProps) {
  const { s, now } = useAppState(ctx, 5000);
  const { values: flags, cursor } = listValues<FlagSummary>('flags', { s, now });
  const flag = flags[cursor];
  const f = s.flags;
  if (!f.source) return <Text dimColor>Reading the flags file…</Text>;
  if (!flag) return <Empty s={s} />;
  const room = height - (f.error ? 2 : 0);
  const detail = (w: number, h: number) => (
    <FlagDetail
      flag={flag}
      audit={f.audit}
      experiment={f.experiments[flag.key]}
      evaluation={f.lastEvaluation}
      evaluations={f.evaluations[flag.key]}
      width={w}
      height={h}
    />
  );
  if (f.detail) {
    return (
      <Box flexDirection="column">
        <ErrorLine error={f.error} />
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
        <ErrorLine error={f.error} />
        <Box columnGap={GAP}>
          <Box flexDirection="column" width={listWidth}>
            <FlagList flags={flags} cursor={cursor} width={listWidth} rows={listRows} />
            {changesRows >= 2 ? <RecentChanges audit={f.audit} rows={changesRows} /> : null}
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
      <ErrorLine error={f.error} />
      <FlagList flags={flags} cursor={cursor} width={width} rows={listRows} />
      <Box marginTop={1}>{detail(width, room - listRows - 1)}</Box>
    </Box>
  );
}

export const flagsScreen: ScreenDefinition = { id: 'flags', title: 'Flags', keys: flagsKeys, list: () => 'flags', Component: Flags };
