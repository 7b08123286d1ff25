// `prodx simulate experiment`: replays recorded events in time order and analyses the
// experiment as it would have looked at each checkpoint, so a team can see how the verdict
// settles (and why peeking early is risky). Pure.
import type { ConversionEvent, ExposureEvent, FlagEvent } from '../types.js';
import { analyzeExperiment, type Decision, type ExperimentOptions, type ExperimentResult } from './analyze.js';

export interface Checkpoint {
  /** events replayed so far */
  events: number;
  /** time of the last replayed event, when events carry one */
  at: number | null;
  users: Record<string, number>;
  pValue: number | null;
  decision: Decision;
  verdict: string;
}

export interface Replay {
  checkpoints: Checkpoint[];
  final: ExperimentResult;
}

export function replayExperiment(events: readonly FlagEvent[], o: ExperimentOptions, steps = 10): Replay {
  // conversions without a time go last: they can only be matched once every exposure is in
  const ordered = events
    .map((e, i) => ({ e, i, ts: e.ts ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.ts - b.ts || a.i - b.i)
    .map((x) => x.e);
  const exposures: ExposureEvent[] = [];
  const conversions: ConversionEvent[] = [];
  const checkpoints: Checkpoint[] = [];
  const marks = new Set(Array.from({ length: steps }, (_, k) => Math.ceil(((k + 1) * ordered.length) / steps)));
  let result: ExperimentResult | null = null;
  ordered.forEach((e, i) => {
    if (e.type === 'exposure') exposures.push(e);
    else conversions.push(e);
    if (!marks.has(i + 1)) return;
    result = analyzeExperiment(exposures, conversions, o);
    const firstTreatment = result.variants.find((v) => v.comparison)?.comparison;
    checkpoints.push({
      events: i + 1,
      at: Number.isFinite(e.ts ?? NaN) ? (e.ts as number) : null,
      users: Object.fromEntries(result.variants.map((v) => [v.variant, v.users])),
      pValue: firstTreatment?.pValue ?? null,
      decision: result.decision,
      verdict: result.verdict,
    });
  });
  return { checkpoints, final: result ?? analyzeExperiment([], [], o) };
}
