// The OFREP endpoint on loopback: serves the flags file to any OpenFeature SDK's OFREP provider,
// reloads the file when it changes (an invalid edit keeps the last good flags and says why),
// records an exposure per user and variant, counts evaluations, and takes conversion events
// from the app on POST /events. node:http is enough for a loopback JSON API.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contextOf, toOfrep } from '../../core/flags/ofrep.js';
import { toEvent } from '../../core/flags/events.js';
import { ProdxError } from '../../core/errors.js';
import type { FlagEvaluator } from '../../core/flags/evaluator.js';
import { EventLog, readStats, writeStats, type EvaluationStats } from './events.js';
import { evaluatorFor, flagsFingerprint, loadFlags } from './file.js';

const MAX_BODY = 1_000_000;
/** remembered (flag, user, variant) triples: beyond this, repeats are written again rather than held in memory */
const MAX_SEEN = 1_000_000;

export interface FlagsServerOptions {
  file: string;
  /** `.prodx/flags`: events and stats go here */
  dir: string;
  host?: string;
  port: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface FlagsServerStatus {
  url: string;
  file: string;
  flags: number;
  loadedAt: number;
  /** why the last reload failed; the flags served are the last good ones */
  reloadError: string | null;
  evaluations: number;
  exposures: number;
  conversions: number;
}

export interface FlagsServer {
  url: string;
  port: number;
  status(): FlagsServerStatus;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new HttpError(413, `request body over ${MAX_BODY} bytes`));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...headers });
  res.end(text);
}

export async function startFlagsServer(o: FlagsServerOptions): Promise<FlagsServer> {
  const now = o.now ?? Date.now;
  const log = o.log ?? (() => {});
  // compiled rules: the endpoint evaluates many times per load
  const load = () => loadFlags(o.file, { compile: true, cacheDir: o.dir });
  let loaded = load(); // an invalid file at start is the user's to fix: throw
  let evaluator: FlagEvaluator = evaluatorFor(loaded);
  let fingerprint = flagsFingerprint(o.file);
  let loadedAt = now();
  let reloadError: string | null = null;
  let checkedAt = 0;
  const events = new EventLog(o.dir);
  const stats: EvaluationStats = readStats(o.dir) ?? { since: now(), updatedAt: now(), evaluations: {} };
  let statsDirty = false;
  const seen = new Set<string>();
  const counts = { evaluations: 0, exposures: 0, conversions: 0 };

  const reloadIfChanged = () => {
    const t = now();
    if (t - checkedAt < 200) return; // a stat per request is cheap, but not free under load
    checkedAt = t;
    const fp = flagsFingerprint(o.file);
    if (fp === fingerprint) return;
    fingerprint = fp;
    try {
      loaded = load();
      evaluator = evaluatorFor(loaded);
      loadedAt = t;
      if (reloadError) log('flags file is valid again: serving it');
      reloadError = null;
    } catch (err) {
      reloadError = `${err instanceof Error ? err.message : String(err)} Still serving the last good version.`;
      log(reloadError);
    }
  };

  const count = (flag: string, bucket: string) => {
    const byFlag = (stats.evaluations[flag] ??= {});
    byFlag[bucket] = (byFlag[bucket] ?? 0) + 1;
    statsDirty = true;
    counts.evaluations += 1;
  };

  const evaluateOne = (key: string, context: Record<string, unknown>) => {
    const r = evaluator.evaluate(key, context as never);
    count(key, r.variant ?? r.reason);
    const user = context['targetingKey'];
    if (typeof user === 'string' && r.variant !== undefined && r.reason !== 'ERROR') {
      const id = `${key}\u0000${user}\u0000${r.variant}`;
      if (!seen.has(id)) {
        if (seen.size < MAX_SEEN) seen.add(id);
        events.add({ type: 'exposure', flag: key, variant: r.variant, targetingKey: user, ts: now() });
        counts.exposures += 1;
      }
    }
    return toOfrep(r);
  };

  const parseJson = (text: string): unknown => {
    if (!text.trim()) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(400, 'the request body is not valid JSON');
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/healthz' || path === '/status')) {
      return send(res, 200, { ok: true, pid: process.pid, ...status() });
    }
    if (req.method !== 'POST') return send(res, 405, { errorDetails: 'use POST for OFREP evaluation and events' }, { allow: 'POST' });
    const text = await readBody(req);
    reloadIfChanged();
    const single = /^\/ofrep\/v1\/evaluate\/flags\/(.+)$/.exec(path);
    if (single) {
      const key = decodeURIComponent(single[1]!);
      const ctx = contextFrom(text);
      if (typeof ctx === 'string') return send(res, 400, { key, errorCode: 'INVALID_CONTEXT', errorDetails: ctx });
      const r = evaluateOne(key, ctx);
      return send(res, r.status, r.body);
    }
    if (path === '/ofrep/v1/evaluate/flags') {
      const ctx = contextFrom(text);
      if (typeof ctx === 'string') return send(res, 400, { errorCode: 'INVALID_CONTEXT', errorDetails: ctx });
      // bulk evaluation is for client-side providers: it counts evaluations, but only the app's
      // use of a value is an exposure, so it records none (the app posts them to /events)
      const flags = evaluator.keys().flatMap((key) => {
        if (loaded.doc.flags[key]?.state === 'DISABLED') return [];
        const r = evaluator.evaluate(key, ctx as never);
        count(key, r.variant ?? r.reason);
        return [toOfrep(r).body];
      });
      const etag = `"${loaded.hash.slice(0, 16)}-${Buffer.from(JSON.stringify(ctx)).toString('base64url').slice(0, 32)}"`;
      if (req.headers['if-none-match'] === etag) return send(res, 304, undefined, { etag });
      return send(res, 200, { flags }, { etag });
    }
    if (path === '/events') return send(res, 202, acceptEvents(parseJson(text)));
    return send(res, 404, { errorDetails: `no route ${path}: OFREP lives under /ofrep/v1/evaluate/flags` });
  };

  // OFREP allows an empty body; a malformed one is a bad context (400), not a server error
  const contextFrom = (text: string): Record<string, unknown> | string => {
    try {
      return contextOf(parseJson(text));
    } catch {
      return 'the request body is not valid JSON';
    }
  };

  const acceptEvents = (body: unknown) => {
    const items = Array.isArray(body) ? body : [body];
    const rejected: string[] = [];
    let accepted = 0;
    items.forEach((raw, i) => {
      const withTime = typeof raw === 'object' && raw !== null && !('ts' in raw) ? { ...raw, ts: now() } : raw;
      const e = toEvent(withTime);
      if (typeof e === 'string') return void rejected.push(`event ${i}: ${e}`);
      events.add(e);
      accepted += 1;
      if (e.type === 'conversion') counts.conversions += 1;
      else counts.exposures += 1;
    });
    return { accepted, rejected };
  };

  const status = (): FlagsServerStatus => ({
    url: `http://${host}:${port}`,
    file: o.file,
    flags: evaluator.keys().length,
    loadedAt,
    reloadError,
    ...counts,
  });

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const code = err instanceof HttpError ? err.status : 500;
      if (!res.headersSent) send(res, code, { errorCode: 'GENERAL', errorDetails: err instanceof Error ? err.message : String(err) });
    });
  });
  server.keepAliveTimeout = 5_000;
  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new ProdxError(
              'port-in-use',
              `port ${o.port} on ${host} is in use: pass --port with another number, or --port 0 for a free one.`,
            )
          : err,
      ),
    );
    server.listen(o.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const flush = () => {
    events.flush();
    if (statsDirty) {
      stats.updatedAt = now();
      writeStats(o.dir, stats);
      statsDirty = false;
    }
  };
  const timer = setInterval(() => {
    try {
      flush();
      reloadIfChanged();
    } catch (err) {
      log(`could not record events: ${err instanceof Error ? err.message : String(err)}`);
    }
  }, 250);
  timer.unref();
  return {
    url: `http://${host}:${port}`,
    port,
    status,
    close: async () => {
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      flush();
    },
  };
}
