// The Errors screen's verbs: the order of the list (o), and a group's status — resolve (x),
// ignore (i), reopen (u) — through the same operation as `prodx errors resolve|ignore|reopen`.
// A status change asks first, naming the group and what changes, and then acts on the group it
// named, whatever the list shows by then.
import { failsGate, groupsNamed, type GroupRow, type GroupStatusName } from '../../core/errors/report.js';
import { shortId } from '../../core/errors/view.js';
import { nextSort } from '../../store/errorsSlice.js';
import { openGroup, SORT_WORDS, WINDOW_WORDS } from '../components/errors/view.js';
import { cursorOf, listRowsOf } from './lists.js';
import type { Confirm, Verb, VerbState } from './types.js';

/** The group the keys act on: the open detail's, else the selected row's. */
export function selectedGroup(v: VerbState): GroupRow | null {
  const open = openGroup(v.s);
  if (open) return open;
  const rows = listRowsOf('errors', v);
  return (rows[cursorOf('errors', v)]?.value as GroupRow | undefined) ?? null;
}

/** Why there is no group to act on, or null. */
function noGroups({ s }: VerbState): string | null {
  const { report, error } = s.errors;
  if (!report) return error ? `the errors cannot be read: ${error}` : 'the errors report is not read yet';
  return report.groups.length === 0 ? `no error group in the ${WINDOW_WORDS}` : null;
}

/** The group `id` names (the whole id or a prefix), else the selected one; or why there is none. */
function targetOf(args: readonly string[], v: VerbState): GroupRow | string {
  const none = noGroups(v);
  if (none) return none;
  const [id] = args;
  if (!id) return selectedGroup(v) ?? 'no group matches the filter: esc clears it';
  const found = groupsNamed(v.s.errors.report!.groups, id);
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    return `"${id}" matches ${found.length} groups (${found.map((g) => shortId(g.id)).join(', ')}): give more of the id`;
  return `no error group ${id} in the ${WINDOW_WORDS}`;
}

interface Change {
  name: string;
  key: string;
  label: string;
  summary: string;
  /** why the group cannot change this way, or null */
  refuse(g: GroupRow): string | null;
  lines(g: GroupRow, latest: string | null): string[];
}

/** what the change does to the release gate, in words, when it changes anything */
const gate = (g: GroupRow, again: boolean) =>
  failsGate({ ...g, status: 'unresolved' })
    ? [`the release gate (\`prodx errors report\`) ${again ? 'fails on it again' : 'stops failing on it'}`]
    : [];

const CHANGES: Record<GroupStatusName, Change> = {
  resolved: {
    name: 'errors-resolve',
    key: 'x',
    label: 'resolve',
    summary: 'resolve the selected group: fixed; seen again in a newer release, it comes back as a regression',
    refuse: (g) => (g.status === 'resolved' ? `${shortId(g.id)} is already resolved` : null),
    lines: (g, latest) => [
      `status  ${g.status} → resolved${latest ? ` in ${latest}` : ''}`,
      latest
        ? `seen again in a release newer than ${latest}, it comes back as a regression`
        : 'seen again from now on, it comes back as a regression',
      ...gate(g, false),
    ],
  },
  ignored: {
    name: 'errors-ignore',
    key: 'i',
    label: 'ignore',
    summary: 'ignore the selected group: it stays listed, marked ignored, and no release reopens it',
    refuse: (g) => (g.status === 'ignored' ? `${shortId(g.id)} is already ignored` : null),
    lines: (g) => [`status  ${g.status} → ignored`, 'it stays in the list, marked ignored; no release reopens it', ...gate(g, false)],
  },
  unresolved: {
    name: 'errors-reopen',
    key: 'u',
    label: 'reopen',
    summary: 'reopen the selected group that was resolved or ignored',
    refuse: (g) => (g.status === 'unresolved' ? `${shortId(g.id)} is open: nothing to reopen` : null),
    lines: (g) => [`status  ${g.status} → unresolved`, ...gate(g, true)],
  },
};

function statusVerb(to: GroupStatusName): Verb {
  const c = CHANGES[to];
  const check = (args: readonly string[], v: VerbState) => {
    const g = targetOf(args, v);
    return typeof g === 'string' ? g : c.refuse(g);
  };
  return {
    name: c.name,
    group: 'Errors',
    summary: c.summary,
    args: [{ name: 'group', required: false, complete: (v) => (v.s.errors.report?.groups ?? []).map((g) => shortId(g.id)) }],
    disabledReason: noGroups,
    validate: check,
    confirm: (v, args): Confirm | null => {
      const g = targetOf(args, v);
      if (typeof g === 'string') return null;
      const verb = c.label[0]!.toUpperCase() + c.label.slice(1);
      return {
        title: `${verb} error group ${shortId(g.id)}?`,
        lines: [
          g.title,
          `${g.count} events from ${g.users}${g.capped ? '+' : ''} users in the ${WINDOW_WORDS}`,
          ...c.lines(g, v.s.errors.report?.latestRelease ?? null),
        ],
        confirmLabel: c.label,
        // the group that was shown, whatever the list holds when the answer comes
        args: [g.id],
      };
    },
    run: async (ctx, args, v) => {
      const g = targetOf(args, v);
      if (typeof g === 'string') throw new Error(g);
      const words = await ctx.app.setErrorStatus(g.id, to);
      ctx.store.getState().actions.flash('success', words);
    },
  };
}

export const errorsResolveVerb = statusVerb('resolved');
export const errorsIgnoreVerb = statusVerb('ignored');
export const errorsReopenVerb = statusVerb('unresolved');

/** The key of a status change: greyed, saying why, when the selected group cannot change so. */
export const statusKey = (to: GroupStatusName) => {
  const c = CHANGES[to];
  return {
    key: c.key,
    label: c.label,
    verb: c.name,
    disabledReason: (v: VerbState) => {
      const g = selectedGroup(v);
      return g ? c.refuse(g) : null;
    },
  };
};

export const errorsSortVerb: Verb = {
  name: 'errors-sort',
  group: 'Errors',
  summary: `order the groups by the next of: ${Object.values(SORT_WORDS).join(', ')}`,
  disabledReason: ({ s }) => (openGroup(s) ? 'a group is open: esc returns to the list' : null),
  run: (ctx, _args, v) => {
    const { actions } = ctx.store.getState();
    const selected = selectedGroup(v);
    actions.updateErrors({ sort: nextSort(v.s.errors.sort) });
    // the selected group stays selected in its new place
    const after = { s: ctx.store.getState(), now: v.now };
    const at = listRowsOf('errors', after).findIndex((r) => r.key === selected?.id);
    actions.setList('errors', { cursor: Math.max(0, at) });
  },
};
