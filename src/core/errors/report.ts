// The errors report (pure): the groups of a window with their counts, users, sessions, trend and
// status, the way Sentry's issue list shows them. Input is the hourly rollups of the whole
// retention (first seen, the releases a group was seen in and the regression check need its
// history, not only the window's) and the statuses people set; time is an argument.
//
// Status rules (Sentry's): `resolve` remembers the newest release seen at that moment; a
// resolved group seen again in a newer release is a regression — it is unresolved again and
// flagged. A group whose first release is the newest release is "new in <release>".
import type { Category, GroupedEvent, Level } from './event.js';
import type { ErrorsHourJson, SessionCounts } from './rollup.js';
import { ErrorsRollup } from './rollup.js';
import { bucketStarts, type ReportWindow } from '../rum/window.js';

export const STATUSES = ['unresolved', 'resolved', 'ignored'] as const;
export type GroupStatusName = (typeof STATUSES)[number];

export interface GroupStatus {
  status: GroupStatusName;
  /** epoch ms of the change */
  at: number;
  /** the newest release seen when it was resolved ("" when none) */
  release: string;
  by: string;
}

export interface GroupRow {
  id: string;
  title: string;
  culprit: string;
  category: Category;
  level: Level;
  groupedBy: GroupedEvent['groupedBy'];
  /** events in the window */
  count: number;
  users: number;
  sessions: number;
  /** users or sessions reached the cap of a rollup: "at least" */
  capped: boolean;
  /** over the whole retention */
  firstSeen: number;
  lastSeen: number;
  /** newest first */
  releases: string[];
  firstRelease: string;
  environments: Record<string, number>;
  status: GroupStatusName;
  regressed: boolean;
  /** first seen in the newest release */
  isNew: boolean;
  /** events per bucket of the window */
  trend: number[];
  sample: GroupedEvent;
}

export interface ReleaseHealth extends SessionCounts {
  /** share of sessions that did not crash, 0–1; null without sessions */
  crashFree: number | null;
}

export interface ErrorsReport {
  window: ReportWindow;
  events: number;
  latestRelease: string | null;
  newInLatest: string[];
  regressed: string[];
  groups: GroupRow[];
  releases: Record<string, ReleaseHealth>;
  dropped: Record<string, number>;
}

export interface ReportFilter {
  release?: string;
  category?: Category;
}

/** what fails a release gate (`prodx errors report`'s exit code): an unresolved group new in, or regressed into, the newest release */
export const failsGate = (g: Pick<GroupRow, 'status' | 'isNew' | 'regressed'>): boolean =>
  g.status === 'unresolved' && (g.isNew || g.regressed);

/** the groups an id names: the whole id or a prefix (as git takes commits), any case */
export const groupsNamed = (groups: readonly GroupRow[], id: string): GroupRow[] => {
  const needle = id.trim().toLowerCase();
  return groups.filter((g) => g.id.startsWith(needle));
};

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/;

/**
 * Release order: semver when both are, prerelease before release; otherwise by first sighting
 * (the caller's tiebreak). Returns <0 when a is older.
 */
export function compareReleases(a: string, b: string): number | null {
  const x = SEMVER.exec(a);
  const y = SEMVER.exec(b);
  if (!x || !y) return null;
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  if (x[4] === y[4]) return 0;
  if (x[4] === undefined) return 1;
  if (y[4] === undefined) return -1;
  return x[4] < y[4] ? -1 : 1;
}

/** a release sorter: semver order where it applies, else first seen */
function releaseOrder(firstSeen: Map<string, number>) {
  return (a: string, b: string) => compareReleases(a, b) ?? (firstSeen.get(a) ?? 0) - (firstSeen.get(b) ?? 0);
}

/** a resolved group seen, after it was resolved, in a release newer than the newest one then */
function isRegression(releases: Record<string, { lastSeen: number }>, st: GroupStatus | undefined): boolean {
  if (st?.status !== 'resolved') return false;
  return Object.entries(releases).some(
    ([r, s]) => s.lastSeen > st.at && (st.release === '' || (compareReleases(r, st.release) ?? (r === st.release ? 0 : 1)) > 0),
  );
}

export function buildErrorsReport(
  hours: readonly ErrorsHourJson[],
  statuses: Readonly<Record<string, GroupStatus>>,
  w: ReportWindow,
  filter: ReportFilter = {},
): ErrorsReport {
  const all = new ErrorsRollup(0);
  const inWindow = new ErrorsRollup(w.from);
  const starts = bucketStarts(w);
  const trends = new Map<string, number[]>();
  const releaseCounts = new Map<string, Map<string, number>>();
  for (const h of hours) {
    all.merge(h);
    if (h.hour < w.from || h.hour >= w.until) continue;
    inWindow.merge(h);
    const b = Math.min(starts.length - 1, Math.floor((h.hour - w.from) / w.bucketMs));
    for (const [id, g] of Object.entries(h.groups)) {
      let t = trends.get(id);
      if (!t) trends.set(id, (t = starts.map(() => 0)));
      t[b]! += g.count;
      let rc = releaseCounts.get(id);
      if (!rc) releaseCounts.set(id, (rc = new Map()));
      for (const [r, s] of Object.entries(g.releases)) rc.set(r, (rc.get(r) ?? 0) + s.count);
    }
  }
  // every release with its first sighting, newest last
  const firstSeen = new Map<string, number>();
  for (const g of all.groups.values())
    for (const [r, s] of Object.entries(g.releases)) firstSeen.set(r, Math.min(firstSeen.get(r) ?? Infinity, s.firstSeen));
  for (const r of all.sessions.keys()) if (!firstSeen.has(r)) firstSeen.set(r, Infinity);
  const order = releaseOrder(firstSeen);
  const known = [...firstSeen.keys()].filter((r) => r !== '' && r !== 'unknown').sort(order);
  const latestRelease = known.at(-1) ?? null;

  const rows: GroupRow[] = [];
  for (const [id, g] of inWindow.groups) {
    const history = all.groups.get(id)!;
    const releases = Object.keys(history.releases).sort(order).reverse();
    const firstRelease = [...releases].sort((a, b) => history.releases[a]!.firstSeen - history.releases[b]!.firstSeen)[0] ?? '';
    const st = statuses[id];
    const regressed = isRegression(history.releases, st);
    const status: GroupStatusName = regressed ? 'unresolved' : (st?.status ?? 'unresolved');
    const count = filter.release ? (releaseCounts.get(id)?.get(filter.release) ?? 0) : g.count;
    if (filter.release && count === 0) continue;
    if (filter.category && g.category !== filter.category) continue;
    rows.push({
      id,
      title: g.title,
      culprit: g.culprit,
      category: g.category,
      level: g.level,
      groupedBy: g.groupedBy,
      count,
      users: g.users.length,
      sessions: g.sessions.length,
      capped: g.capped,
      firstSeen: history.firstSeen,
      lastSeen: history.lastSeen,
      releases,
      firstRelease,
      environments: g.environments,
      status,
      regressed,
      isNew: latestRelease !== null && firstRelease === latestRelease,
      trend: trends.get(id) ?? starts.map(() => 0),
      sample: g.sample,
    });
  }
  rows.sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen || a.id.localeCompare(b.id));
  const releases: Record<string, ReleaseHealth> = {};
  for (const [r, s] of inWindow.sessions) releases[r] = { ...s, crashFree: s.total ? 1 - s.crashed / s.total : null };
  return {
    window: w,
    events: inWindow.events,
    latestRelease,
    newInLatest: rows.filter((r) => r.isNew).map((r) => r.id),
    regressed: rows.filter((r) => r.regressed).map((r) => r.id),
    groups: rows,
    releases,
    dropped: Object.fromEntries(inWindow.dropped),
  };
}
