// What the collector counts, answered at GET / (readiness checks and `prodx rum|errors status`):
// the RUM side at the top level, the errors side under `errors`.
export interface ErrorsStatus {
  requests: number;
  events: number;
  duplicates: number;
  rejected: number;
  rejectedBy: Record<string, number>;
  /** envelope items that are not errors (transactions, replays, …): skipped, the envelope is fine */
  skippedItems: Record<string, number>;
  sessions: number;
  clientReports: number;
  lastEventAt: number | null;
}

export interface CollectorStatus {
  ok: true;
  service: 'prodx-collector';
  pid: number;
  startedAt: number;
  received: number;
  stored: number;
  rejected: number;
  rejectedBy: Record<string, number>;
  requests: number;
  refusedBy: Record<string, number>;
  lastEventAt: number | null;
  lateDuplicates: number;
  replaced: number;
  errors?: ErrorsStatus;
}

export const emptyStatus = (startedAt: number): CollectorStatus => ({
  ok: true,
  service: 'prodx-collector',
  pid: process.pid,
  startedAt,
  received: 0,
  stored: 0,
  rejected: 0,
  rejectedBy: {},
  requests: 0,
  refusedBy: {},
  lastEventAt: null,
  lateDuplicates: 0,
  replaced: 0,
});

export const emptyErrorsStatus = (): ErrorsStatus => ({
  requests: 0,
  events: 0,
  duplicates: 0,
  rejected: 0,
  rejectedBy: {},
  skippedItems: {},
  sessions: 0,
  clientReports: 0,
  lastEventAt: null,
});
