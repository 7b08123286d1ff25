// The error groups as one table, a row each, scrolled so the selected row stays in view: short
// id, events, users, last seen, category, the trend as a sparkline, and the title with its
// markers (regressed, new, resolved, ignored). Columns give way on a narrow terminal — the trend
// is halved, then the category shortened, then both dropped — so the title keeps room to be read.
import { Text } from 'ink';
import type { Category } from '../../../core/errors/event.js';
import type { GroupRow } from '../../../core/errors/report.js';
import { shortId } from '../../../core/errors/view.js';
import type { ErrorSort } from '../../../store/errorsSlice.js';
import { formatAgo } from '../../format.js';
import { ColumnList, type ListColumn } from '../TableCells.js';
import { countText, LEVEL_COLOUR, markersOf, trendText, usersText } from './view.js';

type Column = ListColumn<GroupRow>;

const SHORT_CATEGORY: Record<Category, string> = { javascript: 'js', network: 'net', security: 'sec', business: 'biz' };

/** The columns for `width`: the title takes what the others leave. */
export function errorColumns(width: number, sort: ErrorSort, now: number, trendCells: number): Column[] {
  const arrow = (s: ErrorSort, title: string) => (s === sort ? `${title}▼` : title);
  const right = (text: string, w: number) => text.padStart(w - 1);
  const cols: Column[] = [
    { title: 'ID', width: 9, cell: (g) => <Text bold>{shortId(g.id)}</Text> },
    { title: arrow('count', 'EVENTS'), width: 8, cell: (g) => right(countText(g.count), 8) },
    { title: arrow('users', 'USERS'), width: 7, cell: (g) => right(usersText(g), 7) },
    // narrow: `31s`, `4m`, `2h` under SEEN, as k9s shows an age
    width >= 100
      ? { title: arrow('lastSeen', 'LAST SEEN'), width: 11, cell: (g) => right(formatAgo(now - g.lastSeen), 11) }
      : { title: arrow('lastSeen', 'SEEN'), width: 6, cell: (g) => right(formatAgo(now - g.lastSeen).replace(' ago', ''), 6) },
  ];
  if (width >= 130) cols.push({ title: arrow('firstSeen', 'FIRST SEEN'), width: 12, cell: (g) => right(formatAgo(now - g.firstSeen), 12) });
  if (width >= 110) cols.push({ title: 'CATEGORY', width: 11, cell: (g) => g.category });
  else if (width >= 70) cols.push({ title: 'CAT', width: 4, cell: (g) => SHORT_CATEGORY[g.category] });
  if (trendCells > 0)
    cols.push({ title: 'TREND', width: trendCells + 1, cell: (g) => <Text color="cyan">{trendText(g.trend, trendCells)}</Text> });
  const used = 2 + cols.reduce((s, c) => s + c.width, 0);
  cols.push({
    title: 'TITLE',
    width: Math.max(0, width - used),
    cell: (g) => (
      <Text>
        {markersOf(g).map((m) => (
          <Text key={m.word} color={m.colour} bold>
            {m.word}{' '}
          </Text>
        ))}
        <Text color={g.status === 'unresolved' ? LEVEL_COLOUR[g.level] : undefined} dimColor={g.status === 'ignored'}>
          {g.title}
        </Text>
        {width >= 150 && g.culprit ? <Text dimColor>{`  in ${g.culprit}`}</Text> : null}
      </Text>
    ),
  });
  return cols;
}

/** Characters of sparkline a row gets: every bucket on a wide terminal, two a character on a middling one. */
export const trendCellsFor = (width: number, buckets: number) =>
  width >= 120 ? Math.min(buckets, 25) : width >= 70 ? Math.ceil(Math.min(buckets, 25) / 2) : 0;

export function ErrorList(props: {
  groups: readonly GroupRow[];
  cursor: number;
  sort: ErrorSort;
  now: number;
  width: number;
  rows: number;
}) {
  const { groups, cursor, width, rows } = props;
  const cols = errorColumns(width, props.sort, props.now, trendCellsFor(width, groups[0]?.trend.length ?? 0));
  return <ColumnList items={groups} keyOf={(g) => g.id} columns={cols} marked="ID" cursor={cursor} width={width} rows={rows} />;
}
