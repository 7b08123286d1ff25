// What to tell the webhooks, and in which words: which alerts are due a message at this
// evaluation (exactly one per transition, deduplicated by fingerprint and startsAt, a firing
// alert repeated every `repeatIntervalMs`), and the bodies: Alertmanager's webhook payload
// (version "4"), so anything that takes Alertmanager webhooks takes prodx's, and a Slack
// incoming-webhook message. Pure: time and the record of what was sent are arguments; sending,
// retrying and backing off belong to the adapter.
import type { AlertInstance, Labels } from './engine.js';

export type NotifyStatus = 'firing' | 'resolved';

/** What was last sent for one alert (by fingerprint and startsAt), kept with the alert state. */
export interface SentRecord {
  fingerprint: string;
  startsAt: number;
  status: NotifyStatus;
  at: number;
}

export interface Due {
  alert: AlertInstance;
  status: NotifyStatus;
  /** true when this repeats a firing message already sent */
  repeat: boolean;
}

const key = (fingerprint: string, startsAt: number) => `${fingerprint}@${startsAt}`;

/**
 * The alerts due a message now. A pending alert is never sent; a firing one once, then again
 * every `repeatIntervalMs` while it fires; a resolved one once. An alert that fired and resolved
 * between two sends gets only the resolution if the firing was never sent (a receiver shown a
 * resolution for an alert it never saw opened learns nothing from an extra firing message).
 */
export function dueNotifications(
  alerts: readonly AlertInstance[],
  sent: readonly SentRecord[],
  now: number,
  repeatIntervalMs: number,
): Due[] {
  const last = new Map(sent.map((s) => [key(s.fingerprint, s.startsAt), s]));
  const due: Due[] = [];
  for (const alert of alerts) {
    if (alert.state === 'pending') continue;
    const status: NotifyStatus = alert.state === 'firing' ? 'firing' : 'resolved';
    // a resolved alert that never fired (dropped while pending) has no firedAt: nothing to say
    if (alert.firedAt === undefined) continue;
    const previous = last.get(key(alert.fingerprint, alert.activeAt));
    if (status === 'resolved') {
      if (previous?.status !== 'resolved') due.push({ alert, status, repeat: false });
      continue;
    }
    if (!previous) due.push({ alert, status, repeat: false });
    else if (previous.status === 'firing' && repeatIntervalMs > 0 && now - previous.at >= repeatIntervalMs)
      due.push({ alert, status, repeat: true });
  }
  return due;
}

/** The record after `due` was delivered at `now`: one entry per alert, the newest kept. */
export function recordSent(sent: readonly SentRecord[], delivered: readonly Due[], now: number, keepAfterMs: number): SentRecord[] {
  const byKey = new Map(sent.filter((s) => now - s.at <= keepAfterMs).map((s) => [key(s.fingerprint, s.startsAt), s]));
  for (const d of delivered)
    byKey.set(key(d.alert.fingerprint, d.alert.activeAt), {
      fingerprint: d.alert.fingerprint,
      startsAt: d.alert.activeAt,
      status: d.status,
      at: now,
    });
  return [...byKey.values()];
}

/** Alertmanager's "zero" time, which it sends as the endsAt of an alert still firing. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface AlertmanagerAlert {
  status: NotifyStatus;
  labels: Labels;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: NotifyStatus;
  receiver: string;
  groupLabels: Labels;
  commonLabels: Labels;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

function common(maps: readonly Record<string, string>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const [first, ...rest] = maps;
  return Object.fromEntries(Object.entries(first!).filter(([k, v]) => rest.every((m) => m[k] === v)));
}

/**
 * One Alertmanager webhook message for a group of due alerts (prodx groups by alertname, as
 * Alertmanager's default route does). `status` is firing when any alert in it fires.
 */
export function alertmanagerPayload(due: readonly Due[], o: { receiver: string; externalURL: string }): AlertmanagerPayload {
  const alerts = due.map((d): AlertmanagerAlert => ({
    status: d.status,
    labels: d.alert.labels,
    annotations: d.alert.annotations,
    startsAt: new Date(d.alert.activeAt).toISOString(),
    endsAt: d.status === 'resolved' && d.alert.resolvedAt !== undefined ? new Date(d.alert.resolvedAt).toISOString() : ZERO_TIME,
    generatorURL: o.externalURL,
    fingerprint: d.alert.fingerprint,
  }));
  const commonLabels = common(alerts.map((a) => a.labels));
  const groupLabels: Labels = commonLabels['alertname'] !== undefined ? { alertname: commonLabels['alertname'] } : {};
  return {
    version: '4',
    groupKey: `{}:${JSON.stringify(groupLabels)}`,
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: o.receiver,
    groupLabels,
    commonLabels,
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL: o.externalURL,
    alerts,
  };
}

/** A Slack incoming-webhook body: a `text` fallback (what notifications show) and blocks. */
export function slackPayload(due: readonly Due[]): { text: string; blocks: unknown[] } {
  const line = (d: Due) => {
    const l = d.alert.labels;
    const where = [l['environment'], l['target']].filter(Boolean).join('/');
    const what = d.alert.annotations['summary'] ?? `${l['alertname']} = ${d.alert.value}`;
    return `${d.status === 'firing' ? ':red_circle: FIRING' : ':large_green_circle: RESOLVED'} ${l['alertname']}${where ? ` (${where})` : ''}${l['severity'] ? ` [${l['severity']}]` : ''}: ${what}`;
  };
  const lines = due.map(line);
  return {
    text: lines.join('\n'),
    blocks: lines.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  };
}
