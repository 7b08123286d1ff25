// The OFREP endpoint on loopback: serves the flags file to any OpenFeature SDK's OFREP provider,
// reloads the file when it changes (an invalid edit keeps the last good flags and says why),
// records an exposure per user and variant, counts evaluations, and takes conversion events
// from the app on POST /events. node:http is enough for a loopback JSON API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bulkEtag, contextOf, ifNoneMatchHits, toOfrep } from '../../core/flags/ofrep.js';
import { hashText } from './file.js';
import { ProdxError } from '../../core/errors.js';
import type { FlagsProblem } from '../../core/flags/types.js';
import { createRecorder, serveFlagsFile, type Recorder, type ServedFlags } from './served.js';

const MAX_BODY = 1_000_000;

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
  /** flags of the served file that do not pass flagd's checks (served as flagd serves them) */
  warnings: FlagsProblem[];
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

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON');
  }
}

// OFREP allows an empty body; a malformed one is a bad context (400), not a server error
function contextFrom(text: string): Record<string, unknown> | string {
  try {
    return contextOf(parseJson(text));
  } catch {
    return 'the request body is not valid JSON';
  }
}

/** What the request handlers share: the flags served, what is recorded, and the status. */
interface Endpoint {
  flags: ServedFlags;
  recorder: Recorder;
  status(): FlagsServerStatus;
}

/** One flag for one context: counted, and the user's first value of a variant is an exposure. */
function evaluateOne(ep: Endpoint, key: string, context: Record<string, unknown>) {
  const r = ep.flags.evaluator.evaluate(key, context as never);
  ep.recorder.evaluated(key, r.variant ?? r.reason);
  const user = context['targetingKey'];
  if (typeof user === 'string' && r.variant !== undefined && r.reason !== 'ERROR') ep.recorder.exposed(key, user, r.variant);
  return toOfrep(r);
}

function evaluateAll(ep: Endpoint, req: IncomingMessage, res: ServerResponse, text: string): void {
  const ctx = contextFrom(text);
  if (typeof ctx === 'string') return send(res, 400, { errorCode: 'INVALID_CONTEXT', errorDetails: ctx });
  const { loaded, evaluator } = ep.flags;
  const etag = bulkEtag(loaded.hash, ctx, hashText);
  const header = req.headers['if-none-match'];
  if (ifNoneMatchHits(Array.isArray(header) ? header.join(',') : header, etag)) return send(res, 304, undefined, { etag });
  // bulk evaluation is for client-side providers: it counts evaluations, but only the app's
  // use of a value is an exposure, so it records none (the app posts them to /events)
  const flags = evaluator.keys().map((key) => {
    const r = evaluator.evaluate(key, ctx as never);
    ep.recorder.evaluated(key, r.variant ?? r.reason);
    // every flag, in the single answer's terms: disabled ones with DISABLED, errors as error items
    return toOfrep(r).body;
  });
  return send(res, 200, { flags }, { etag });
}

/** The flag key of /ofrep/v1/evaluate/flags/<key>, or null when its percent-encoding is broken. */
function flagKeyOf(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

async function handle(ep: Endpoint, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (req.method === 'GET' && (path === '/healthz' || path === '/status')) {
    return send(res, 200, { ok: true, pid: process.pid, ...ep.status() });
  }
  if (req.method !== 'POST') return send(res, 405, { errorDetails: 'use POST for OFREP evaluation and events' }, { allow: 'POST' });
  const text = await readBody(req);
  ep.flags.reloadIfChanged();
  const single = /^\/ofrep\/v1\/evaluate\/flags\/(.+)$/.exec(path);
  if (single) {
    const key = flagKeyOf(single[1]!);
    if (key === null)
      return send(res, 400, {
        key: single[1],
        errorCode: 'GENERAL',
        errorDetails: 'the flag key in the path is not valid percent-encoding',
      });
    const ctx = contextFrom(text);
    if (typeof ctx === 'string') return send(res, 400, { key, errorCode: 'INVALID_CONTEXT', errorDetails: ctx });
    const r = evaluateOne(ep, key, ctx);
    return send(res, r.status, r.body);
  }
  if (path === '/ofrep/v1/evaluate/flags') return evaluateAll(ep, req, res, text);
  if (path === '/events') return send(res, 202, ep.recorder.accept(parseJson(text)));
  return send(res, 404, { errorDetails: `no route ${path}: OFREP lives under /ofrep/v1/evaluate/flags` });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new ProdxError('port-in-use', `port ${port} on ${host} is in use: pass --port with another number, or --port 0 for a free one.`)
          : err,
      ),
    );
    server.listen(port, host, () => resolve());
  });
}

export async function startFlagsServer(o: FlagsServerOptions): Promise<FlagsServer> {
  const now = o.now ?? Date.now;
  const log = o.log ?? (() => {});
  const flags = serveFlagsFile(o.file, o.dir, now, log);
  const recorder = createRecorder(o.dir, now);
  const status = (): FlagsServerStatus => ({
    url: `http://${host}:${port}`,
    file: o.file,
    flags: flags.evaluator.keys().length,
    loadedAt: flags.loadedAt,
    reloadError: flags.reloadError,
    warnings: flags.loaded.warnings,
    ...recorder.counts,
  });
  const ep: Endpoint = { flags, recorder, status };

  const server = createServer((req, res) => {
    handle(ep, req, res).catch((err: unknown) => {
      const code = err instanceof HttpError ? err.status : 500;
      if (!res.headersSent) send(res, code, { errorCode: 'GENERAL', errorDetails: err instanceof Error ? err.message : String(err) });
    });
  });
  server.keepAliveTimeout = 5_000;
  const host = o.host ?? '127.0.0.1';
  await listen(server, o.port, host);
  const port = (server.address() as AddressInfo).port;
  const timer = setInterval(() => {
    try {
      recorder.flush();
      flags.reloadIfChanged();
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
      recorder.flush();
    },
  };
}
