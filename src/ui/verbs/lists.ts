// The lists the screens show (deploy history, canary analysis or earlier runs, flags, targets)
// as rows the key router can move through, filter with `/` and open with Enter. Pure: each list
// is built from the store's state; the screens render the same rows, so what Enter opens is the
// row under the cursor.
import { canaryHistory } from '../../core/canary/history.js';
import { resultWords, say } from '../../core/words.js';
import type { HistoryEntry } from '../../core/state/schema.js';
import { analysisRows, clock } from '../components/canary/view.js';
import { sortGroups, usersText } from '../components/errors/view.js';
import { shortId } from '../../core/errors/view.js';
import { formatTime } from '../format.js';
import type { VerbState } from './types.js';
import { currentRun } from './state.js';

export interface ListRow {
  key: string;
  /** what the row shows: a history entry, an analysis row, a flag, a target */
  value: unknown;
  /** what `/` matches against */
  text: string;
  detail(): { title: string; lines: string[] };
}

export type ListId = 'history' | 'analysis' | 'runs' | 'flags' | 'targets' | 'errors';

/** Newest first; ties (same start) keep the later-recorded entry first. */
export function newestFirst(history: readonly HistoryEntry[]): HistoryEntry[] {
  return history
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => b.entry.startedAt - a.entry.startedAt || b.i - a.i)
    .map((x) => x.entry);
}

export const kindOf = (e: HistoryEntry): string =>
  e.kind ?? (e.strategy === 'rollback' ? 'rollback' : e.strategy === 'canary' ? 'canary' : 'deploy');

function historyDetail(e: HistoryEntry): { title: string; lines: string[] } {
  return {
    title: `${kindOf(e)} ${e.version}: ${resultWords(kindOf(e), e.result)}`,
    lines: [
      `how        ${say(e.strategy)}${e.revision !== undefined ? ` (revision #${e.revision})` : ''}`,
      `colours    ${e.fromColour ?? '?'} → ${e.toColour ?? '?'}`,
      `by         ${e.by}`,
      `started    ${formatTime(e.startedAt)}${e.endedAt ? `, took ${Math.round((e.endedAt - e.startedAt) / 100) / 10}s` : ''}`,
      ...(e.intervals ? [`intervals  ✔ ${e.intervals.passed} advanced, ✖ ${e.intervals.failed} failed, ${e.intervals.held} held`] : []),
      ...(e.recoveryMs !== undefined ? [`recovery   ${Math.round(e.recoveryMs / 100) / 10}s`] : []),
      `reason     ${e.reason ?? '—'}`,
    ],
  };
}

function build(id: ListId, v: VerbState): ListRow[] {
  const { s } = v;
  switch (id) {
    case 'history':
      return newestFirst(s.deployment?.history ?? []).map((e, i) => ({
        key: `${i}:${e.id}`,
        value: e,
        text: `${e.version} ${kindOf(e)} ${e.strategy} ${e.result} ${e.by} ${e.reason ?? ''}`,
        detail: () => historyDetail(e),
      }));
    case 'runs':
      return canaryHistory(s.deployment?.history ?? []).map((e, i) => ({
        key: `${i}:${e.id}`,
        value: e,
        text: `#${e.revision} ${e.version} ${e.result} ${e.reason ?? ''}`,
        detail: () => historyDetail(e),
      }));
    case 'analysis': {
      const run = currentRun(v);
      return analysisRows(run?.analysis ?? []).map((r) => ({
        key: r.key,
        value: r,
        text: `${r.rule ?? ''} ${r.verdict} ${r.reason}`,
        detail: () => ({
          title: `step ${r.interval.step + 1} (${r.interval.weight}%) at ${clock(r.interval.at)}: ${r.interval.action}`,
          lines: [
            `rule     ${r.rule ?? '—'}: ${r.verdict}`,
            `value    ${r.value} (limit ${r.limit})`,
            `reason   ${r.reason}`,
            `step     ${r.interval.reason}`,
            `window   ${Math.round(r.interval.windowMs / 1000)}s`,
          ],
        }),
      }));
    }
    case 'flags':
      return s.flags.flags.map((f) => ({
        key: f.key,
        value: f,
        text: `${f.key} ${f.state} ${Object.keys(f.variants).join(' ')} ${f.targeting}`,
        detail: () => ({
          title: f.key,
          lines: [`state      ${f.state}`, `variants   ${Object.keys(f.variants).join(', ')}`, `targeting  ${f.targeting}`],
        }),
      }));
    case 'errors':
      // `/` matches the title and the culprit, as the brief list shows them
      return sortGroups(s.errors.report?.groups ?? [], s.errors.sort).map((g) => ({
        key: g.id,
        value: g,
        text: `${g.title} ${g.culprit}`,
        detail: () => ({
          title: `${shortId(g.id)} ${g.title}`,
          lines: [
            `status     ${g.status}${g.regressed ? ', regressed' : ''}${g.isNew ? ', new in the newest release' : ''}`,
            `culprit    ${g.culprit || '—'}`,
            `events     ${g.count} from ${usersText(g)} users`,
            `releases   ${g.releases.join(', ') || '—'}`,
          ],
        }),
      }));
    case 'targets':
      return s.targetOrder.flatMap((name) => {
        const t = s.targets[name];
        if (!t) return [];
        return [
          {
            key: name,
            value: t,
            text: `${name} ${t.health.status} ${t.health.version ?? ''} ${t.health.reason}`,
            detail: () => ({
              title: `${name}: ${t.health.status}`,
              lines: [`url      ${t.url}`, `version  ${t.health.version ?? '—'}`, `reason   ${t.health.reason}`],
            }),
          },
        ];
      });
  }
}

/** The values of list `id` as its rows hold them, filtered, with the cursor kept inside them. */
export function listValues<T>(id: ListId, v: VerbState): { values: T[]; total: number; cursor: number } {
  const rows = listRowsOf(id, v);
  return { values: rows.map((r) => r.value as T), total: build(id, v).length, cursor: cursorOf(id, v) };
}

/** The rows of list `id`, with its `/` filter applied (case-insensitive, every word must match). */
export function listRowsOf(id: ListId, v: VerbState): ListRow[] {
  const rows = build(id, v);
  const words = (v.s.lists[id]?.filter ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((r) => words.every((w) => r.text.toLowerCase().includes(w)));
}

/** The cursor of list `id`, kept inside its (filtered) rows. */
export function cursorOf(id: ListId, v: VerbState): number {
  const n = listRowsOf(id, v).length;
  return Math.max(0, Math.min(v.s.lists[id]?.cursor ?? 0, n - 1));
}
