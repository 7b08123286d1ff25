// An environment's canary runs as history, newest first: each with its revision number (as
// Argo Rollouts numbers revisions) and its ✔/✖ interval counts. Entries older prodx wrote carry
// neither revision nor counts: they are numbered by their order here.
import type { HistoryEntry } from '../state/schema.js';

export function canaryHistory(history: readonly HistoryEntry[]): (HistoryEntry & { revision: number })[] {
  const runs: (HistoryEntry & { revision: number })[] = [];
  let last = 0;
  for (const h of history) {
    if (h.kind !== 'canary' && !(h.kind === undefined && h.strategy === 'canary')) continue;
    last = h.revision ?? last + 1;
    runs.push({ ...h, revision: last });
  }
  return runs.reverse();
}
