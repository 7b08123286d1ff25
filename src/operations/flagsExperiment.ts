// `prodx flags experiment <flag>` and `prodx simulate experiment`: gather exposures and
// conversions (recorded by the OFREP endpoint, or from a file), work out the experiment's
// settings (split from the flag's fractional rule, metric and control from flag metadata or
// options), and hand them to the pure analysis in core/flags/experiment.
import { existsSync, readFileSync } from 'node:fs';
import { ProdxError } from '../core/errors.js';
import { requireFlag } from '../core/flags/edit.js';
import { parseEvents, type ExperimentHeader, type ParsedEvents } from '../core/flags/events.js';
import { analyzeExperiment, type ExperimentOptions, type ExperimentResult } from '../core/flags/experiment/analyze.js';
import { replayExperiment, type Replay } from '../core/flags/experiment/replay.js';
import { rolloutOf } from '../core/flags/rollout.js';
import type { FlagDefinition, FlagEvent } from '../core/flags/types.js';
import type { FlagsSource } from '../core/flags/view.js';
import { flagsDirOf } from '../adapters/flags/audit.js';
import { readRecordedEvents } from '../adapters/flags/events.js';
import { fixturePath } from '../adapters/paths.js';
import { loadOnce } from './flags.js';

export interface ExperimentSettings {
  metric?: string;
  control?: string;
  confidence?: number;
}

export function readEventsFile(path: string): ParsedEvents {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProdxError(
      'events-missing',
      `cannot read events from ${path} (${code ?? 'unknown error'}): pass an NDJSON file of exposure and conversion events.`,
    );
  }
  return parseEvents(text);
}

const metaString = (flag: FlagDefinition | undefined, key: string) => {
  const v = flag?.metadata?.[key];
  return typeof v === 'string' && v ? v : undefined;
};

/** Fills in the metric, control and split from options, then the flag, then the fixture header. */
export function settingsFor(
  flagKey: string,
  flag: FlagDefinition | undefined,
  header: ExperimentHeader | null,
  events: FlagEvent[],
  s: ExperimentSettings,
): ExperimentOptions {
  const rollout = flag ? rolloutOf(flag) : null;
  const split = rollout?.weights ?? header?.split;
  if (!split || Object.keys(split).length < 2) {
    throw new ProdxError(
      'experiment-no-split',
      `"${flagKey}" has no fractional split to compare against: an experiment flag splits users, e.g. "fractional": [["control", 50], ["treatment", 50]].`,
    );
  }
  const names = [...new Set(events.flatMap((e) => (e.type === 'conversion' ? [e.name] : [])))];
  const metric = s.metric ?? metaString(flag, 'metric') ?? header?.metric ?? (names.length === 1 ? names[0] : undefined);
  if (metric === undefined) {
    throw new ProdxError(
      'experiment-no-metric',
      names.length === 0
        ? `no conversion events recorded for "${flagKey}" yet: the app posts them to the OFREP endpoint's /events, or pass --events FILE.`
        : `which conversion measures "${flagKey}"? Pass --metric with one of: ${names.join(', ')} (or set "metric" in the flag's metadata).`,
    );
  }
  const control =
    s.control ??
    metaString(flag, 'control') ??
    header?.control ??
    ('control' in split ? 'control' : (flag?.defaultVariant ?? Object.keys(split)[0]!));
  if (!(control in split)) {
    throw new ProdxError(
      'usage',
      `"${control}" is not a variant of the split of "${flagKey}" (${Object.keys(split).join(', ')}): pass one of those with --control.`,
    );
  }
  const o: ExperimentOptions = { flag: flagKey, metric, control, split };
  if (s.confidence !== undefined) o.confidence = s.confidence;
  return o;
}

/** The experiment on `flagKey` from the recorded events, or from `eventsFile` when given. */
export function runExperiment(src: FlagsSource, flagKey: string, s: ExperimentSettings & { eventsFile?: string } = {}): ExperimentResult {
  const loaded = loadOnce(src);
  const flag = requireFlag(loaded.doc, flagKey, src.file);
  const parsed = s.eventsFile ? readEventsFile(s.eventsFile) : readRecordedEvents(flagsDirOf(src.stateDir));
  const options = settingsFor(flagKey, flag, parsed.header, parsed.events, s);
  const exposures = parsed.events.filter((e) => e.type === 'exposure');
  const conversions = parsed.events.filter((e) => e.type === 'conversion');
  return analyzeExperiment(exposures, conversions, options);
}

export const SHIPPED_EXPERIMENTS = ['weather-radar-ship', 'weather-radar-flat', 'weather-radar-srm'];

/** A path, or the name of a fixture shipped with prodx (`weather-radar-ship`). */
export function resolveFixture(name: string): string {
  if (existsSync(name)) return name;
  for (const candidate of [fixturePath('flags', 'experiments', name), fixturePath('flags', 'experiments', `${name}.ndjson`)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new ProdxError(
    'fixture-missing',
    `no fixture "${name}": pass a file path, or one of the shipped ones: ${SHIPPED_EXPERIMENTS.join(', ')}.`,
  );
}

export interface Simulation extends Replay {
  fixture: string;
  events: number;
  skipped: string[];
}

/** Replays a fixture's events in time order; the fixture's first line names the flag and split. */
export function simulateExperiment(fixture: string, s: ExperimentSettings & { steps?: number } = {}): Simulation {
  const path = resolveFixture(fixture);
  const parsed = readEventsFile(path);
  if (!parsed.header) {
    throw new ProdxError(
      'fixture-invalid',
      `${path} does not say which experiment it holds: its first line should be {"type": "experiment", "flag": …, "split": {…}}.`,
    );
  }
  const options = settingsFor(parsed.header.flag, undefined, parsed.header, parsed.events, s);
  const replay = replayExperiment(parsed.events, options, s.steps ?? 10);
  return { fixture: path, events: parsed.events.length, skipped: parsed.skipped, ...replay };
}
