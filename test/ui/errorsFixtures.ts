// An errors report as the errors poller gives one, built from real rollups: events made as the
// SDKs send them, grouped by the grouping the collector uses, rolled up per hour as the writer
// does, and reported for the last 24 hours with statuses people set.
import type { ErrorEvent, Frame } from '../../src/core/errors/event.js';
import { groupEvent } from '../../src/core/errors/grouping.js';
import { buildErrorsReport, type ErrorsReport, type GroupStatus } from '../../src/core/errors/report.js';
import { ErrorsRollup, type ErrorsHourJson } from '../../src/core/errors/rollup.js';
import { HOUR_MS, hourOf } from '../../src/core/rum/rollup.js';
import { namedWindow } from '../../src/core/rum/window.js';

export const NOW = Date.now();
const GROUPING = { fingerprintRules: [], categoryRules: [], notInApp: [] };

const app = (fn: string, file: string, line: number, context_line?: string): Frame => ({
  function: fn,
  filename: file,
  lineno: line,
  colno: 7,
  ...(context_line ? { context_line } : {}),
});
const lib = (fn: string): Frame => ({
  function: fn,
  filename: 'https://weather.example/node_modules/leaflet/dist/leaflet-src.js',
  lineno: 1200,
});

export interface Kind {
  type: string;
  value: string;
  /** outermost first, innermost last (Sentry's order) */
  frames: Frame[];
  tags?: Record<string, string>;
}

export const KINDS = {
  tile: {
    type: 'TypeError',
    value: 'tile is undefined',
    frames: [
      app('main', 'https://weather.example/src/main.js', 12),
      app('renderTile', 'https://weather.example/src/map/tiles.js', 88, 'const url = tile.url;'),
      lib('GridLayer._addTile'),
      lib('GridLayer._update'),
      lib('Map.fire'),
      lib('Util.requestAnimFrame'),
      lib('GridLayer.createTile'),
    ],
    tags: { browser: 'Firefox 133', os: 'Linux' },
  },
  refused: { type: 'Error', value: 'connect ECONNREFUSED 10.0.3.8:8080', frames: [app('fetchForecast', 'src/api/forecast.js', 40)] },
  range: { type: 'RangeError', value: 'Invalid time value', frames: [app('formatHour', 'src/ui/clock.js', 9, 'return fmt.format(d);')] },
  payment: {
    type: 'PaymentDeclined',
    value: 'Payment declined for order 87234',
    frames: [app('submitPayment', 'src/checkout/pay.js', 71)],
  },
  alerts: {
    type: 'TypeError',
    value: "Cannot read properties of null (reading 'alerts')",
    frames: [app('showAlerts', 'src/alerts.js', 5)],
  },
} satisfies Record<string, Kind>;

let n = 0;
function event(kind: Kind, o: { ts: number; release: string; user: string }): ErrorEvent {
  n++;
  return {
    id: n.toString(16).padStart(32, '0'),
    ts: o.ts,
    source: 'sentry',
    project: 'weather',
    platform: 'javascript',
    level: 'error',
    exceptions: [{ type: kind.type, value: kind.value, frames: kind.frames }],
    release: o.release,
    environment: 'production',
    user: o.user,
    session: `s-${o.user}`,
    url: 'https://weather.example/?city=Oslo',
    tags: kind.tags ?? {},
  };
}

/** `count` events of a kind, `minutesAgo` apart from the newest, from `users` users */
function burst(kind: Kind, count: number, users: number, o: { newest: number; release: string; spacingMin?: number }): ErrorEvent[] {
  return Array.from({ length: count }, (_, i) =>
    event(kind, { ts: o.newest - i * (o.spacingMin ?? 5) * 60_000, release: o.release, user: `u${i % users}` }),
  );
}

export const id = (kind: Kind) => groupEvent(event(kind, { ts: NOW, release: 'x', user: '' }), GROUPING).group;

/** the events, grouped and rolled up per hour as the collector's writer does */
function hours(events: readonly ErrorEvent[]): ErrorsHourJson[] {
  const byHour = new Map<number, ErrorsRollup>();
  for (const e of events) {
    const h = hourOf(e.ts);
    let r = byHour.get(h);
    if (!r) byHour.set(h, (r = new ErrorsRollup(h)));
    r.add(groupEvent(e, GROUPING));
  }
  return [...byHour.values()].map((r) => r.toJson());
}

/**
 * tile: 40 events from 30 users, seen in 4.2.0 two days ago, resolved then, back in 4.3.0: regressed.
 * refused: 25 events from 5 users, the latest of all. range: only in 4.3.0: new. payment: ignored.
 * alerts: resolved an hour ago, not seen since.
 */
export function report(): ErrorsReport {
  const events = [
    ...burst(KINDS.tile, 5, 5, { newest: NOW - 50 * HOUR_MS, release: '4.2.0' }),
    ...burst(KINDS.tile, 40, 30, { newest: NOW - 10 * 60_000, release: '4.3.0' }),
    ...burst(KINDS.refused, 2, 2, { newest: NOW - 49 * HOUR_MS, release: '4.2.0' }),
    ...burst(KINDS.refused, 25, 5, { newest: NOW - 30_000, release: '4.3.0', spacingMin: 20 }),
    ...burst(KINDS.range, 10, 10, { newest: NOW - 3 * 60_000, release: '4.3.0' }),
    ...burst(KINDS.payment, 6, 6, { newest: NOW - 2 * HOUR_MS, release: '4.2.0', spacingMin: 60 }),
    ...burst(KINDS.alerts, 1, 1, { newest: NOW - 48 * HOUR_MS, release: '4.2.0' }),
    ...burst(KINDS.alerts, 3, 3, { newest: NOW - 2 * HOUR_MS, release: '4.3.0' }),
  ];
  const statuses: Record<string, GroupStatus> = {
    [id(KINDS.tile)]: { status: 'resolved', at: NOW - 40 * HOUR_MS, release: '4.2.0', by: 'alice' },
    [id(KINDS.payment)]: { status: 'ignored', at: NOW - HOUR_MS, release: '', by: 'alice' },
    [id(KINDS.alerts)]: { status: 'resolved', at: NOW - HOUR_MS, release: '4.3.0', by: 'alice' },
  };
  return buildErrorsReport(hours(events), statuses, namedWindow('24h', NOW));
}
