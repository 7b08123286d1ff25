// The collector's error ingestion: what the real Sentry SDKs send, so an app already instrumented
// points its DSN (`http://<key>@127.0.0.1:8790/<project>`) at prodx. node:http like the RUM side
// (server.ts): limits, auth and decompression (body.ts) in front of one parse-group-append path.
//
//   POST /api/<project>/envelope/   envelopes (@sentry/node sends no Content-Type, chunked, items
//                                   without length, no trailing newline; gzip above 32 KiB)
//   POST /api/<project>/store/      one event as JSON (older SDKs)
//   POST /api/<project>/security/   CSP reports (application/csp-report, application/reports+json)
//   POST /v1/errors                 prodx's own JSON: one event or an array
//   POST /v1/csp                    CSP reports without a Sentry key
//
// Auth on /api/*: `sentry_key` in the query, `X-Sentry-Auth: Sentry sentry_key=…`, or the
// envelope header's `dsn` (the SDKs' `tunnel` option); none 403, wrong 401, two that differ 400.
// With `errors.sentryKeys` empty any key is taken. Answers: 200 {"id": …} or {}; failures carry
// `X-Sentry-Error` and {"detail": …}; 429 with Retry-After and X-Sentry-Rate-Limits.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { GroupingOptions, GroupedEvent, ErrorEvent } from '../../core/errors/event.js';
import { authHeaderKey, dsnOf, eventIdOf, parseDsn, parseEnvelope } from '../../core/errors/envelope.js';
import { fromSentryEvent } from '../../core/errors/sentry.js';
import { droppedOf, sessionOutcome } from '../../core/errors/releaseHealth.js';
import { fromProdxJson } from '../../core/errors/own.js';
import { fromCspReport } from '../../core/errors/csp.js';
import { groupEvent } from '../../core/errors/grouping.js';
import { parseStack } from '../../core/errors/stack.js';
import { TokenBuckets } from '../../core/rateLimit.js';
import type { ErrorWriter } from '../events/errorStore.js';
import { readBody, Refusal } from './body.js';
import { corsFor, tokenOf } from './http.js';
import { emptyErrorsStatus, type ErrorsStatus } from './status.js';

export interface ErrorsIngestOptions {
  writer: ErrorWriter;
  sentryKeys: readonly string[];
  grouping: GroupingOptions;
  /** requests per second per DSN key, with bursts */
  ratePerKey: number;
  burst: number;
  /** one event item, after decompression (Sentry: 1 MiB) */
  maxEventBytes: number;
  /** one envelope, before and after decompression (Sentry: 200 MiB) */
  maxEnvelopeBytes: number;
}

const ROUTE = /^\/api\/([\w.-]+)\/(envelope|store|security)\/?$/;
const OWN = new Set(['/v1/errors', '/v1/csp']);
const EXPOSE = 'x-sentry-error, x-sentry-rate-limits, retry-after';
const newId = () => randomBytes(16).toString('hex');

export const isErrorsPath = (path: string) => OWN.has(path) || ROUTE.test(path);

export class ErrorsEndpoint {
  readonly st: ErrorsStatus = emptyErrorsStatus();

  constructor(
    private readonly o: ErrorsIngestOptions,
    private readonly shared: {
      allowedOrigins: readonly string[];
      token: string | null;
      now: () => number;
      log?: (line: string) => void;
    },
  ) {
    this.limits = new TokenBuckets(o.ratePerKey, o.burst);
  }

  /** per DSN key: a backend sends for all its users from one address */
  readonly limits: TokenBuckets;

  status(): ErrorsStatus {
    return { ...this.st, duplicates: this.o.writer.counts.duplicates };
  }

  private answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private refuse(res: ServerResponse, r: Refusal, cors: Record<string, string>): void {
    this.st.rejected++;
    this.st.rejectedBy[r.reason] = (this.st.rejectedBy[r.reason] ?? 0) + 1;
    // a header value is one line of visible ASCII
    const detail = r.message.replace(/[^\x20-\x7e]/g, '?').slice(0, 300);
    this.answer(res, r.status, { detail }, { 'x-sentry-error': detail, ...r.headers, ...cors });
  }

  handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
    this.st.requests++;
    const { origin, headers } = corsFor(req, this.shared.allowedOrigins, { 'access-control-expose-headers': EXPOSE });
    if (headers === null)
      return this.refuse(res, new Refusal(403, 'origin-not-allowed', `origin ${origin} is not in collector.allowedOrigins`), {});
    const cors = headers;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers':
          'content-type, content-encoding, x-sentry-auth, sentry-trace, baggage, authorization, x-prodx-token',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (req.method !== 'POST')
      return this.refuse(res, new Refusal(405, 'method-not-allowed', 'POST to this endpoint', { allow: 'POST, OPTIONS' }), cors);
    const route = ROUTE.exec(path);
    let key: string | undefined;
    try {
      if (route) {
        const q = query.get('sentry_key') ?? undefined;
        const h = authHeaderKey(req.headers['x-sentry-auth'] as string | undefined);
        if (q && h && q !== h) throw new Refusal(400, 'auth-conflict', 'sentry_key in the query and in X-Sentry-Auth differ: send one');
        key = q ?? h;
        if (key !== undefined) this.checkKey(key);
        else if (route[2] !== 'envelope')
          throw new Refusal(403, 'auth-missing', 'no sentry_key: put the DSN key in the query or in X-Sentry-Auth');
      } else if (this.shared.token !== null && tokenOf(req, query) !== this.shared.token)
        throw new Refusal(401, 'unauthorized', 'wrong or missing collector token');
      const client = key !== undefined ? `key:${key}` : (req.socket.remoteAddress ?? 'unknown');
      const d = this.limits.take(client, this.shared.now());
      if (!d.allowed)
        throw new Refusal(429, 'rate-limited', `more than ${this.o.ratePerKey} requests per second (errors.ratePerKey)`, {
          'retry-after': String(d.retryAfterS),
          'x-sentry-rate-limits': `${d.retryAfterS}::organization`,
        });
    } catch (err) {
      req.resume();
      return this.refuse(res, err as Refusal, cors);
    }
    readBody(req, this.o.maxEnvelopeBytes, (err, body) => {
      if (err) return this.refuse(res, err, cors);
      try {
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const out = route
          ? route[2] === 'envelope'
            ? this.envelope(body!, route[1]!, key)
            : route[2] === 'store'
              ? this.store(body!, route[1]!)
              : this.security(body!, route[1]!, type)
          : path === '/v1/csp'
            ? this.security(body!, 'default', type)
            : this.own(body!);
        this.answer(res, 200, out, cors);
      } catch (e) {
        if (e instanceof Refusal) return this.refuse(res, e, cors);
        // a disk that refuses the write: the SDK retries, nothing was answered 2xx
        this.shared.log?.(`cannot store error events: ${e instanceof Error ? e.message : String(e)}`);
        this.refuse(res, new Refusal(503, 'store-failed', 'the collector cannot store events right now'), cors);
      }
    });
  }

  private checkKey(key: string): void {
    if (this.o.sentryKeys.length && !this.o.sentryKeys.includes(key))
      throw new Refusal(401, 'auth-wrong-key', 'this sentry_key is not one of errors.sentryKeys');
  }

  private group(events: readonly ErrorEvent[]): GroupedEvent[] {
    return events.map((e) => groupEvent(e, this.o.grouping));
  }

  private store_(events: readonly ErrorEvent[]): void {
    if (!events.length) return;
    const stored = this.o.writer.append(this.group(events));
    this.st.events += stored;
    if (stored) this.st.lastEventAt = this.shared.now();
  }

  private envelope(body: Buffer, project: string, key: string | undefined): Record<string, string> {
    const parsed = parseEnvelope(body, { maxItemBytes: this.o.maxEventBytes });
    if (!parsed.ok) throw new Refusal(parsed.reason === 'item-too-large' ? 413 : 400, parsed.reason, parsed.message);
    const dsn = dsnOf(parsed.header);
    if (dsn !== undefined) {
      const d = parseDsn(dsn);
      if (!d) throw new Refusal(400, 'bad-dsn', 'the envelope header\'s "dsn" is not a DSN');
      if (key !== undefined && d.key !== key)
        throw new Refusal(400, 'auth-conflict', "the envelope's DSN key and the request's key differ");
      this.checkKey(d.key);
      key = d.key;
    }
    if (key === undefined)
      throw new Refusal(403, 'auth-missing', 'no sentry_key: put the DSN key in the query, in X-Sentry-Auth or in the envelope header');
    const now = this.shared.now();
    const events: ErrorEvent[] = [];
    let badEvent: string | null = null;
    for (const item of parsed.items) {
      switch (item.type) {
        case 'event': {
          let raw: unknown;
          try {
            raw = JSON.parse(item.payload.toString('utf8'));
          } catch {
            badEvent = 'an event item is not JSON';
            break;
          }
          const c = fromSentryEvent(raw, { project, now, newId });
          if (c.ok) events.push(c.event);
          else badEvent = c.message;
          break;
        }
        case 'session':
        case 'sessions': {
          let raw: unknown;
          try {
            raw = JSON.parse(item.payload.toString('utf8'));
          } catch {
            break;
          }
          this.sessions(item.type, raw, now);
          break;
        }
        case 'client_report': {
          this.st.clientReports++;
          let raw: unknown;
          try {
            raw = JSON.parse(item.payload.toString('utf8'));
          } catch {
            break; // a client report is advice: a bad one is skipped
          }
          for (const d of droppedOf(raw)) this.o.writer.appendDropped(now, d.reason, d.n);
          break;
        }
        default:
          this.st.skippedItems[item.type] = (this.st.skippedItems[item.type] ?? 0) + 1;
      }
    }
    this.store_(events);
    if (badEvent !== null) throw new Refusal(400, 'bad-event', badEvent);
    const id = eventIdOf(parsed.header) ?? events[0]?.id;
    return id ? { id } : {};
  }

  private sessions(type: 'session' | 'sessions', raw: unknown, now: number): void {
    const s = sessionOutcome(type, raw);
    if (!s) return;
    this.st.sessions += s.counts.total;
    this.o.writer.appendSessions(now, s.release, s.counts);
  }

  private json(body: Buffer): unknown {
    if (body.length > this.o.maxEventBytes) throw new Refusal(413, 'too-large', `an event is over ${this.o.maxEventBytes} bytes`);
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      throw new Refusal(400, 'bad-json', 'the body is not JSON');
    }
  }

  private store(body: Buffer, project: string): Record<string, string> {
    const c = fromSentryEvent(this.json(body), { project, now: this.shared.now(), newId });
    if (!c.ok) throw new Refusal(400, c.reason, c.message);
    this.store_([c.event]);
    return { id: c.event.id };
  }

  private security(body: Buffer, project: string, type: string): Record<string, string> {
    if (type && type !== 'application/csp-report' && type !== 'application/reports+json' && type !== 'application/json')
      throw new Refusal(415, 'unsupported-type', `content type ${type}: browsers send application/csp-report or application/reports+json`);
    const c = fromCspReport(this.json(body), { project, now: this.shared.now(), newId });
    if (!c.ok) throw new Refusal(400, c.reason, c.message);
    this.store_(c.events);
    return {};
  }

  private own(body: Buffer): Record<string, unknown> {
    const v = this.json(body);
    const list = Array.isArray(v) ? v : [v];
    const events: ErrorEvent[] = [];
    const reasons: Record<string, number> = {};
    let first: string | null = null;
    for (const raw of list) {
      const c = fromProdxJson(raw, { now: this.shared.now(), newId, parseStack });
      if (c.ok) events.push(c.event);
      else {
        reasons[c.reason] = (reasons[c.reason] ?? 0) + 1;
        first ??= c.message;
      }
    }
    this.store_(events);
    if (first !== null) throw new Refusal(400, Object.keys(reasons)[0]!, `${events.length} stored; ${first}`);
    return { ok: true, accepted: events.length, ids: events.map((e) => e.id) };
  }
}
