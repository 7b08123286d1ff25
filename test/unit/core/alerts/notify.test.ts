import { describe, expect, it } from 'vitest';
import { evaluateRule, type AlertInstance, type AlertRule } from '../../../../src/core/alerts/engine.js';
import { alertmanagerPayload, dueNotifications, recordSent, slackPayload, type SentRecord } from '../../../../src/core/alerts/notify.js';

const S = 1000;
const rule: AlertRule = {
  name: 'HighErrorRate',
  forMs: 30 * S,
  keepFiringForMs: 0,
  labels: { severity: 'critical' },
  annotations: { summary: 'error rate 5% over 2%' },
};
const series = { labels: { environment: 'production', target: 'green' }, value: 0.05 };

/** Evaluates every 30 s with `met[i]`, delivering what is due; returns the messages per evaluation. */
function deliveries(met: boolean[], repeatMs = 0): string[] {
  let alerts: AlertInstance[] = [];
  let sent: SentRecord[] = [];
  const out: string[] = [];
  met.forEach((m, i) => {
    const at = i * 30 * S;
    alerts = evaluateRule(rule, alerts, m ? [series] : [], at).alerts;
    const due = dueNotifications(alerts, sent, at, repeatMs);
    sent = recordSent(sent, due, at, 24 * 3600 * S);
    for (const d of due) out.push(`${at / S}:${d.status}${d.repeat ? ' (repeat)' : ''}`);
  });
  return out;
}

describe('which transitions are sent', () => {
  it.each<[string, boolean[], number, string[]]>([
    [
      'one firing, one resolved, however many evaluations between',
      [true, true, true, true, false, false, false],
      0,
      ['30:firing', '120:resolved'],
    ],
    ['a pending alert that clears sends nothing', [true, false, true, false], 0, []],
    [
      'a firing alert is repeated every repeat interval',
      [true, true, true, true, true, true],
      60 * S,
      ['30:firing', '90:firing (repeat)', '150:firing (repeat)'],
    ],
    ['a new alert after a resolution is a new message', [true, true, false, true, true], 0, ['30:firing', '60:resolved', '120:firing']],
  ])('%s', (_what, met, repeatMs, want) => {
    expect(deliveries(met, repeatMs)).toEqual(want);
  });

  it('an undelivered message stays due: nothing is recorded as sent until it was', () => {
    const alerts = evaluateRule({ ...rule, forMs: 0 }, [], [series], 0).alerts;
    expect(dueNotifications(alerts, [], 0, 0)).toHaveLength(1);
    expect(dueNotifications(alerts, [], 10 * S, 0)).toHaveLength(1);
    const sent = recordSent([], dueNotifications(alerts, [], 10 * S, 0), 10 * S, 3600 * S);
    expect(dueNotifications(alerts, sent, 20 * S, 0)).toHaveLength(0);
  });
});

describe('message bodies', () => {
  const fired = evaluateRule({ ...rule, forMs: 0 }, [], [series], Date.UTC(2026, 11, 2, 10)).alerts;
  const resolved = evaluateRule({ ...rule, forMs: 0 }, fired, [], Date.UTC(2026, 11, 2, 10, 5)).alerts;

  it("are Alertmanager's webhook payload, version 4", () => {
    const firing = alertmanagerPayload(dueNotifications(fired, [], 0, 0), { receiver: 'ops', externalURL: 'http://127.0.0.1:8790' });
    expect(firing).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'ops',
      groupLabels: { alertname: 'HighErrorRate' },
      commonLabels: { alertname: 'HighErrorRate', environment: 'production', severity: 'critical', target: 'green' },
      commonAnnotations: { summary: 'error rate 5% over 2%' },
      truncatedAlerts: 0,
    });
    expect(firing.alerts).toEqual([
      expect.objectContaining({
        status: 'firing',
        startsAt: '2026-12-02T10:00:00.000Z',
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: fired[0]!.fingerprint,
      }),
    ]);
    const done = alertmanagerPayload(dueNotifications(resolved, [], 0, 0), { receiver: 'ops', externalURL: '' });
    expect(done.status).toBe('resolved');
    expect(done.alerts[0]).toMatchObject({ status: 'resolved', startsAt: '2026-12-02T10:00:00.000Z', endsAt: '2026-12-02T10:05:00.000Z' });
  });

  it('keeps only the labels every alert of a message shares', () => {
    const two = evaluateRule(
      { ...rule, forMs: 0 },
      [],
      [series, { labels: { environment: 'production', target: 'blue' }, value: 0.1 }],
      0,
    ).alerts;
    const p = alertmanagerPayload(dueNotifications(two, [], 0, 0), { receiver: 'ops', externalURL: '' });
    expect(p.commonLabels).toEqual({ alertname: 'HighErrorRate', environment: 'production', severity: 'critical' });
    expect(p.alerts).toHaveLength(2);
  });

  it('are a Slack text that names the alert, where, and why', () => {
    const s = slackPayload(dueNotifications(fired, [], 0, 0));
    expect(s.text).toBe(':red_circle: FIRING HighErrorRate (production/green) [critical]: error rate 5% over 2%');
    expect(s.blocks).toHaveLength(1);
    expect(slackPayload(dueNotifications(resolved, [], 0, 0)).text).toMatch(/^:large_green_circle: RESOLVED HighErrorRate/);
  });
});
