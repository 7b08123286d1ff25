// A production health score, 0–100 per area and overall, that explains itself: every point lost
// is a deduction naming its cause, the measured value and the threshold it missed, so a score is
// never a number to take on trust. An area without data is reported as such ('no data'; security
// without audit files 'not configured') and left out of the overall: nothing scores 100 by
// default. Pure: measurements and the `alerts` thresholds of the config in, a report out.
//
// Rules (points are integers; any breach of a threshold costs at least one point):
//   availability  10 points per percentage point of health checks below `availability`.
//   performance   per Core Web Vital (LCP, INP, CLS) at p75: needs improvement 10, poor 25;
//                 'not enough data' costs nothing and is noted. Latency over `responseTime`:
//                 1 point per 2.5% over, at most 40 (40 at twice the threshold).
//   errors        10 points per percentage point of requests failing above `errorRate`;
//                 5 per new error group and 5 per regressed one, at most 20 each.
//   deployments   1 point per percentage point of failed deploys, at most 40; the same for
//                 rolled-back deploys; mean time to recovery over 1 h (DORA's elite level)
//                 costs up to 20, all 20 at 24 h.
//   security      critical finding 25 each, high 10 each, moderate 2 each (at most 20), low 1
//                 each (at most 5).
// An area's score is 100 − the sum of its deductions' points, exactly: deductions are taken
// largest first and the last ones are cut to what is left, so the sum never passes 100.
import type { Assessment } from '../rum/report.js';
import { metricText, THRESHOLDS } from '../rum/metrics.js';
import { plural } from '../text.js';

export const AREAS = ['availability', 'performance', 'errors', 'deployments', 'security'] as const;
export type Area = (typeof AREAS)[number];

/** The weights of the overall score: a weighted mean of the scored areas, renormalised over them. */
export const AREA_WEIGHTS: Record<Area, number> = { availability: 30, errors: 25, performance: 20, security: 15, deployments: 10 };
/** deployments have no threshold in the config: below this score the area is below threshold */
export const DEPLOYMENTS_FLOOR = 80;
/** an area below its threshold that scores under this makes the overall status critical */
export const CRITICAL_SCORE = 60;

/** The `alerts` block of the config, same names and units (percent 0–100, ratio 0–1, ms). */
export type ScoreThresholds = { performance: number; security: number; errorRate: number; responseTime: number; availability: number };

/** Health-check probes over the window and how many succeeded. */
export type AvailabilityInput = { probes: number; successes: number };

export type Vital = 'LCP' | 'INP' | 'CLS';
/** A Core Web Vital's RUM assessment at p75 (ms; CLS unitless). */
export type VitalInput = { rating: Assessment; p75: number | null };
export interface PerformanceInput {
  vitals?: Partial<Record<Vital, VitalInput>>;
  /** the target's response time over the window, as p95 or mean */
  latency?: { ms: number; stat: 'p95' | 'mean' } | null;
}

/** Requests and failed ones over the window; error groups first seen, and seen again after resolved. */
export type ErrorsInput = { requests: number; errors: number; newGroups: number; regressedGroups: number };

/** From the deploy history over the window: `succeeded` went live (rolled back later or not). */
export interface DeploymentsInput {
  deploys: number;
  succeeded: number;
  rolledBack: number;
  /** mean time to recovery in ms; null when there was nothing to recover from */
  mttrMs: number | null;
}

/** Vulnerability counts from the team's npm audit / SARIF / SBOM files. */
export type SecurityInput = { critical: number; high: number; moderate: number; low: number };

/** Every area may be missing or null: no data (for security: not configured). */
export interface HealthInput {
  availability?: AvailabilityInput | null;
  performance?: PerformanceInput | null;
  errors?: ErrorsInput | null;
  deployments?: DeploymentsInput | null;
  security?: SecurityInput | null;
}

/** Points lost, why, and the value measured against the threshold (in the threshold's unit). */
export interface Deduction {
  area: Area;
  points: number;
  cause: string;
  measured: number | null;
  threshold: number | null;
}

export interface AreaScore {
  score: number | null;
  status: 'scored' | 'no data' | 'not configured';
  /** compared to the config: see `belowThreshold` rules on `healthScore` */
  belowThreshold: boolean;
  deductions: Deduction[];
  /** what was not scored and why (`INP: not enough data`) */
  notes: string[];
}

export interface HealthScore {
  /** weighted mean of the scored areas (AREA_WEIGHTS), rounded; null when no area has data */
  overall: number | null;
  status: 'healthy' | 'degraded' | 'critical' | 'unknown';
  areas: Record<Area, AreaScore>;
  /** every deduction, largest first */
  deductions: Deduction[];
}

type Raw = Omit<Deduction, 'area'>;
interface Scored {
  raw: Raw[];
  notes: string[];
  /** decides belowThreshold from the finished score */
  below: (score: number) => boolean;
  /** nothing to score, though there are notes to show (every vital short of samples) */
  noData?: boolean;
}

const EPS = 1e-9;
/** a breach costs at least one point: the ceiling, forgiving float noise */
const up = (x: number) => Math.max(0, Math.ceil(x - EPS));
const share = (part: number, whole: number) => Math.min(1, Math.max(0, part / whole));
/** percent to two decimals, dropping a second trailing zero: 99.95, 99.0, 5.0 */
const pct = (v: number) => {
  const s = (Math.round(v * 100) / 100).toFixed(2);
  return s.endsWith('0') ? s.slice(0, -1) : s;
};
/** rounded toward the bad side, so a measured value shown never seems to meet its threshold */
const floor2 = (v: number) => Math.floor(v * 100 + EPS) / 100;
const ceil2 = (v: number) => Math.ceil(v * 100 - EPS) / 100;
const HOUR = 3_600_000;
const duration = (ms: number) => (ms < HOUR ? `${Math.round(ms / 60_000)} min` : `${(ms / HOUR).toFixed(1)} h`);

function availability(a: AvailabilityInput, t: ScoreThresholds): Scored | null {
  if (a.probes <= 0) return null;
  const exact = share(a.successes, a.probes) * 100;
  const measured = floor2(exact);
  const raw: Raw[] = [];
  if (exact < t.availability) {
    raw.push({
      points: Math.min(100, up(10 * (t.availability - exact))),
      cause: `health checks succeeded ${pct(measured)}% of the time (threshold ${pct(t.availability)}%)`,
      measured,
      threshold: t.availability,
    });
  }
  return { raw, notes: [], below: () => exact < t.availability };
}

const VITAL_POINTS = { 'needs-improvement': 10, poor: 25 } as const;

function performance(p: PerformanceInput, t: ScoreThresholds): Scored | null {
  const raw: Raw[] = [];
  const notes: string[] = [];
  let rated = 0;
  for (const name of ['LCP', 'INP', 'CLS'] as const) {
    const v = p.vitals?.[name];
    if (!v) continue;
    if (v.rating === 'not-enough-data') {
      notes.push(`${name}: not enough data`);
      continue;
    }
    rated++;
    if (v.rating === 'good') continue;
    const good = THRESHOLDS[name][0];
    raw.push({
      points: VITAL_POINTS[v.rating],
      cause: `${name} p75 ${metricText(name, v.p75)} is ${v.rating === 'poor' ? 'poor' : 'needs improvement'} (good up to ${metricText(name, good)})`,
      measured: v.p75,
      threshold: good,
    });
  }
  const lat = p.latency;
  const slow = !!lat && lat.ms > t.responseTime;
  if (lat && slow) {
    const ms = Math.ceil(lat.ms - EPS);
    raw.push({
      points: Math.min(40, up((40 * (lat.ms - t.responseTime)) / t.responseTime)),
      cause: `${lat.stat} response time ${ms} ms (threshold ${t.responseTime} ms)`,
      measured: ms,
      threshold: t.responseTime,
    });
  }
  if (rated === 0 && !lat) return { raw: [], notes, below: () => false, noData: true };
  return { raw, notes, below: (score) => score < t.performance || slow };
}

function errors(e: ErrorsInput, t: ScoreThresholds): Scored | null {
  if (e.requests <= 0 && e.newGroups <= 0 && e.regressedGroups <= 0) return null;
  const raw: Raw[] = [];
  const notes = e.requests <= 0 ? ['error rate: no requests in the window'] : [];
  const rate = e.requests > 0 ? share(e.errors, e.requests) : 0;
  if (rate > t.errorRate) {
    const shown = ceil2(rate * 100);
    raw.push({
      points: up(1000 * (rate - t.errorRate)),
      cause: `${pct(shown)}% of requests failed (threshold ${pct(t.errorRate * 100)}%)`,
      measured: shown / 100,
      threshold: t.errorRate,
    });
  }
  const group = (n: number, kind: string) => {
    if (n > 0) raw.push({ points: Math.min(20, 5 * n), cause: plural(n, `${kind} error group`), measured: n, threshold: 0 });
  };
  group(e.newGroups, 'new');
  group(e.regressedGroups, 'regressed');
  return { raw, notes, below: () => rate > t.errorRate };
}

function deployments(d: DeploymentsInput): Scored | null {
  if (d.deploys <= 0) return null;
  const raw: Raw[] = [];
  const notes: string[] = [];
  const count = (n: number, what: string) => {
    const rate = share(n, d.deploys) * 100;
    const cause = `${n} of ${plural(d.deploys, 'deploy')} ${what} (${pct(ceil2(rate))}%)`;
    if (n > 0) raw.push({ points: Math.min(40, up(rate)), cause, measured: ceil2(rate), threshold: 0 });
  };
  count(Math.max(0, d.deploys - d.succeeded), 'failed');
  count(d.rolledBack, 'rolled back');
  if (d.mttrMs === null) {
    if (raw.length) notes.push('mean time to recovery: not measured');
  } else if (d.mttrMs > HOUR) {
    raw.push({
      points: Math.min(20, up((20 * (d.mttrMs - HOUR)) / (23 * HOUR))),
      cause: `mean time to recovery ${duration(d.mttrMs)} (elite teams recover within 1 h)`,
      measured: d.mttrMs,
      threshold: HOUR,
    });
  }
  return { raw, notes, below: (score) => score < DEPLOYMENTS_FLOOR };
}

/** [points each, at most] */
const FINDING_POINTS = { critical: [25, 100], high: [10, 100], moderate: [2, 20], low: [1, 5] } as const;

function security(s: SecurityInput, t: ScoreThresholds): Scored {
  const raw: Raw[] = [];
  for (const [level, [each, cap]] of Object.entries(FINDING_POINTS) as [keyof SecurityInput, readonly [number, number]][]) {
    const n = s[level];
    const cause = `${n} ${level} vulnerabilit${n === 1 ? 'y' : 'ies'}`;
    if (n > 0) raw.push({ points: Math.min(cap, each * n), cause, measured: n, threshold: 0 });
  }
  return { raw, notes: [], below: (score) => score < t.security };
}

/** Takes deductions largest first, cutting the last to what is left: 100 − Σ points = score. */
function tally(area: Area, s: Scored): AreaScore {
  const deductions: Deduction[] = [];
  const notes = [...s.notes];
  let left = 100;
  for (const r of [...s.raw].sort((a, b) => b.points - a.points)) {
    if (r.points <= 0) continue;
    if (left === 0) {
      notes.push(`${r.cause} (no points left to lose)`);
      continue;
    }
    const points = Math.min(left, r.points);
    left -= points;
    deductions.push({ area, ...r, points });
  }
  return { score: left, status: 'scored', belowThreshold: s.below(left), deductions, notes };
}

const unscored = (status: AreaScore['status'], notes: string[] = []): AreaScore => {
  return { score: null, status, belowThreshold: false, deductions: [], notes };
};

/**
 * Scores each area and the whole. belowThreshold: availability under `availability`; errors
 * over `errorRate`; performance scoring under `performance` or latency over `responseTime`;
 * security scoring under `security`; deployments scoring under DEPLOYMENTS_FLOOR.
 * Status: 'critical' when an area below threshold scores under CRITICAL_SCORE, 'degraded' when
 * any area is below threshold, 'healthy' otherwise, 'unknown' when no area has data.
 * Overall: the weighted mean (AREA_WEIGHTS) of the scored areas only, rounded.
 */
export function healthScore(input: HealthInput, thresholds: ScoreThresholds): HealthScore {
  const scored: Record<Area, Scored | null> = {
    availability: input.availability ? availability(input.availability, thresholds) : null,
    performance: input.performance ? performance(input.performance, thresholds) : null,
    errors: input.errors ? errors(input.errors, thresholds) : null,
    deployments: input.deployments ? deployments(input.deployments) : null,
    security: input.security ? security(input.security, thresholds) : null,
  };
  const areas = {} as Record<Area, AreaScore>;
  for (const area of AREAS) {
    const s = scored[area];
    if (!s) areas[area] = unscored(area === 'security' ? 'not configured' : 'no data');
    else areas[area] = s.noData ? unscored('no data', s.notes) : tally(area, s);
  }
  let weighted = 0;
  let weights = 0;
  for (const area of AREAS) {
    const score = areas[area].score;
    if (score === null) continue;
    weighted += AREA_WEIGHTS[area] * score;
    weights += AREA_WEIGHTS[area];
  }
  const below = AREAS.map((a) => areas[a]).filter((a) => a.belowThreshold);
  const status: HealthScore['status'] =
    weights === 0 ? 'unknown' : below.some((a) => (a.score ?? 100) < CRITICAL_SCORE) ? 'critical' : below.length ? 'degraded' : 'healthy';
  const deductions = AREAS.flatMap((a) => areas[a].deductions).sort((a, b) => b.points - a.points);
  return { overall: weights === 0 ? null : Math.round(weighted / weights), status, areas, deductions };
}
