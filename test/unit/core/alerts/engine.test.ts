import { describe, expect, it } from 'vitest';
import {
  RESOLVED_RETENTION_MS,
  evaluateRule,
  labelsFingerprint,
  levelRules,
  seriesOver,
  type AlertInstance,
  type AlertRule,
  type TransitionKind,
} from '../../../../src/core/alerts/engine.js';

const S = 1000;
const rule = (o: Partial<AlertRule> = {}): AlertRule => ({
  name: 'HighErrorRate',
  forMs: 60 * S,
  keepFiringForMs: 0,
  labels: { severity: 'critical' },
  annotations: { summary: 'error rate over 2%' },
  ...o,
});
const series = { labels: { target: 'green', environment: 'production' }, value: 0.05 };

/**
 * Runs a rule over evaluations every `interval` from 0: `met[i]` says whether the condition
 * holds at the i-th one. Returns, per evaluation, the alert's state (or 'none') and the
 * transitions seen there.
 */
function run(r: AlertRule, met: boolean[], interval = 30 * S) {
  let alerts: AlertInstance[] = [];
  return met.map((m, i) => {
    const at = i * interval;
    const e = evaluateRule(r, alerts, m ? [series] : [], at);
    alerts = e.alerts;
    return { at, state: alerts[0]?.state ?? 'none', kinds: e.transitions.map((t) => t.kind), alert: alerts[0] };
  });
}
const states = (rows: ReturnType<typeof run>) => rows.map((r) => r.state);
const kinds = (rows: ReturnType<typeof run>) => rows.flatMap((r) => r.kinds.map((k) => `${r.at / S}:${k}`));

describe('alert rules with Prometheus semantics', () => {
  it.each<[string, Partial<AlertRule>, boolean[], string[], string[]]>([
    [
      'for 1m at a 30 s interval: pending at 0 and 30 s, firing at the evaluation 60 s after the first',
      {},
      [true, true, true, true],
      ['pending', 'pending', 'firing', 'firing'],
      ['0:pending', '60:firing'],
    ],
    ['for 0 fires at the evaluation that first sees it', { forMs: 0 }, [true], ['firing'], ['0:pending', '0:firing']],
    [
      'for 45 s is checked only at evaluations: fires at 60 s, not at 45 s',
      { forMs: 45 * S },
      [true, true, true],
      ['pending', 'pending', 'firing'],
      ['0:pending', '60:firing'],
    ],
    [
      'a pending alert whose condition clears is dropped, never resolved',
      {},
      [true, true, false, true],
      ['pending', 'pending', 'none', 'pending'],
      ['0:pending', '60:dropped', '90:pending'],
    ],
    [
      'a firing alert whose condition clears resolves at that evaluation',
      { forMs: 0 },
      [true, false, false],
      ['firing', 'inactive', 'inactive'],
      ['0:pending', '0:firing', '30:resolved'],
    ],
    [
      'keepFiringFor 1m: firing until the first false evaluation is 60 s old',
      { forMs: 0, keepFiringForMs: 60 * S },
      [true, true, true, false, false, false],
      ['firing', 'firing', 'firing', 'firing', 'firing', 'inactive'],
      ['0:pending', '0:firing', '150:resolved'],
    ],
    [
      'keepFiringFor restarts when the condition returns',
      { forMs: 0, keepFiringForMs: 60 * S },
      [true, false, true, false, false, false],
      ['firing', 'firing', 'firing', 'firing', 'firing', 'inactive'],
      ['0:pending', '0:firing', '150:resolved'],
    ],
    [
      'keepFiringFor does not hold a pending alert',
      { keepFiringForMs: 60 * S },
      [true, false],
      ['pending', 'none'],
      ['0:pending', '30:dropped'],
    ],
    [
      'met again after it resolved: a new alert that waits for `for` again',
      {},
      [true, true, true, false, true, true, true],
      ['pending', 'pending', 'firing', 'inactive', 'pending', 'pending', 'firing'],
      ['0:pending', '60:firing', '90:resolved', '120:pending', '180:firing'],
    ],
  ])('%s', (_what, o, met, wantStates, wantKinds) => {
    const rows = run(rule(o), met);
    expect(states(rows)).toEqual(wantStates);
    expect(kinds(rows)).toEqual(wantKinds);
  });

  it('keeps a resolved alert for the retention time, then forgets it', () => {
    const r = rule({ forMs: 0 });
    let alerts = evaluateRule(r, [], [series], 0).alerts;
    alerts = evaluateRule(r, alerts, [], 10 * S).alerts;
    expect(alerts[0]).toMatchObject({ state: 'inactive', resolvedAt: 10 * S, firedAt: 0, activeAt: 0 });
    alerts = evaluateRule(r, alerts, [], 10 * S + RESOLVED_RETENTION_MS).alerts;
    expect(alerts).toHaveLength(1);
    const e = evaluateRule(r, alerts, [], 10 * S + RESOLVED_RETENTION_MS + 1);
    expect(e.alerts).toHaveLength(0);
    expect(e.transitions).toEqual([]);
  });

  it('a new activeAt after a resolution, so a receiver sees a new alert', () => {
    const rows = run(rule({ forMs: 0 }), [true, false, true]);
    expect(rows[0]!.alert!.activeAt).toBe(0);
    expect(rows[2]!.alert!.activeAt).toBe(60 * S);
    expect(rows[2]!.alert!.resolvedAt).toBeUndefined();
  });

  it('tracks each series on its own and carries the measured value', () => {
    const r = rule({ forMs: 30 * S });
    const blue = { labels: { target: 'blue' }, value: 0.03 };
    const green = { labels: { target: 'green' }, value: 0.08 };
    let e = evaluateRule(r, [], [blue], 0);
    e = evaluateRule(r, e.alerts, [blue, green], 30 * S);
    const byTarget = Object.fromEntries(e.alerts.map((a) => [a.labels['target'], a]));
    expect(byTarget['blue']!.state).toBe('firing');
    expect(byTarget['green']!.state).toBe('pending');
    expect(byTarget['green']!.value).toBe(0.08);
    expect(byTarget['blue']!.labels).toEqual({ alertname: 'HighErrorRate', severity: 'critical', target: 'blue' });
    expect(e.transitions.map((t) => `${t.labels['target']}:${t.kind}`)).toEqual(['green:pending', 'blue:firing']);
  });

  it('the rule wins over a series label, and alertname over both', () => {
    const e = evaluateRule(rule({ forMs: 0 }), [], [{ labels: { severity: 'low', alertname: 'x', target: 'a' }, value: 1 }], 0);
    expect(e.alerts[0]!.labels).toEqual({ alertname: 'HighErrorRate', severity: 'critical', target: 'a' });
  });

  it('does not change the state it was given', () => {
    const r = rule({ forMs: 0 });
    const first = evaluateRule(r, [], [series], 0).alerts;
    const copy = structuredClone(first);
    evaluateRule(r, first, [], 30 * S);
    expect(first).toEqual(copy);
  });

  it('refuses two series with the same labels', () => {
    expect(() => evaluateRule(rule(), [], [series, series], 0)).toThrow(/same labels/);
  });
});

describe('label fingerprints', () => {
  it("are Prometheus's (FNV-1a 64 with 0xff separators, as model.LabelsToSignature)", () => {
    // the values of Prometheus's own common/model signature tests
    expect(BigInt(`0x${labelsFingerprint({})}`)).toBe(14695981039346656037n);
    expect(BigInt(`0x${labelsFingerprint({ name: 'garland, briggs', fear: 'love is not enough' })}`)).toBe(5799056148416392346n);
  });

  it('do not depend on the order of the labels, and differ for different values', () => {
    expect(labelsFingerprint({ a: '1', b: '2' })).toBe(labelsFingerprint({ b: '2', a: '1' }));
    expect(labelsFingerprint({ a: '1', b: '2' })).not.toBe(labelsFingerprint({ a: '1', b: '3' }));
    expect(labelsFingerprint({ ab: 'c' })).not.toBe(labelsFingerprint({ a: 'bc' }));
  });
});

describe('rules with warning and critical levels', () => {
  it('are one rule per level, each with its own timer', () => {
    const levels = levelRules({ name: 'SlowResponses', comparison: '>', warning: 1000, critical: 2000, forMs: 30 * S, keepFiringForMs: 0 });
    expect(levels.map((l) => [l.rule.labels['severity'], l.level])).toEqual([
      ['warning', 1000],
      ['critical', 2000],
    ]);
    const values = [1500, 2500, 2500, 1500, 1500].map((value) => [{ labels: { target: 'blue' }, value }]);
    const seen: Record<string, TransitionKind[]> = { warning: [], critical: [] };
    for (const l of levels) {
      let alerts: AlertInstance[] = [];
      values.forEach((v, i) => {
        const e = evaluateRule(l.rule, alerts, seriesOver(v, '>', l.level), i * 30 * S);
        alerts = e.alerts;
        seen[l.rule.labels['severity']!]!.push(...e.transitions.map((t) => t.kind));
      });
    }
    // the warning fires at 30 s and stays; the critical fires at 60 s and resolves at 90 s
    expect(seen['warning']).toEqual(['pending', 'firing']);
    expect(seen['critical']).toEqual(['pending', 'firing', 'resolved']);
  });

  it.each<['>' | '>=' | '<' | '<=', number, boolean]>([
    ['>', 2000, false],
    ['>=', 2000, true],
    ['<', 2000, false],
    ['<=', 2000, true],
    ['<', 2001, true],
  ])('%s %d meets 2000: %s', (comparison, level, want) => {
    expect(seriesOver([{ labels: {}, value: 2000 }], comparison, level).length === 1).toBe(want);
  });

  it('ignores a signal that was not measured', () => {
    expect(seriesOver([{ labels: {}, value: Number.NaN }], '<', 1)).toEqual([]);
  });
});
