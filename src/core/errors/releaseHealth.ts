// Release health from what the SDKs send besides events: `session` items (one session's update)
// and `sessions` aggregates (@sentry/node in server mode) become counts of ended sessions per
// release, crash-free sessions being the dashboard's measure; `client_report` items say how many
// events an SDK dropped before sending, and why.
import type { SessionCounts } from './rollup.js';
import { fromSession, fromSessions } from './sentry.js';

/** what one session item or aggregate adds; null for a running session's update or junk */
export function sessionOutcome(type: 'session' | 'sessions', raw: unknown): { release: string; counts: SessionCounts } | null {
  if (type === 'session') {
    const s = fromSession(raw);
    // an update of a running session ("ok") is not an outcome yet
    if (!s || s.status === 'ok') return null;
    return {
      release: s.release,
      counts: {
        total: 1,
        errored: s.errors > 0 || s.status === 'errored' ? 1 : 0,
        crashed: s.status === 'crashed' ? 1 : 0,
        abnormal: s.status === 'abnormal' ? 1 : 0,
      },
    };
  }
  const s = fromSessions(raw);
  if (!s) return null;
  const total = s.exited + s.errored + s.crashed + s.abnormal;
  if (!total) return null;
  return { release: s.release, counts: { total, errored: s.errored + s.crashed, crashed: s.crashed, abnormal: s.abnormal } };
}

/** a client report's discarded events as "reason:category" and a count */
export function droppedOf(raw: unknown): { reason: string; n: number }[] {
  const list = (raw as { discarded_events?: unknown } | null)?.discarded_events;
  if (!Array.isArray(list)) return [];
  const out: { reason: string; n: number }[] = [];
  for (const d of list as { reason?: unknown; category?: unknown; quantity?: unknown }[])
    if (typeof d?.quantity === 'number' && Number.isFinite(d.quantity) && d.quantity > 0)
      out.push({ reason: `${String(d.reason).slice(0, 40)}:${String(d.category).slice(0, 40)}`, n: d.quantity });
  return out;
}
