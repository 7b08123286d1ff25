// Alert rules with Prometheus's semantics, as pure functions of the previous state, the series
// whose condition holds at this evaluation, and the evaluation time. It follows Prometheus's
// rules/alerting.go (AlertingRule.Eval) step for step, so a team that knows Prometheus knows
// exactly when a prodx alert goes pending, fires, keeps firing and resolves:
//
// - a series whose condition is first met becomes a *pending* alert, `activeAt` = this evaluation;
// - it *fires* at the first evaluation where it has held for `for` (checked only at evaluations,
//   so with a 30 s interval and `for: 1m` it fires at the third evaluation, 60 s after the first);
//   `for: 0` fires at the evaluation that first sees it;
// - a pending alert whose condition clears is dropped, and nothing is notified;
// - a firing alert whose condition clears stays firing for `keepFiringFor`, measured from the
//   first evaluation where the condition was false (reset when it returns);
// - then it is *inactive* (resolved) with `resolvedAt`, and kept for `RESOLVED_RETENTION_MS` so
//   the resolution reaches every receiver; met again meanwhile, it starts over as a new alert.
//
// Written here rather than taken from a library: no npm package implements Prometheus's rule
// state machine apart from a whole Prometheus, and prodx evaluates its own signals (probes,
// RUM, error groups) that Prometheus never sees.

export type AlertState = 'pending' | 'firing' | 'inactive';
export type Labels = Record<string, string>;

/** How long a resolved alert is kept (and its resolution re-sent), as in Prometheus. */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

export interface AlertRule {
  /** the `alertname` label */
  name: string;
  /** how long the condition must hold before the alert fires (ms) */
  forMs: number;
  /** how long a firing alert keeps firing after its condition was last met (ms) */
  keepFiringForMs: number;
  /** labels every alert of this rule carries (e.g. severity) */
  labels: Labels;
  annotations: Record<string, string>;
}

/** One series for which the rule's condition holds at this evaluation. */
export interface RuleResult {
  labels: Labels;
  value: number;
  /** per-series annotations (e.g. a summary naming the measured value), over the rule's */
  annotations?: Record<string, string>;
}

export interface AlertInstance {
  fingerprint: string;
  rule: string;
  /** the rule's labels, the series' labels and `alertname` */
  labels: Labels;
  annotations: Record<string, string>;
  state: AlertState;
  /** the last value the condition was met with */
  value: number;
  /** epoch ms of the evaluation that first met the condition */
  activeAt: number;
  firedAt?: number;
  resolvedAt?: number;
  /** epoch ms of the first evaluation where a firing alert's condition was false */
  keepFiringSince?: number;
}

export type TransitionKind = 'pending' | 'firing' | 'resolved' | 'dropped';

export interface Transition {
  kind: TransitionKind;
  at: number;
  fingerprint: string;
  rule: string;
  labels: Labels;
  value: number;
}

export interface Evaluation {
  /** the rule's alerts after this evaluation: pending, firing, and resolved ones still kept */
  alerts: AlertInstance[];
  /** what changed at this evaluation, in order */
  transitions: Transition[];
}

/**
 * Evaluates one rule at `at`. `previous` is the rule's alerts after the last evaluation (as this
 * function returned them); `results` the series whose condition holds now.
 */
export function evaluateRule(rule: AlertRule, previous: readonly AlertInstance[], results: readonly RuleResult[], at: number): Evaluation {
  const byFingerprint = new Map<string, AlertInstance>();
  for (const a of previous) byFingerprint.set(a.fingerprint, { ...a });
  const transitions: Transition[] = [];
  const note = (kind: TransitionKind, a: AlertInstance) =>
    transitions.push({ kind, at, fingerprint: a.fingerprint, rule: a.rule, labels: a.labels, value: a.value });

  const met = new Set<string>();
  for (const r of results) {
    const labels = alertLabels(rule, r.labels);
    const fingerprint = labelsFingerprint(labels);
    if (met.has(fingerprint)) throw new Error(`rule ${rule.name}: two series with the same labels ${JSON.stringify(labels)}`);
    met.add(fingerprint);
    const annotations = { ...rule.annotations, ...r.annotations };
    const existing = byFingerprint.get(fingerprint);
    if (existing && existing.state !== 'inactive') {
      existing.value = r.value;
      existing.annotations = annotations;
      continue;
    }
    // new, or met again after it resolved: a new alert (a new activeAt, so a new notification)
    const fresh: AlertInstance = { fingerprint, rule: rule.name, labels, annotations, state: 'pending', value: r.value, activeAt: at };
    byFingerprint.set(fingerprint, fresh);
    note('pending', fresh);
  }

  for (const [fingerprint, a] of byFingerprint) {
    if (!met.has(fingerprint)) {
      let keepFiring = false;
      if (a.state === 'firing' && rule.keepFiringForMs > 0) {
        a.keepFiringSince ??= at;
        keepFiring = at - a.keepFiringSince < rule.keepFiringForMs;
      }
      if (a.state === 'pending' || (a.resolvedAt !== undefined && at - a.resolvedAt > RESOLVED_RETENTION_MS)) {
        byFingerprint.delete(fingerprint);
        if (a.state === 'pending') note('dropped', a);
        continue;
      }
      if (a.state !== 'inactive' && !keepFiring) {
        a.state = 'inactive';
        a.resolvedAt = at;
        delete a.keepFiringSince;
        note('resolved', a);
      }
      if (!keepFiring) continue;
    } else {
      delete a.keepFiringSince;
    }
    if (a.state === 'pending' && at - a.activeAt >= rule.forMs) {
      a.state = 'firing';
      a.firedAt = at;
      note('firing', a);
    }
  }
  return { alerts: [...byFingerprint.values()], transitions };
}

/** The labels an alert carries: the series', then the rule's, then `alertname` (as Prometheus). */
export function alertLabels(rule: AlertRule, series: Labels): Labels {
  const labels: Labels = { ...series, ...rule.labels, alertname: rule.name };
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const encoder = new TextEncoder();

/**
 * Prometheus's label-set fingerprint (model.LabelSet.Fingerprint): FNV-1a 64 over the sorted
 * names and values, each followed by a 0xff byte, as 16 hex digits. The same labels give the
 * same fingerprint as Prometheus and Alertmanager compute, so receivers deduplicate alike.
 */
export function labelsFingerprint(labels: Labels): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return FNV_OFFSET.toString(16).padStart(16, '0');
  let h = FNV_OFFSET;
  const add = (bytes: Uint8Array) => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK;
  };
  const sep = new Uint8Array([0xff]);
  for (const name of names) {
    add(encoder.encode(name));
    add(sep);
    add(encoder.encode(labels[name]!));
    add(sep);
  }
  return h.toString(16).padStart(16, '0');
}

export type Comparison = '>' | '>=' | '<' | '<=';

export function compare(value: number, comparison: Comparison, level: number): boolean {
  switch (comparison) {
    case '>':
      return value > level;
    case '>=':
      return value >= level;
    case '<':
      return value < level;
    case '<=':
      return value <= level;
  }
}

/** A rule over one measured signal with a warning and/or a critical level (the config's shape). */
export interface LevelRule {
  name: string;
  comparison: Comparison;
  warning?: number;
  critical?: number;
  forMs: number;
  keepFiringForMs: number;
  labels?: Labels;
  annotations?: Record<string, string>;
}

/**
 * A rule with two levels is two Prometheus rules, one per severity, each with its own pending
 * timer: a value past the critical level fires both (receivers inhibit the warning), and falling
 * back under it resolves the critical one while the warning keeps firing.
 */
export function levelRules(rule: LevelRule): { rule: AlertRule; level: number }[] {
  const out: { rule: AlertRule; level: number }[] = [];
  for (const severity of ['warning', 'critical'] as const) {
    const level = rule[severity];
    if (level === undefined) continue;
    out.push({
      level,
      rule: {
        name: rule.name,
        forMs: rule.forMs,
        keepFiringForMs: rule.keepFiringForMs,
        labels: { ...rule.labels, severity },
        annotations: { ...rule.annotations },
      },
    });
  }
  return out;
}

/** The series of `values` that meet `comparison level` (a signal measured per target, say). */
export function seriesOver(values: readonly { labels: Labels; value: number }[], comparison: Comparison, level: number): RuleResult[] {
  return values
    .filter((v) => Number.isFinite(v.value) && compare(v.value, comparison, level))
    .map((v) => ({ labels: v.labels, value: v.value }));
}
