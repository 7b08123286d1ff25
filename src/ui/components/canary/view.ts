// What the Canary screen shows, derived from the stored run: pure functions (no React, no
// clock read here), so the marks, the traffic split and the table rows are tested directly.
import { isMissing, ms, pct } from '../../../core/canary/judge.js';
import { canaryPercent } from '../../../core/canary/lifecycle.js';
import type { CanaryInterval, CanaryRun } from '../../../core/state/schema.js';
import { formatElapsed } from '../../format.js';

export type Rule = CanaryInterval['results'][number]['rule'];
export type Verdict = CanaryInterval['results'][number]['verdict'];
export type Observation = CanaryInterval['canary'];

/**
 * How a step of the plan stands: `skipped` was left by a promotion without its analysis passing
 * (so it is not drawn as passed), `failed` is where an abort happened, `rolled-back` where the
 * run was when it was rolled back.
 */
export type StepMark = 'passed' | 'skipped' | 'current' | 'failed' | 'rolled-back' | 'pending';

export const TERMINAL_PHASES: ReadonlySet<CanaryRun['state']['phase']> = new Set(['promoted', 'aborted', 'rolled-back']);

/** Progressing or paused: the phases in which analysis runs or is held. */
export const isActive = (run: CanaryRun): boolean => run.state.phase === 'progressing' || run.state.phase === 'paused';

/** The step the run stands at, or ended at: an index into `run.steps`. */
export function stepIndexOf(run: CanaryRun): number {
  const s = run.state;
  switch (s.phase) {
    case 'progressing':
    case 'paused':
    case 'aborted':
      return s.step;
    case 'promoting':
    case 'promoted':
      return run.steps.length - 1;
    case 'rolled-back':
      // the state forgets the step on a rollback; the last analysis remembers where it was
      return run.analysis.at(-1)?.step ?? 0;
  }
}

export function stepMarks(run: CanaryRun): StepMark[] {
  // before the first step (release, health gate) no step has begun
  if (run.setup !== 'ready') return run.steps.map(() => 'pending');
  const at = stepIndexOf(run);
  const advanced = new Set(run.analysis.filter((i) => i.action === 'advance').map((i) => i.step));
  const { phase } = run.state;
  return run.steps.map((_, i): StepMark => {
    if (i < at) return advanced.has(i) ? 'passed' : 'skipped';
    if (i > at) return 'pending';
    if (phase === 'aborted') return 'failed';
    if (phase === 'rolled-back') return 'rolled-back';
    if (phase === 'promoted') return 'passed';
    return 'current';
  });
}

/** When the next analysis of the current step is due (progressing only), else null. */
export function nextAnalysisAt(run: CanaryRun): number | null {
  if (run.state.phase !== 'progressing' || run.setup !== 'ready') return null;
  // an interval from before the step began (or before a resume) does not count
  const base = Math.max(run.state.since, run.analysis.at(-1)?.at ?? 0);
  return base + run.intervalMs;
}

export interface TrafficSplit {
  canary: number;
  stable: number;
  /** false when the router's weights are unknown and the plan's percent is shown instead */
  fromRouter: boolean;
}

/** The router's weights as last read; the lifecycle's planned percent when they are unknown. */
export function trafficSplit(run: CanaryRun, weights: Record<string, number> | null): TrafficSplit {
  const canary = weights?.[run.canaryColour];
  if (weights && canary !== undefined) return { canary, stable: weights[run.stableColour] ?? 100 - canary, fromRouter: true };
  // the canary takes no traffic until it has been released and has passed its health gate
  const planned = run.setup === 'ready' ? canaryPercent(run.state, run.steps) : 0;
  return { canary: planned, stable: 100 - planned, fromRouter: false };
}

/** Error rate as a ratio, null without traffic or metrics. */
export function errorRate(o: Observation | null): number | null {
  if (!o || isMissing(o) || o.requests === 0) return null;
  return o.errors / o.requests;
}

export const p95Of = (o: Observation | null): number | null => (!o || isMissing(o) ? null : o.p95Ms);

/** A p-value readable in a narrow column: `0.34`, `0.0012`, `9e-13`. */
export const formatP = (p: number): string => (p !== 0 && p < 0.001 ? p.toExponential(0) : String(Number(p.toPrecision(2))));

/** An analysis window: `60s`, `2m 00s`. */
export const formatWindow = (ms: number): string => (ms < 120_000 ? `${Math.round(ms / 1000)}s` : formatElapsed(ms));

/** The measured value in the rule's unit. */
export function formatValue(rule: Rule, value: number | null): string {
  if (value === null) return '—';
  switch (rule) {
    case 'error-rate':
      return pct(value);
    case 'p95':
    case 'p99':
      return ms(value);
    case 'vs-stable':
      return `p=${formatP(value)}`;
  }
}

/** The limit as the judge applies it: a ceiling for rates and latencies, the significance level for the comparison. */
export function formatLimit(rule: Rule, limit: number): string {
  switch (rule) {
    case 'error-rate':
      return `≤ ${pct(limit)}`;
    case 'p95':
    case 'p99':
      return `≤ ${ms(limit)}`;
    case 'vs-stable':
      return `α ${limit}`;
  }
}

/** `14:03:05` in local time. */
export function clock(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export interface AnalysisRow {
  key: string;
  /** the first row of its interval: the one that shows the time, step and action */
  first: boolean;
  interval: CanaryInterval;
  rule: Rule | null;
  verdict: Verdict;
  value: string;
  limit: string;
  reason: string;
}

/** One row per interval and rule, newest interval first, rules in the order the judge gave them. */
export function analysisRows(analysis: readonly CanaryInterval[]): AnalysisRow[] {
  const rows: AnalysisRow[] = [];
  for (let i = analysis.length - 1; i >= 0; i--) {
    const interval = analysis[i]!;
    if (interval.results.length === 0) {
      // no rule ran: the interval's own reason says why
      rows.push({
        key: `${i}`,
        first: true,
        interval,
        rule: null,
        verdict: 'inconclusive',
        value: '—',
        limit: '—',
        reason: interval.reason,
      });
      continue;
    }
    interval.results.forEach((r, j) =>
      rows.push({
        key: `${i}.${j}`,
        first: j === 0,
        interval,
        rule: r.rule,
        verdict: r.verdict,
        value: formatValue(r.rule, r.value),
        limit: formatLimit(r.rule, r.limit),
        reason: r.reason,
      }),
    );
  }
  return rows;
}

export interface ChartData {
  /** one point per interval, oldest first; null where the colour had no traffic or metrics */
  canaryErrorPct: (number | null)[];
  stableErrorPct: (number | null)[];
  canaryP95: (number | null)[];
  stableP95: (number | null)[];
  /** the limits the latest interval was judged against, for a reference line */
  errorLimitPct: number | null;
  p95LimitMs: number | null;
}

const limitOf = (interval: CanaryInterval | undefined, rule: Rule): number | null =>
  interval?.results.find((r) => r.rule === rule)?.limit ?? null;

export function chartData(analysis: readonly CanaryInterval[]): ChartData {
  const asPct = (x: number | null) => (x === null ? null : x * 100);
  const last = analysis.at(-1);
  const errorLimit = limitOf(last, 'error-rate');
  return {
    canaryErrorPct: analysis.map((i) => asPct(errorRate(i.canary))),
    stableErrorPct: analysis.map((i) => asPct(errorRate(i.stable))),
    canaryP95: analysis.map((i) => p95Of(i.canary)),
    stableP95: analysis.map((i) => p95Of(i.stable)),
    errorLimitPct: errorLimit === null ? null : errorLimit * 100,
    p95LimitMs: limitOf(last, 'p95'),
  };
}

/** `blue 100%, green 0%`: the weights a rollback or abort goes back to. */
export const weightsText = (weights: Record<string, number>): string =>
  Object.entries(weights)
    .map(([colour, w]) => `${colour} ${w}%`)
    .join(', ') || 'no weights recorded';
