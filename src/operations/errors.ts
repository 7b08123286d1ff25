// Errors verbs: the report of groups, one group in detail, resolve and ignore. The collector that
// ingests them is shared with RUM (operations/rum.ts `collect`); the store is
// src/adapters/events/errorStore.ts, the rules are src/core/errors.
import { ProdxError } from '../core/errors.js';
import { CATEGORIES, type Category, type GroupedEvent } from '../core/errors/event.js';
import { buildErrorsReport, groupsNamed, type ErrorsReport, type GroupRow, type GroupStatusName } from '../core/errors/report.js';
import { HOUR_MS } from '../core/rum/rollup.js';
import { eventsOf, errorsDirOf, readErrors, readStatuses, writeStatuses } from '../adapters/events/errorStore.js';
import { actorName } from '../adapters/actor.js';
import type { OperationContext } from './context.js';
import { reportWindow, type ReportQuery } from './rum.js';

export interface ErrorsQuery extends Pick<ReportQuery, 'window' | 'since' | 'until'> {
  release?: string;
  category?: string;
}

/** every hour of the retention: first seen, releases and regressions need the history */
function history(ctx: OperationContext, now: number) {
  return readErrors(errorsDirOf(ctx.stateDir), now - ctx.config.errors.retentionDays * 86_400_000 - HOUR_MS, now + HOUR_MS);
}

export function errorsReport(ctx: OperationContext, q: ErrorsQuery, now = Date.now()): ErrorsReport {
  if (q.category !== undefined && !(CATEGORIES as readonly string[]).includes(q.category))
    throw new ProdxError('usage', `--category is one of ${CATEGORIES.join(', ')}, got "${q.category}".`);
  const w = reportWindow(q, now);
  return buildErrorsReport(history(ctx, now), readStatuses(ctx.stateDir), w, {
    ...(q.release !== undefined ? { release: q.release } : {}),
    ...(q.category !== undefined ? { category: q.category as Category } : {}),
  });
}

/** a group by its id or a unique prefix of six characters or more (as git takes commits) */
function findGroup(report: ErrorsReport, id: string, days: number): GroupRow {
  if (!/^[0-9a-f]{6,32}$/.test(id.trim().toLowerCase()))
    throw new ProdxError('usage', `"${id}" is not a group id: give the id from \`prodx errors report\` (six characters or more).`);
  const found = groupsNamed(report.groups, id);
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new ProdxError(
      'usage',
      `"${id}" matches ${found.length} groups (${found.map((g) => g.id.slice(0, 12)).join(', ')}): give more of the id.`,
    );
  throw new ProdxError('not-found', `no error group ${id} in the last ${days} days: \`prodx errors report --window 28d\` lists them.`);
}

export interface GroupDetail {
  group: GroupRow;
  /** the newest events of the group, newest first */
  events: GroupedEvent[];
}

export function errorsShow(ctx: OperationContext, id: string, now = Date.now(), limit = 5): GroupDetail {
  const days = ctx.config.errors.retentionDays;
  const report = errorsReport(ctx, { since: now - days * 86_400_000, until: now }, now);
  const group = findGroup(report, id, days);
  const events = eventsOf(errorsDirOf(ctx.stateDir), group.id, now - days * 86_400_000 - HOUR_MS, now + HOUR_MS, limit);
  return { group, events };
}

export interface StatusChange {
  group: string;
  title: string;
  from: GroupStatusName;
  to: GroupStatusName;
  release: string;
}

/** resolve, ignore or reopen a group; resolving remembers the newest release, for regressions */
export function setErrorStatus(ctx: OperationContext, id: string, to: GroupStatusName, now = Date.now()): StatusChange {
  const days = ctx.config.errors.retentionDays;
  const report = errorsReport(ctx, { since: now - days * 86_400_000, until: now }, now);
  const group = findGroup(report, id, days);
  const statuses = readStatuses(ctx.stateDir);
  const release = to === 'resolved' ? (report.latestRelease ?? '') : '';
  if (to === 'unresolved') delete statuses[group.id];
  else statuses[group.id] = { status: to, at: now, release, by: actorName() };
  writeStatuses(ctx.stateDir, statuses);
  return { group: group.id, title: group.title, from: group.status, to, release };
}
