// SLO burn-rate alerts, multi-window and multi-burn-rate as in Google's SRE workbook ("Alerting
// on SLOs", approach 6): each policy pairs a long window, which says the budget is being spent
// fast enough to matter, with a short window (1/12 of it), which says it is still being spent
// now, so an alert stops firing minutes after the burn stops instead of hours. Policies are
// budget shares ("2% of the budget in 1 h"), and the burn-rate factor is derived from the SLO
// period, so a 7- or 28-day SLO gets its own thresholds rather than the 30-day 14.4/6/1.
//
// Pure: counts come through a lookup and `now` is an argument. Burn-rate alerts fire on
// evaluation (no `for` duration); turning results into pending/firing/resolved alerts is
// engine.ts's job.
import { formatDuration } from '../config/duration.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Relative tolerance under which a burn rate counts as equal to its factor (float rounding). */
const EQUAL_TOLERANCE = 1e-9;

export interface Slo {
  /** the good ratio promised, in (0, 1): 0.999 for "99.9%" */
  objective: number;
  /** the period the objective is measured over, e.g. 30 days */
  periodMs: number;
}

export type BurnSeverity = 'page' | 'ticket';

export interface BurnRateWindow {
  severity: BurnSeverity;
  longMs: number;
  shortMs: number;
  /** share of the whole period's error budget that, spent within `longMs`, should alert: 0.02 = 2% */
  budgetShare: number;
}

export interface WindowCounts {
  total: number;
  bad: number;
}

export interface BurnRateInput {
  slo: Slo;
  /** evaluation time, epoch ms */
  now: number;
  /** the policies to evaluate; `defaultBurnRateWindows()` when omitted */
  windows?: readonly BurnRateWindow[];
  /** requests and bad requests in (sinceMs, now]; called once per distinct window length */
  count: (sinceMs: number) => WindowCounts;
  /** requests the long window needs before it may fire; default `DEFAULT_MIN_REQUESTS` (see `evaluateBurnRate`) */
  minRequests?: number;
}

export interface BurnRateResult {
  severity: BurnSeverity;
  longMs: number;
  shortMs: number;
  factor: number;
  longRate: number;
  shortRate: number;
  firing: boolean;
  reason: string;
}

export interface BurnRateEvaluation {
  /** one result per policy, in the order given */
  results: BurnRateResult[];
  /** the most severe firing policy: a page before a ticket, then the higher factor; null when none fires */
  overall: BurnRateResult | null;
}

export const DEFAULT_MIN_REQUESTS = 100;

/**
 * The workbook's three policies: page on 2% of the budget in 1 h (short window 5 m) or 5% in
 * 6 h (30 m), ticket on 10% in 3 days (6 h). For a 30-day SLO these are burn rates 14.4, 6 and 1.
 * A new array each call, so callers may change it.
 */
export function defaultBurnRateWindows(): BurnRateWindow[] {
  const policy = (severity: BurnSeverity, longMs: number, budgetShare: number): BurnRateWindow => ({
    severity,
    longMs,
    shortMs: longMs / 12,
    budgetShare,
  });
  return [policy('page', HOUR_MS, 0.02), policy('page', 6 * HOUR_MS, 0.05), policy('ticket', 3 * DAY_MS, 0.1)];
}

/**
 * The burn rate at which a window spends `budgetShare` of the period's budget within `longMs`:
 * budgetShare × periodMs ÷ longMs (0.02 × 720 h ÷ 1 h = 14.4; with a 28-day period, 13.44).
 */
export function burnFactor(slo: Slo, window: BurnRateWindow): number {
  checkSlo(slo);
  if (!(window.longMs > 0) || !(window.shortMs > 0)) throw new RangeError(`burn-rate windows must be positive, got ${describe(window)}`);
  if (!(window.budgetShare > 0 && window.budgetShare <= 1)) {
    throw new RangeError(`budgetShare must be in (0, 1], got ${window.budgetShare}`);
  }
  return (window.budgetShare * slo.periodMs) / window.longMs;
}

/**
 * How many times faster than sustainable a window spends the budget: (bad ÷ total) ÷ (1 − objective).
 * 1 spends exactly the budget over the period; a window without requests burns 0.
 */
export function burnRate(slo: Slo, counts: WindowCounts): number {
  checkSlo(slo);
  if (counts.total <= 0) return 0;
  return counts.bad / counts.total / (1 - slo.objective);
}

/**
 * Evaluates each policy at `now`. A policy fires only when BOTH its long and its short window
 * burn STRICTLY faster than its factor, as Prometheus rules written `> 14.4` do: a burn rate
 * exactly at the factor (within float rounding, 1e-9 relative) does not fire. Long over but
 * short under means the burn has stopped; short over but long under means too little budget spent.
 *
 * Minimum traffic: the long window needs `minRequests` requests (default 100) and the short
 * window the same request rate, ceil(minRequests × shortMs ÷ longMs) (9 for 1 h / 5 m), at
 * least 1. A window below it does not fire, however high its rate: 1 bad request in 10 is a 100×
 * burn of a 99.9% SLO and says nothing. A window with no requests burns 0.
 */
export function evaluateBurnRate(input: BurnRateInput): BurnRateEvaluation {
  const { slo, now } = input;
  const windows = input.windows ?? defaultBurnRateWindows();
  const minRequests = input.minRequests ?? DEFAULT_MIN_REQUESTS;
  if (!(minRequests >= 0)) throw new RangeError(`minRequests must be 0 or more, got ${minRequests}`);
  checkSlo(slo);
  const seen = new Map<number, WindowCounts>();
  const countOver = (ms: number): WindowCounts => {
    let c = seen.get(ms);
    if (!c) {
      c = input.count(now - ms);
      seen.set(ms, c);
    }
    return c;
  };
  const results = windows.map((w) => evaluateWindow(slo, w, countOver(w.longMs), countOver(w.shortMs), minRequests));
  return { results, overall: mostSevere(results) };
}

function evaluateWindow(slo: Slo, w: BurnRateWindow, long: WindowCounts, short: WindowCounts, minRequests: number): BurnRateResult {
  const factor = burnFactor(slo, w);
  const longRate = burnRate(slo, long);
  const shortRate = burnRate(slo, short);
  const shortMin = minRequests > 0 ? Math.max(1, Math.ceil((minRequests * w.shortMs) / w.longMs)) : 0;
  const L = formatDuration(w.longMs);
  const S = formatDuration(w.shortMs);
  const base = { severity: w.severity, longMs: w.longMs, shortMs: w.shortMs, factor, longRate, shortRate };
  const no = (reason: string): BurnRateResult => ({ ...base, firing: false, reason });
  if (long.total < minRequests) return no(`${L} window: not enough traffic (${long.total} requests, need ${minRequests})`);
  if (short.total < shortMin) return no(`${S} window: not enough traffic (${short.total} requests, need ${shortMin})`);
  const longOver = exceeds(longRate, factor);
  const shortOver = exceeds(shortRate, factor);
  const rates = `${L} at ${x(longRate)}, ${S} at ${x(shortRate)}`;
  if (longOver && shortOver) {
    return {
      ...base,
      firing: true,
      reason: `spending over ${+(w.budgetShare * 100).toFixed(4)}% of the budget per ${L}: ${rates}, above ${x(factor)}`,
    };
  }
  if (longOver) return no(`no longer burning: ${rates}; the ${S} window is not above ${x(factor)}`);
  if (shortOver) return no(`not enough budget spent: ${rates}; the ${L} window is not above ${x(factor)}`);
  return no(`within budget: ${rates}, not above ${x(factor)}`);
}

function exceeds(rate: number, factor: number): boolean {
  return rate - factor > factor * EQUAL_TOLERANCE;
}

function mostSevere(results: readonly BurnRateResult[]): BurnRateResult | null {
  const rank = { page: 1, ticket: 0 } as const;
  let best: BurnRateResult | null = null;
  for (const r of results) {
    if (!r.firing) continue;
    if (!best || rank[r.severity] > rank[best.severity] || (r.severity === best.severity && r.factor > best.factor)) best = r;
  }
  return best;
}

function checkSlo(slo: Slo): void {
  if (!(slo.objective > 0 && slo.objective < 1)) throw new RangeError(`SLO objective must be in (0, 1), got ${slo.objective}`);
  if (!(slo.periodMs > 0)) throw new RangeError(`SLO period must be positive, got ${slo.periodMs}ms`);
}

/** "14.4×", "6×", "0.93×": a burn rate as people read it */
function x(rate: number): string {
  return `${+rate.toFixed(2)}×`;
}

function describe(w: BurnRateWindow): string {
  return `long ${w.longMs}ms, short ${w.shortMs}ms`;
}
