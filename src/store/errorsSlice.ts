// What the app's store holds about error tracking: the last errors report (the same one
// `prodx errors report` prints, from the collector's rollups), the Errors screen's sort and
// open detail, and the config's `errors.notInApp`, so the screen marks the app's own frames by
// the rules grouping used.
import type { ErrorsReport } from '../core/errors/report.js';

/** what `o` cycles through, in this order */
export const ERROR_SORTS = ['count', 'lastSeen', 'users', 'firstSeen'] as const;
export type ErrorSort = (typeof ERROR_SORTS)[number];

export interface ErrorsSlice {
  report: ErrorsReport | null;
  sort: ErrorSort;
  /** the id of the group whose detail is open, or null for the list */
  detail: string | null;
  /** the first row of the open detail that is shown */
  scroll: number;
  /** `errors.notInApp` of the config: globs of frames that are not the app's code */
  notInApp: string[];
  loadedAt: number | null;
  /** why the events could not be read, if they could not */
  error: string | null;
}

export const emptyErrorsSlice = (): ErrorsSlice => ({
  report: null,
  sort: 'count',
  detail: null,
  scroll: 0,
  notInApp: [],
  loadedAt: null,
  error: null,
});

export const nextSort = (s: ErrorSort): ErrorSort => ERROR_SORTS[(ERROR_SORTS.indexOf(s) + 1) % ERROR_SORTS.length]!;
