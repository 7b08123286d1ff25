// Mergeable rollups of error events (DESIGN.md "Where data lives"): per hour and per group, what
// a report and the Errors screen need — count, users and sessions affected (exact sets, capped),
// first and last seen, the releases and environments it was seen in, one sample event — plus the
// release health the SDKs send (`session` and `sessions` items) and the client reports' drop
// counts. Everything merges by addition, union, min and max, so hours and collectors combine in
// any order.
import type { Category, GroupedEvent, Level } from './event.js';
import { LEVELS } from './event.js';

/** distinct users and sessions kept per group and hour; past it the set stops growing (`capped`) */
export const MAX_IDS = 1_000;

export interface ReleaseSeen {
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export interface GroupHourJson {
  title: string;
  culprit: string;
  category: Category;
  /** the most severe level seen */
  level: Level;
  groupedBy: GroupedEvent['groupedBy'];
  count: number;
  firstSeen: number;
  lastSeen: number;
  users: string[];
  sessions: string[];
  /** a set reached MAX_IDS: the number is "at least" */
  capped: boolean;
  releases: Record<string, ReleaseSeen>;
  environments: Record<string, number>;
  /** the latest event of the group in this hour */
  sample: GroupedEvent;
}

export interface SessionCounts {
  /** sessions that ended (ok or exited), errored, crashed, abnormal */
  total: number;
  errored: number;
  crashed: number;
  abnormal: number;
}

export interface ErrorsHourJson {
  v: 1;
  hour: number;
  events: number;
  groups: Record<string, GroupHourJson>;
  /** release health by release: crash-free sessions feed the dashboard */
  sessions: Record<string, SessionCounts>;
  /** client_report items: events the SDK dropped before sending, by reason */
  dropped: Record<string, number>;
}

const severity = (l: Level) => LEVELS.indexOf(l);

/** the users and sessions of a group as Sets beside its lists, so a lookup is not a scan */
const lookups = new WeakMap<GroupHourJson, { users: Set<string>; sessions: Set<string> }>();
function setsOf(g: GroupHourJson) {
  let s = lookups.get(g);
  if (!s) lookups.set(g, (s = { users: new Set(g.users), sessions: new Set(g.sessions) }));
  return s;
}

function addId(g: GroupHourJson, key: 'users' | 'sessions', id: string): void {
  if (!id) return;
  const have = setsOf(g)[key];
  if (have.has(id)) return;
  if (have.size >= MAX_IDS) g.capped = true;
  else {
    have.add(id);
    g[key].push(id);
  }
}

function mergeGroup(into: GroupHourJson, g: GroupHourJson): void {
  into.count += g.count;
  if (g.firstSeen < into.firstSeen) into.firstSeen = g.firstSeen;
  if (g.lastSeen >= into.lastSeen) {
    into.lastSeen = g.lastSeen;
    into.sample = g.sample;
    into.title = g.title;
    into.culprit = g.culprit;
    into.category = g.category;
  }
  if (severity(g.level) < severity(into.level)) into.level = g.level;
  if (g.capped) into.capped = true;
  for (const id of g.users) addId(into, 'users', id);
  for (const id of g.sessions) addId(into, 'sessions', id);
  for (const [r, s] of Object.entries(g.releases)) {
    const known = into.releases[r];
    if (!known) into.releases[r] = { ...s };
    else {
      known.count += s.count;
      known.firstSeen = Math.min(known.firstSeen, s.firstSeen);
      known.lastSeen = Math.max(known.lastSeen, s.lastSeen);
    }
  }
  for (const [env, n] of Object.entries(g.environments)) into.environments[env] = (into.environments[env] ?? 0) + n;
}

/** One or more hours of error events, merged. */
export class ErrorsRollup {
  events = 0;
  groups = new Map<string, GroupHourJson>();
  sessions = new Map<string, SessionCounts>();
  dropped = new Map<string, number>();

  constructor(readonly hour: number) {}

  add(e: GroupedEvent): void {
    this.events++;
    const known = this.groups.get(e.group);
    if (!known) {
      this.groups.set(e.group, {
        title: e.title,
        culprit: e.culprit,
        category: e.category,
        level: e.level,
        groupedBy: e.groupedBy,
        count: 1,
        firstSeen: e.ts,
        lastSeen: e.ts,
        users: e.user ? [e.user] : [],
        sessions: e.session ? [e.session] : [],
        capped: false,
        releases: { [e.release]: { count: 1, firstSeen: e.ts, lastSeen: e.ts } },
        environments: { [e.environment]: 1 },
        sample: e,
      });
    } else {
      // the cheap path of mergeGroup for one event
      known.count++;
      if (e.ts < known.firstSeen) known.firstSeen = e.ts;
      if (e.ts >= known.lastSeen) {
        known.lastSeen = e.ts;
        known.sample = e;
        known.title = e.title;
        known.culprit = e.culprit;
        known.category = e.category;
      }
      if (severity(e.level) < severity(known.level)) known.level = e.level;
      addId(known, 'users', e.user);
      addId(known, 'sessions', e.session);
      const r = known.releases[e.release];
      if (!r) known.releases[e.release] = { count: 1, firstSeen: e.ts, lastSeen: e.ts };
      else {
        r.count++;
        r.firstSeen = Math.min(r.firstSeen, e.ts);
        r.lastSeen = Math.max(r.lastSeen, e.ts);
      }
      known.environments[e.environment] = (known.environments[e.environment] ?? 0) + 1;
    }
  }

  addSessions(release: string, c: SessionCounts): void {
    const s = this.sessions.get(release) ?? { total: 0, errored: 0, crashed: 0, abnormal: 0 };
    s.total += c.total;
    s.errored += c.errored;
    s.crashed += c.crashed;
    s.abnormal += c.abnormal;
    this.sessions.set(release, s);
  }

  addDropped(reason: string, n: number): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + n);
  }

  merge(j: ErrorsHourJson): void {
    this.events += j.events;
    for (const [id, g] of Object.entries(j.groups)) {
      const known = this.groups.get(id);
      if (!known)
        this.groups.set(id, {
          ...g,
          users: [...g.users],
          sessions: [...g.sessions],
          releases: Object.fromEntries(Object.entries(g.releases).map(([r, s]) => [r, { ...s }])),
          environments: { ...g.environments },
        });
      else mergeGroup(known, g);
    }
    for (const [r, c] of Object.entries(j.sessions)) this.addSessions(r, c);
    for (const [reason, n] of Object.entries(j.dropped)) this.addDropped(reason, n);
  }

  toJson(): ErrorsHourJson {
    return {
      v: 1,
      hour: this.hour,
      events: this.events,
      groups: Object.fromEntries(this.groups),
      sessions: Object.fromEntries(this.sessions),
      dropped: Object.fromEntries(this.dropped),
    };
  }
}
