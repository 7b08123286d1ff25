// The Errors screen as data (pure): the groups in the chosen order, the words of their markers,
// and a group's detail as rows of one terminal line each — so the key router can stop a scroll
// at the last row that was drawn (shellLayout.ts) without the render handing anything back.
import { plot } from 'asciichart';
import type { ExceptionValue, Frame, Level } from '../../../core/errors/event.js';
import { isInApp } from '../../../core/errors/grouping.js';
import type { GroupRow } from '../../../core/errors/report.js';
import { shortId, sparkline } from '../../../core/errors/view.js';
import type { ErrorSort } from '../../../store/errorsSlice.js';
import type { AppState } from '../../../store/types.js';
import { formatAgo, formatTime, wrapWords } from '../../format.js';

export const SORT_WORDS: Record<ErrorSort, string> = { count: 'events', lastSeen: 'last seen', users: 'users', firstSeen: 'first seen' };

/** The report's window in words: the poller reads the last 24 hours. */
export const WINDOW_WORDS = 'last 24 hours';

const sortKey: Record<ErrorSort, (g: GroupRow) => number> = {
  count: (g) => g.count,
  lastSeen: (g) => g.lastSeen,
  users: (g) => g.users,
  firstSeen: (g) => g.firstSeen,
};

/** Largest first (newest first for the times); ties by events, then the latest seen, then the id. */
export function sortGroups(groups: readonly GroupRow[], sort: ErrorSort): GroupRow[] {
  const key = sortKey[sort];
  return [...groups].sort((a, b) => key(b) - key(a) || b.count - a.count || b.lastSeen - a.lastSeen || a.id.localeCompare(b.id));
}

export interface Marker {
  word: string;
  colour: string;
}

/** regressed, new, resolved, ignored: what a group's row says beside its title */
export function markersOf(g: GroupRow): Marker[] {
  return [
    ...(g.regressed ? [{ word: 'regressed', colour: 'red' }] : []),
    ...(g.isNew ? [{ word: 'new', colour: 'yellow' }] : []),
    ...(g.status === 'resolved' ? [{ word: 'resolved', colour: 'green' }] : []),
    ...(g.status === 'ignored' ? [{ word: 'ignored', colour: 'gray' }] : []),
  ];
}

export const LEVEL_COLOUR: Record<Level, string> = { fatal: 'red', error: 'red', warning: 'yellow', info: 'cyan', debug: 'gray' };

/** `220`, `1.2k`, `34k`: a count in at most five characters */
export function countText(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 100_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 10_000_000) return `${Math.round(n / 1000)}k`;
  return `${Math.round(n / 1_000_000)}M`;
}

export const usersText = (g: GroupRow) => `${countText(g.users)}${g.capped ? '+' : ''}`;

/** The trend in `cells` characters or fewer: neighbouring buckets summed, so it still spans the window. */
export function trendText(trend: readonly number[], cells: number): string {
  if (trend.length <= cells) return sparkline(trend);
  const per = Math.ceil(trend.length / cells);
  const out: number[] = [];
  // summed from the newest end, so the last cell is the current hour and its neighbours
  for (let end = trend.length; end > 0; end -= per) out.unshift(trend.slice(Math.max(0, end - per), end).reduce((a, b) => a + b, 0));
  return sparkline(out);
}

// ---- the detail, one row per terminal line

export interface Seg {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}
export type Row = Seg[];

const seg = (text: string, style: Omit<Seg, 'text'> = {}): Seg => ({ text, ...style });
const LABEL = 14;
const label = (name: string): Seg => seg(name.padEnd(LABEL), { bold: true });
const indent = (): Seg => seg(' '.repeat(LABEL));

/** `items` after `name`, as many a row as fit in `width`, the rest on rows below under them */
function packed(name: string, items: readonly string[], width: number, sep = '  '): Row[] {
  const room = Math.max(10, width - LABEL);
  const rows: string[] = [];
  items.forEach((item, i) => {
    const last = rows.at(-1);
    const text = i < items.length - 1 ? `${item}${sep.trimEnd()}` : item;
    if (last !== undefined && last.length + 1 + text.length <= room)
      rows[rows.length - 1] = `${last}${sep.startsWith(' ') ? sep : ' '}${text}`;
    else rows.push(text);
  });
  return rows.map((r, i) => [i === 0 ? label(name) : indent(), seg(r)]);
}

const where = (f: Frame) =>
  `${f.module ?? f.filename ?? '?'}${f.lineno !== undefined ? `:${f.lineno}` : ''}${f.colno !== undefined ? `:${f.colno}` : ''}`;

/** runs of more frames than this that are not the app's fold into one row */
const FOLD = 3;

function exceptionRows(x: ExceptionValue, notInApp: readonly string[]): Row[] {
  const rows: Row[] = [
    [
      seg(`${x.type ?? 'Error'}${x.value ? `: ${x.value.split('\n', 1)[0]}` : ''}`, { bold: true }),
      ...(x.synthetic ? [seg(' (stack made by the SDK)', { dim: true })] : []),
    ],
  ];
  // innermost first, as a stack trace is read
  const frames = [...x.frames].reverse().map((f) => ({ f, app: isInApp(f, notInApp) }));
  for (let i = 0; i < frames.length;) {
    const { f, app } = frames[i]!;
    if (app) {
      rows.push([seg('  › ', { color: 'yellow', bold: true }), seg(f.function ?? '?', { bold: true }), seg(`  ${where(f)}`)]);
      if (f.context_line?.trim()) rows.push([seg(`      ${f.context_line.trim()}`, { color: 'cyan' })]);
      i++;
      continue;
    }
    let end = i;
    while (end < frames.length && !frames[end]!.app) end++;
    const run = end - i > FOLD ? [frames[i]!] : frames.slice(i, end);
    for (const r of run) rows.push([seg(`    ${r.f.function ?? '?'}  ${where(r.f)}`, { dim: true })]);
    if (end - i > FOLD) rows.push([seg(`    ⋯ ${end - i - 1} more frames not in the app`, { dim: true })]);
    i = end;
  }
  return rows;
}

/** asciichart's lines for the trend, `height` rows tall, fitting `width` */
export function trendChart(trend: readonly number[], width: number, height: number): string[] {
  if (trend.length < 2 || !trend.some((n) => n > 0)) return [];
  const max = Math.max(...trend);
  const format = (x: number) => (max >= height ? String(Math.round(x)) : x.toFixed(1));
  const labelWidth = Math.max(format(max).length, format(0).length);
  const room = width - labelWidth - 2;
  if (room < trend.length) return [];
  const stretch = Math.max(1, Math.min(4, Math.floor(room / trend.length)));
  const points = trend.flatMap((n) => Array<number>(stretch).fill(n));
  return plot(points, { height: Math.max(1, height - 1), min: 0, format: (x) => format(x).padStart(labelWidth) }).split('\n');
}

export interface DetailOptions {
  notInApp: readonly string[];
  now: number;
  width: number;
  height: number;
  scroll: number;
}

export interface DetailLayout {
  /** the rows that stay at the top: title, what it is, how much */
  head: Row[];
  /** the rows that scroll: the stack, the latest event, tags, releases, environments, the trend */
  body: Row[];
  /** rows of the body shown */
  visible: number;
  /** the scroll that shows the last row at the bottom */
  scrollLimit: number;
  /** the scroll as drawn, within 0…scrollLimit */
  scroll: number;
}

/** The chart's height (rows of the plot) for a body `height` tall. */
const chartHeight = (height: number) => Math.max(4, Math.min(10, Math.floor(height / 3)));

export function detailLayout(g: GroupRow, o: DetailOptions): DetailLayout {
  const { now, width } = o;
  const e = g.sample;
  const markers = markersOf(g);
  const head: Row[] = [
    [seg(g.title, { bold: true, color: LEVEL_COLOUR[g.level] })],
    [
      seg(shortId(g.id), { bold: true }),
      ...markers.flatMap((m) => [seg(' · '), seg(m.word, { color: m.colour, bold: true })]),
      seg(` · ${g.status === 'unresolved' && !g.regressed ? 'unresolved · ' : ''}${g.category} · ${g.level}`),
      ...(g.culprit ? [seg(' · in '), seg(g.culprit, { bold: true })] : []),
    ],
    [
      seg(
        `${g.count} events (${WINDOW_WORDS}) · ${usersText(g)} users · ${g.sessions} sessions · first seen ${formatAgo(now - g.firstSeen)} · last seen ${formatAgo(now - g.lastSeen)}`,
      ),
    ],
  ];
  const body: Row[] = [
    [
      seg('Stack', { bold: true }),
      seg(' innermost first · ', { dim: true }),
      seg('›', { color: 'yellow', bold: true }),
      seg(' the app’s own frames', { dim: true }),
    ],
  ];
  const thrown = e.exceptions.filter((x) => x.type || x.value || x.frames.length);
  if (thrown.length === 0) body.push([seg('  no stack: the event is a message', { dim: true })]);
  for (const x of thrown) body.push(...exceptionRows(x, o.notInApp));
  body.push([]);
  body.push([
    label('Latest event'),
    seg(`${formatTime(e.ts)} (${formatAgo(now - e.ts)}) · release ${e.release || '–'} · ${e.environment || '–'} · ${e.source}`),
  ]);
  const textWidth = Math.max(10, width - LABEL);
  if (e.message?.trim()) {
    const lines = e.message
      .trim()
      .split('\n')
      .flatMap((l) => wrapWords(l, textWidth));
    const shown = lines.slice(0, 3);
    if (lines.length > 3) shown[2] = `${shown[2]!.slice(0, Math.max(0, textWidth - 1))}…`;
    shown.forEach((l, i) => body.push([i === 0 ? label('  message') : indent(), seg(l)]));
  }
  if (e.user) body.push([label('  user'), seg(e.user)]);
  if (e.url) body.push([label('  url'), seg(e.url)]);
  const tags = Object.entries(e.tags).map(([k, v]) => `${k}=${v}`);
  if (tags.length) body.push(...packed('Tags', tags, width));
  body.push(
    ...packed(
      'Releases',
      g.releases.map((r) => r || '(none)'),
      width,
      ', ',
    ),
  );
  if (g.firstRelease) body.push([indent(), seg(`first seen in ${g.firstRelease}`, { dim: true })]);
  body.push(
    ...packed(
      'Environments',
      Object.entries(g.environments)
        .sort((a, b) => b[1] - a[1])
        .map(([env, n]) => `${env || '(none)'} ${n}`),
      width,
    ),
  );
  const chart = trendChart(g.trend, Math.min(width, 120), chartHeight(o.height));
  body.push([]);
  body.push([
    seg('Trend', { bold: true }),
    seg(` events per hour, ${WINDOW_WORDS}`, { dim: true }),
    // too narrow for the chart: the sparkline says it in a line
    ...(chart.length ? [] : [seg(`  ${sparkline(g.trend)}`, { color: 'cyan' })]),
  ]);
  for (const line of chart) body.push([seg(line, { color: 'cyan' })]);
  // the last row says where it is and how to move: esc, j/k
  const visible = Math.max(1, o.height - head.length - 1);
  const scrollLimit = Math.max(0, body.length - visible);
  return { head, body, visible, scrollLimit, scroll: Math.max(0, Math.min(o.scroll, scrollLimit)) };
}

/** The group whose detail is open, if it is still in the report. */
export function openGroup(s: AppState): GroupRow | null {
  const id = s.errors.detail;
  if (!id) return null;
  return s.errors.report?.groups.find((g) => g.id === id) ?? null;
}

/** How far the open detail scrolls in a body of `width` × `height`; 0 when none is open. */
export function detailScrollLimit(s: AppState, now: number, width: number, height: number): number {
  const g = openGroup(s);
  if (!g) return 0;
  return detailLayout(g, { notInApp: s.errors.notInApp, now, width, height, scroll: 0 }).scrollLimit;
}
