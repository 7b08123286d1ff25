// What the OFREP endpoint holds between requests: the flags file it serves, reloaded when it
// changes, and what it records in .prodx/flags (evaluation counts, exposures, conversions).
import { toEvent } from '../../core/flags/events.js';
import type { FlagEvaluator } from '../../core/flags/evaluator.js';
import { EventLog, readStats, writeStats, type EvaluationStats } from './events.js';
import { evaluatorFor, flagsFingerprint, loadFlags, type LoadedFlags } from './file.js';

/** remembered (flag, user, variant) triples: beyond this, repeats are written again rather than held in memory */
const MAX_SEEN = 1_000_000;

export interface ServedFlags {
  /** the last good version of the file */
  loaded: LoadedFlags;
  evaluator: FlagEvaluator;
  loadedAt: number;
  /** why the last reload failed; the flags served are the last good ones */
  reloadError: string | null;
  reloadIfChanged(): void;
}

/** Loads the flags file; an invalid file at start throws, an invalid edit later keeps the last good flags and says why. */
export function serveFlagsFile(file: string, dir: string, now: () => number, log: (line: string) => void): ServedFlags {
  // compiled rules: the endpoint evaluates many times per load
  const load = () => loadFlags(file, { compile: true, cacheDir: dir });
  const loaded = load(); // an invalid file at start is the user's to fix: throw
  const evaluator = evaluatorFor(loaded);
  let fingerprint = flagsFingerprint(file);
  let checkedAt = 0;
  const served: ServedFlags = {
    loaded,
    evaluator,
    loadedAt: now(),
    reloadError: null,
    reloadIfChanged() {
      const t = now();
      if (t - checkedAt < 200) return; // a stat per request is cheap, but not free under load
      checkedAt = t;
      const fp = flagsFingerprint(file);
      if (fp === fingerprint) return;
      fingerprint = fp;
      try {
        served.loaded = load();
        served.evaluator = evaluatorFor(served.loaded);
        served.loadedAt = t;
        if (served.reloadError) log('flags file is valid again: serving it');
        served.reloadError = null;
      } catch (err) {
        served.reloadError = `${err instanceof Error ? err.message : String(err)} Still serving the last good version.`;
        log(served.reloadError);
      }
    },
  };
  return served;
}

/** Evaluation counts (stats.json) and exposures and conversions (the event log), written on flush. */
export function createRecorder(dir: string, now: () => number) {
  const events = new EventLog(dir);
  const stats: EvaluationStats = readStats(dir) ?? { since: now(), updatedAt: now(), evaluations: {} };
  let statsDirty = false;
  const seen = new Set<string>();
  const counts = { evaluations: 0, exposures: 0, conversions: 0 };

  return {
    counts,
    evaluated(flag: string, bucket: string): void {
      const byFlag = (stats.evaluations[flag] ??= {});
      byFlag[bucket] = (byFlag[bucket] ?? 0) + 1;
      statsDirty = true;
      counts.evaluations += 1;
    },
    /** a user's first evaluation of a variant; repeats are not recorded again */
    exposed(flag: string, user: string, variant: string): void {
      const id = `${flag}\u0000${user}\u0000${variant}`;
      if (seen.has(id)) return;
      if (seen.size < MAX_SEEN) seen.add(id);
      events.add({ type: 'exposure', flag, variant, targetingKey: user, ts: now() });
      counts.exposures += 1;
    },
    /** what the app posts to /events: one event or an array; invalid ones are rejected by index */
    accept(body: unknown): { accepted: number; rejected: string[] } {
      const items = Array.isArray(body) ? body : [body];
      const rejected: string[] = [];
      let accepted = 0;
      items.forEach((raw, i) => {
        const withTime = typeof raw === 'object' && raw !== null && !('ts' in raw) ? { ...raw, ts: now() } : raw;
        const e = toEvent(withTime);
        if (typeof e === 'string') return void rejected.push(`event ${i}: ${e}`);
        events.add(e);
        accepted += 1;
        if (e.type === 'conversion') counts.conversions += 1;
        else counts.exposures += 1;
      });
      return { accepted, rejected };
    },
    flush(): void {
      events.flush();
      if (statsDirty) {
        stats.updatedAt = now();
        writeStats(dir, stats);
        statsDirty = false;
      }
    },
  };
}

export type Recorder = ReturnType<typeof createRecorder>;
