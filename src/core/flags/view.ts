// What the app's store holds about flags: the flags as last loaded (with the hash of the file
// text they came from, so an edit made from a stale view is refused), the recent audit
// history, experiment results, and where the Flags screen's cursor is.
import type { ExperimentResult } from './experiment/analyze.js';
import type { AuditEntry, EvaluationResult, FlagSummary } from './types.js';

/** Where the flags live for this session: the operations the screen runs need nothing else. */
export interface FlagsSource {
  file: string;
  stateDir: string;
  environment: string;
  /** changes ask for confirmation first */
  protected: boolean;
}

export interface FlagsEvaluationView {
  context: Record<string, unknown>;
  result: EvaluationResult;
  at: number;
}

export interface FlagsSlice {
  source: FlagsSource | null;
  flags: FlagSummary[];
  /** sha-256 of the file text `flags` came from */
  hash: string | null;
  loadedAt: number | null;
  /** why the file could not be (re)loaded; the last good flags stay on screen */
  error: string | null;
  /** newest first */
  audit: AuditEntry[];
  /** by flag key, for flags with recorded exposures */
  experiments: Record<string, ExperimentResult>;
  /** evaluations served by the OFREP endpoint, by flag */
  evaluations: Record<string, number>;
  lastEvaluation: FlagsEvaluationView | null;
  /** the Flags screen: selected row, and whether the detail view is open */
  cursor: number;
  detail: boolean;
}

export const emptyFlagsSlice = (): FlagsSlice => ({
  source: null,
  flags: [],
  hash: null,
  loadedAt: null,
  error: null,
  audit: [],
  experiments: {},
  evaluations: {},
  lastEvaluation: null,
  cursor: 0,
  detail: false,
});
