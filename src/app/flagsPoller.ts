// The flags poller: keeps the store's flags slice in step with the files, whoever changes
// them (this dashboard, `prodx flags` in a terminal, CI, an editor). Each source is re-read
// only when its fingerprint moved. An invalid edit of the flags file keeps the last good
// flags on screen and says why; it is not a poller failure, so there is no backoff and the
// fix shows up on the next tick.
import { summarizeFlags } from '../core/flags/summary.js';
import { analyzeExperiment, type ExperimentResult } from '../core/flags/experiment/analyze.js';
import type { FlagsDocument, FlagsProblem } from '../core/flags/types.js';
import type { FlagsSlice, FlagsSource } from '../core/flags/view.js';
import { AUDIT_FILE, flagsDirOf, readAudit } from '../adapters/flags/audit.js';
import { eventsFingerprint, readRecordedEvents, readStats, STATS_FILE, totalEvaluations } from '../adapters/flags/events.js';
import { flagsFingerprint, loadFlags } from '../adapters/flags/file.js';
import type { AppStore } from '../store/createAppStore.js';
import type { Poller } from '../store/scheduler.js';
import { settingsFor } from '../operations/flagsExperiment.js';
import { basename, join } from 'node:path';
import { ProdxError } from '../core/errors.js';

/** how many audit entries the screen keeps (newest first) */
export const AUDIT_TAIL = 200;

type Snapshot = Pick<FlagsSlice, 'flags' | 'hash' | 'loadedAt' | 'error' | 'audit' | 'experiments' | 'evaluations'>;

/** Experiments for every flag that splits users and has recorded exposures; flags it cannot analyse are left out. */
export function experimentsOf(doc: FlagsDocument, dir: string): Record<string, ExperimentResult> {
  const { events } = readRecordedEvents(dir);
  const exposed = new Set(events.flatMap((e) => (e.type === 'exposure' ? [e.flag] : [])));
  const out: Record<string, ExperimentResult> = {};
  for (const [key, flag] of Object.entries(doc.flags)) {
    if (!exposed.has(key)) continue;
    try {
      const o = settingsFor(key, flag, null, events, {});
      out[key] = analyzeExperiment(
        events.filter((e) => e.type === 'exposure'),
        events.filter((e) => e.type === 'conversion'),
        o,
      );
    } catch {
      /* no split or no metric yet: the detail view says how to set one up */
    }
  }
  return out;
}

/** Why the file did not load, in a screen's words: it reloads by itself once fixed. */
export function reloadError(err: unknown, file: string, haveGood: boolean): string {
  const problems = err instanceof ProdxError ? (err.details?.['problems'] as FlagsProblem[] | undefined) : undefined;
  const why = problems?.[0]
    ? `${problems[0].path === '(syntax)' ? '' : `${problems[0].path}: `}${problems[0].message}`
    : err instanceof Error
      ? err.message
      : String(err);
  return `${haveGood ? 'showing the last good flags: ' : ''}${basename(file)} is invalid: ${why} (fix it; prodx reloads it by itself)`;
}

export function flagsPoller(store: AppStore, src: FlagsSource, o: { intervalMs: number; now?: () => number }): Poller<Snapshot> {
  const now = o.now ?? Date.now;
  const dir = flagsDirOf(src.stateDir);
  const seen = { file: '', audit: '', events: '', stats: '' };
  let doc: FlagsDocument | null = null;
  let snap: Snapshot = { flags: [], hash: null, loadedAt: null, error: null, audit: [], experiments: {}, evaluations: {} };
  store.getState().actions.updateFlags({ source: src });
  return {
    name: 'flags',
    intervalMs: o.intervalMs,
    timeoutMs: 10_000,
    run: async () => {
      const fp = {
        file: flagsFingerprint(src.file),
        audit: flagsFingerprint(join(dir, AUDIT_FILE)),
        events: eventsFingerprint(dir),
        stats: flagsFingerprint(join(dir, STATS_FILE)),
      };
      let docChanged = false;
      if (fp.file !== seen.file) {
        try {
          const loaded = loadFlags(src.file, { compile: false, cacheDir: dir });
          doc = loaded.doc;
          docChanged = true;
          snap = { ...snap, flags: summarizeFlags(loaded.doc, loaded.warnings), hash: loaded.hash, loadedAt: now(), error: null };
        } catch (err) {
          snap = { ...snap, error: reloadError(err, src.file, snap.hash !== null) };
        }
      }
      if (fp.audit !== seen.audit) snap = { ...snap, audit: readAudit(dir, { limit: AUDIT_TAIL }) };
      if (doc && (docChanged || fp.events !== seen.events)) snap = { ...snap, experiments: experimentsOf(doc, dir) };
      if (fp.stats !== seen.stats) {
        const stats = readStats(dir);
        snap = {
          ...snap,
          evaluations: Object.fromEntries(Object.entries(stats?.evaluations ?? {}).map(([k, v]) => [k, totalEvaluations(v)])),
        };
      }
      Object.assign(seen, fp);
      return snap;
    },
    apply: (s) => store.getState().actions.updateFlags(s),
  };
}
