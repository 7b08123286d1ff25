// `prodx collect`: the HTTP side of prodx's one long-running service. node:http because the
// collector's work is a body limit, CORS, a token and a rate limit in front of one parse-and-append
// path, measured against a bare node:http server (bench/collector.mjs): a framework would only
// sit between the two.
//
//   POST /v1/rum   one event, a JSON array, or NDJSON; text/plain (what sendBeacon sends for a
//                  string), application/json or no type. 200 when every event was stored; 400 when
//                  some were not (the valid ones are stored, the rest counted by reason); 401 wrong
//                  token (header `Authorization: Bearer`, `X-Prodx-Token`, or `?token=`, since
//                  sendBeacon cannot set a header); 403 an origin not allowed; 413 over
//                  maxBodyBytes; 415 another content type; 429 over the client's rate, with Retry-After.
//   OPTIONS        the CORS preflight: the exact origin back with credentials allowed (a
//                  sendBeacon Blob of type application/json is sent with credentials; `*` fails).
//   GET /          a small JSON status; readiness checks use it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkRumEvent, type RumEvent } from '../../core/rum/events.js';
import { rate } from '../../core/rum/metrics.js';
import { splitEvents } from '../../core/rum/batch.js';
import { TokenBuckets } from '../../core/rateLimit.js';
import type { RumWriter } from '../events/rumStore.js';
import { ErrorsEndpoint, isErrorsPath, type ErrorsIngestOptions } from './sentry.js';
import { emptyStatus, type CollectorStatus } from './status.js';
import { corsFor, tokenOf } from './http.js';

export type { CollectorStatus } from './status.js';

export interface CollectorOptions {
  host: string;
  port: number;
  token: string | null;
  allowedOrigins: readonly string[];
  maxBodyBytes: number;
  ratePerClient: number;
  burst: number;
  retentionDays: number;
  writer: RumWriter;
  /** Sentry envelopes, CSP reports and /v1/errors (sentry.ts) */
  errors?: ErrorsIngestOptions;
  /** how often rollups are written (and finished values finalized) */
  flushEveryMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface Collector {
  url: string;
  port: number;
  status(): CollectorStatus;
  /** stops listening, lets requests in flight finish, writes the last rollups */
  close(): Promise<void>;
}

const ACCEPTED_TYPES = ['text/plain', 'application/json', 'application/x-ndjson', 'application/ndjson'];

/** One request at a time: the checks in the order a client needs their answers, then the store. */
class RumEndpoint {
  readonly st: CollectorStatus;
  readonly limits: TokenBuckets;

  constructor(
    private readonly o: CollectorOptions,
    private readonly now: () => number,
  ) {
    this.st = emptyStatus(now());
    this.limits = new TokenBuckets(o.ratePerClient, o.burst);
  }

  private refuse(res: ServerResponse, code: number, reason: string, message: string, headers: Record<string, string> = {}): void {
    this.st.refusedBy[reason] = (this.st.refusedBy[reason] ?? 0) + 1;
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ ok: false, error: { code: reason, message } }));
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.st.requests++;
    // most requests are a plain POST /v1/rum: parse a URL only when it has a query
    const raw = req.url ?? '/';
    const url = raw.includes('?') ? new URL(raw, 'http://collector.invalid') : { pathname: raw, searchParams: new URLSearchParams() };
    const { origin, headers: cors } = corsFor(req, this.o.allowedOrigins);
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'application/json', ...(cors ?? {}) });
      res.end(JSON.stringify(this.statusOf()));
      return;
    }
    if (url.pathname !== '/v1/rum')
      return this.refuse(
        res,
        404,
        'not-found',
        this.o.errors
          ? 'the collector takes POST /v1/rum, /v1/errors, /v1/csp and Sentry envelopes at /api/<project>/envelope/'
          : 'the collector takes POST /v1/rum',
      );
    if (cors === null) return this.refuse(res, 403, 'origin-not-allowed', `origin ${origin} is not in collector.allowedOrigins`);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'content-type, authorization, x-prodx-token',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (req.method !== 'POST')
      return this.refuse(res, 405, 'method-not-allowed', 'POST events to /v1/rum', { allow: 'POST, OPTIONS', ...cors });
    if (this.o.token !== null && tokenOf(req, url.searchParams) !== this.o.token)
      return this.refuse(res, 401, 'unauthorized', 'wrong or missing collector token', cors);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type && !ACCEPTED_TYPES.includes(type))
      return this.refuse(res, 415, 'unsupported-type', `content type ${type}: send text/plain, application/json or NDJSON`, cors);
    const client = req.socket.remoteAddress ?? 'unknown';
    const decision = this.limits.take(client, this.now());
    if (!decision.allowed)
      return this.refuse(res, 429, 'rate-limited', `more than ${this.o.ratePerClient} requests per second from ${client}`, {
        'retry-after': String(decision.retryAfterS),
        ...cors,
      });
    this.readBody(req, res, cors);
  }

  private readBody(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    const max = this.o.maxBodyBytes;
    const tooBig = () => {
      this.refuse(res, 413, 'too-large', `the body is over collector.maxBodyBytes (${max} bytes)`, { connection: 'close', ...cors });
      req.resume();
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) return tooBig();
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > max) {
        over = true;
        tooBig();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (over) return;
      this.ingest(res, cors, Buffer.concat(chunks).toString('utf8'));
    });
  }

  private ingest(res: ServerResponse, cors: Record<string, string>, body: string): void {
    const t = this.now();
    const { values, badLines } = splitEvents(body);
    const accepted: RumEvent[] = [];
    const reasons: Record<string, number> = badLines ? { 'bad-json': badLines } : {};
    let firstProblem: string | null = badLines ? 'a line is not JSON' : null;
    const oldest = t - this.o.retentionDays * 86_400_000;
    for (const v of values) {
      const c = checkRumEvent(v, t, oldest, rate);
      if (c.ok) accepted.push(c.event);
      else {
        reasons[c.reason] = (reasons[c.reason] ?? 0) + 1;
        firstProblem ??= c.message;
      }
    }
    if (values.length === 0 && badLines === 0) {
      reasons['empty'] = 1;
      firstProblem = 'the body holds no event';
    }
    let rejected = 0;
    for (const k in reasons) rejected += reasons[k]!;
    try {
      if (accepted.length) this.o.writer.append(accepted, t);
    } catch (err) {
      // a disk that refuses the write: the client may retry, nothing was answered 2xx
      this.o.log?.(`cannot store events: ${err instanceof Error ? err.message : String(err)}`);
      return this.refuse(res, 503, 'store-failed', 'the collector cannot store events right now', cors);
    }
    this.count(accepted.length, rejected, reasons, t);
    res.writeHead(rejected ? 400 : 200, { 'content-type': 'application/json', ...cors });
    res.end(
      rejected
        ? JSON.stringify({
            ok: false,
            accepted: accepted.length,
            rejected,
            reasons,
            error: { code: 'rum-rejected', message: firstProblem },
          })
        : `{"ok":true,"accepted":${accepted.length}}`,
    );
  }

  private count(accepted: number, rejected: number, reasons: Record<string, number>, t: number): void {
    const st = this.st;
    st.received += accepted + rejected;
    st.stored += accepted;
    st.rejected += rejected;
    for (const k in reasons) st.rejectedBy[k] = (st.rejectedBy[k] ?? 0) + reasons[k]!;
    if (accepted) st.lastEventAt = t;
  }

  /** what GET / answers: the RUM side's, or the whole collector's once startCollector sets it */
  statusOf: () => CollectorStatus = () => this.status();

  status(): CollectorStatus {
    const { lateDuplicates, replaced } = this.o.writer.counts;
    return { ...this.st, lateDuplicates, replaced };
  }
}

export async function startCollector(o: CollectorOptions): Promise<Collector> {
  const now = o.now ?? Date.now;
  const endpoint = new RumEndpoint(o, now);
  const errors = o.errors
    ? new ErrorsEndpoint(o.errors, {
        allowedOrigins: o.allowedOrigins,
        token: o.token,
        now,
        ...(o.log ? { log: o.log } : {}),
      })
    : null;
  const status = (): CollectorStatus => (errors ? { ...endpoint.status(), errors: errors.status() } : endpoint.status());
  endpoint.statusOf = status;
  const server: Server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    const raw = req.url ?? '/';
    // the RUM path first: most requests are a plain POST /v1/rum
    if (errors && !raw.startsWith('/v1/rum')) {
      const q = raw.indexOf('?');
      const path = q < 0 ? raw : raw.slice(0, q);
      if (isErrorsPath(path)) return errors.handle(req, res, path, new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
    }
    endpoint.handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Rollups are written every flushEveryMs, but never more than 5% of the time: a rollup holds the
  // web-vitals values still pending, which grow with the traffic of rum.finalizeAfter, and a
  // report reads the raw tail past a rollup anyway (bench/rum-ingest.mjs measured a flush every
  // 2 s costing a third of the collector's time under load).
  const every = o.flushEveryMs ?? 2_000;
  let flusher: NodeJS.Timeout;
  const flush = () => {
    const started = performance.now();
    try {
      o.writer.flush(now());
      o.errors?.writer.flush(now());
      endpoint.limits.sweep(now());
      errors?.limits.sweep(now());
    } catch (err) {
      o.log?.(`cannot write rollups: ${err instanceof Error ? err.message : String(err)}`);
    }
    flusher = setTimeout(flush, Math.max(every, 20 * (performance.now() - started)));
    flusher.unref();
  };
  flusher = setTimeout(flush, every);
  flusher.unref();
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}`,
    port,
    status,
    close: async () => {
      clearTimeout(flusher);
      // requests in flight finish (their events are written before they are answered); a
      // client that keeps its connection open is cut after 5 s
      const force = setTimeout(() => server.closeAllConnections(), 5_000);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearTimeout(force);
      o.writer.close(now());
      o.errors?.writer.close(now());
    },
  };
}
