// The Errors screen: the error groups of the last 24 hours from the collector's rollups (the
// same report as `prodx errors report`), as Sentry's issue list and k9s show theirs — a row per
// group with its short id, events, users, last seen, category, trend and title, regressed / new /
// resolved / ignored marked — under the newest release and what is new or regressed in it.
// `o` orders the list, `/` filters it (title and culprit), Enter opens a group in full (stack,
// event, tags, releases, environments, trend chart), x / i / u resolve, ignore and reopen it
// after a confirm naming it, Esc goes back (src/ui/verbs/errors.ts).
import { Box, Text } from 'ink';
import type { ErrorsReport, GroupRow } from '../../core/errors/report.js';
import { shortId } from '../../core/errors/view.js';
import { ErrorDetail } from '../components/errors/ErrorDetail.js';
import { ErrorList } from '../components/errors/ErrorList.js';
import { openGroup, SORT_WORDS, WINDOW_WORDS } from '../components/errors/view.js';
import { useAppState } from '../hooks/useAppState.js';
import { listValues } from '../verbs/lists.js';
import { errorsKeys } from '../verbs/table.js';
import type { ScreenDefinition, ScreenProps } from './types.js';

const pct = (x: number) => `${(x * 100).toFixed(x >= 0.9995 ? 0 : 1)}%`;

/** The newest release, and what is new in it or came back in it. */
function ReleaseLine({ r }: { r: ErrorsReport }) {
  if (!r.latestRelease) return null;
  const health = r.releases[r.latestRelease];
  const ids = (list: readonly string[]) =>
    list.length ? ` (${list.slice(0, 3).map(shortId).join(', ')}${list.length > 3 ? ', …' : ''})` : '';
  return (
    <Text wrap="truncate">
      <Text bold>Newest release {r.latestRelease}</Text>
      {' · '}
      <Text color={r.newInLatest.length ? 'yellow' : undefined} bold={r.newInLatest.length > 0}>
        {r.newInLatest.length} new{ids(r.newInLatest)}
      </Text>
      {' · '}
      <Text color={r.regressed.length ? 'red' : undefined} bold={r.regressed.length > 0}>
        {r.regressed.length} regressed{ids(r.regressed)}
      </Text>
      {health?.crashFree != null ? <Text dimColor> · {pct(health.crashFree)} crash-free sessions</Text> : null}
    </Text>
  );
}

/** One row per group new or regressed in the newest release, with its title: what to look at first. */
function CallOuts({ r, rows }: { r: ErrorsReport; rows: number }) {
  const byId = new Map(r.groups.map((g) => [g.id, g]));
  const items = [
    ...r.regressed.map((id) => ({ id, word: 'regressed', colour: 'red' })),
    ...r.newInLatest.filter((id) => !r.regressed.includes(id)).map((id) => ({ id, word: 'new', colour: 'yellow' })),
  ].slice(0, rows);
  return (
    <>
      {items.map((c) => (
        <Text key={c.id} wrap="truncate">
          {'  '}
          <Text color={c.colour} bold>
            {c.word.padEnd(10)}
          </Text>
          <Text bold>{shortId(c.id)}</Text> {byId.get(c.id)?.title ?? ''}
        </Text>
      ))}
    </>
  );
}

function Empty({ text }: { text: string }) {
  return (
    <Text dimColor wrap="wrap">
      {text}
    </Text>
  );
}

function Errors({ ctx, width, height }: ScreenProps) {
  const { s, now } = useAppState(ctx, 5000);
  const { report: r, error, loadedAt, sort } = s.errors;
  if (error && !r) return <Text color="red" wrap="wrap">{`cannot read the error events: ${error}`}</Text>;
  if (!r) return <Text dimColor>Reading error events…</Text>;
  const open = openGroup(s);
  if (open)
    return <ErrorDetail group={open} notInApp={s.errors.notInApp} now={now} scroll={s.errors.scroll} width={width} height={height} />;
  const { values: groups, cursor, total } = listValues<GroupRow>('errors', { s, now });
  const head = (
    <Text wrap="truncate">
      <Text bold>Errors</Text> {WINDOW_WORDS} · {r.events.toLocaleString('en-US')} events ·{' '}
      {groups.length === total ? `${total} groups` : `${groups.length} of ${total} groups`} · by {SORT_WORDS[sort]}{' '}
      <Text dimColor>(o)</Text>
      {error ? <Text color="red"> · not read again: {error}</Text> : null}
      {!error && loadedAt !== null && width >= 100 ? (
        <Text dimColor> · read {Math.max(0, Math.round((now - loadedAt) / 1000))}s ago</Text>
      ) : null}
    </Text>
  );
  if (total === 0)
    return (
      <Box flexDirection="column" width={width}>
        {head}
        <Empty
          text={`No errors in the ${WINDOW_WORDS}. Point a Sentry SDK's DSN at the collector (\`prodx errors start\`), or replay the shipped weather app's errors with \`prodx errors simulate\`.`}
        />
      </Box>
    );
  const release = r.latestRelease ? 1 : 0;
  // the groups new or regressed in the newest release, named, where the list keeps room for five
  const calloutRows = Math.max(0, Math.min(3, r.regressed.length + r.newInLatest.length, height - 1 - release - 1 - 5));
  const listRows = height - 1 - release - calloutRows;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {head}
      <ReleaseLine r={r} />
      <CallOuts r={r} rows={calloutRows} />
      {groups.length === 0 ? (
        <Empty text="No group matches the filter: esc clears it." />
      ) : (
        <ErrorList groups={groups} cursor={cursor} sort={sort} now={now} width={width} rows={listRows} />
      )}
    </Box>
  );
}

export const errorsScreen: ScreenDefinition = { id: 'errors', title: 'Errors', keys: errorsKeys, list: () => 'errors', Component: Errors };
