// prodx's own weighted reverse proxy for development, staging and the demo. http-proxy-3 does
// the proxying (HTTP and WebSocket upgrades); this file adds what a blue-green router needs:
// smooth weighted round-robin across colours, one retry of a failed idempotent request on
// another colour (nginx's proxy_next_upstream), per-upstream counters and a latency histogram,
// and a loopback-only admin listener to read and swap the weights and scrape the metrics.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { ExitCode, ProdxError, jsonErrorReason } from '../../../core/errors.js';
import { validateWeights, type Weights } from '../../../core/deploy/router.js';
import { WeightedRoundRobin } from '../../../core/deploy/wrr.js';
import { createRouterStats } from './stats.js';

export type { BuiltinRouterStats, UpstreamStats } from './stats.js';

export interface HostPort {
  host: string;
  port: number;
}

export interface BuiltinRouterOptions {
  listen: HostPort;
  /** the admin listener; must be a loopback address (it changes where traffic goes, without auth) */
  admin: HostPort;
  /** colour → base URL, e.g. { blue: 'http://127.0.0.1:8081' } */
  upstreams: Record<string, string>;
  /** used when weightsFile is absent or does not exist yet */
  weights: Weights;
  /** where the weights are persisted on every change and loaded from at start */
  weightsFile?: string;
}

export interface BuiltinRouter {
  url: string;
  adminUrl: string;
  /** stops accepting, lets in-flight requests finish (up to graceMs), then closes everything */
  close(graceMs?: number): Promise<void>;
}

const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
const MAX_ADMIN_BODY = 16 * 1024;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** "127.0.0.1:8080" or "[::1]:8080" → { host, port }; `where` names the option or config path. */
export function parseHostPort(value: string, where: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw new ProdxError('usage', `${where}: "${value}" is not host:port: use e.g. 127.0.0.1:8080 (port 0 picks one).`);
  return { host: (m[1] ?? m[2])!, port };
}

/** The persisted weights, or undefined when the file does not exist. */
export function readWeightsFile(file: string, colours: readonly string[]): Weights | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ProdxError('router-weights-invalid', `${file} cannot be read (${(err as NodeJS.ErrnoException).code}): fix its permissions.`);
  }
  let problem: string | undefined;
  try {
    const saved: unknown = JSON.parse(text);
    const weights = typeof saved === 'object' && saved !== null ? (saved as { weights?: unknown }).weights : undefined;
    problem = weightsProblem(weights, colours);
    if (!problem) return weights as Weights;
  } catch (err) {
    problem = `not valid JSON: ${jsonErrorReason(err)}`;
  }
  throw new ProdxError(
    'router-weights-invalid',
    `${file}: ${problem}. Fix it, or delete it to start from the live colour.`,
    ExitCode.badInput,
    { file },
  );
}

function weightsProblem(weights: unknown, colours: readonly string[]): string | undefined {
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights))
    return 'expected a JSON object of colour → percent, e.g. {"blue": 90, "green": 10}';
  const unknown = Object.keys(weights).find((c) => !colours.includes(c));
  if (unknown !== undefined) return `unknown colour "${unknown}": the upstreams are ${colours.join(', ')}`;
  return validateWeights(weights as Weights);
}

async function listenOn(server: http.Server, at: HostPort, what: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(
        new ProdxError(
          'router-listen-failed',
          `the router cannot listen for ${what} on ${at.host}:${at.port} (${err.code ?? err.message}): choose another address with --${what === 'traffic' ? 'listen' : 'admin'} or in the config.`,
          ExitCode.failed,
        ),
      );
    server.once('error', onError);
    server.listen(at.port, at.host, () => (server.off('error', onError), resolve()));
  });
  const a = server.address() as AddressInfo;
  return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) if ((size += chunk.length) <= MAX_ADMIN_BODY) chunks.push(chunk);
  return size > MAX_ADMIN_BODY ? undefined : Buffer.concat(chunks).toString('utf8');
}

function writeWeightsFile(file: string, weights: Weights): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`; // temp + rename: a crash never leaves half a file
    writeFileSync(tmp, `${JSON.stringify({ weights, updatedAt: new Date().toISOString() }, null, 2)}\n`);
    renameSync(tmp, file);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new Error(`cannot save the weights to ${file} (${why}), so they were not changed: make its folder writable`);
  }
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

function adminServer(routes: Record<string, Partial<Record<string, Handler>>>): http.Server {
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://admin').pathname;
    const route = routes[path];
    const handler = route?.[req.method ?? 'GET'];
    if (!route) return sendJson(res, 404, { error: `no admin route ${path}: try /weights, /stats, /metrics or /healthz` });
    if (!handler) return sendJson(res, 405, { error: `${req.method} not allowed on ${path}` }, { allow: Object.keys(route).join(', ') });
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
    });
  });
}

export async function startBuiltinRouter(opts: BuiltinRouterOptions): Promise<BuiltinRouter> {
  const colours = Object.keys(opts.upstreams);
  if (!LOOPBACK.test(opts.admin.host))
    throw new ProdxError(
      'router-admin-not-loopback',
      `the router admin address ${opts.admin.host} is not loopback: use 127.0.0.1, as it changes traffic without authentication.`,
    );
  const initial = (opts.weightsFile && readWeightsFile(opts.weightsFile, colours)) || opts.weights;
  const problem = weightsProblem(initial, colours);
  if (problem) throw new ProdxError('router-weights-invalid', `initial router weights ${JSON.stringify(initial)}: ${problem}.`);
  const none = Object.fromEntries(colours.map((c) => [c, 0]));
  const wrr = new WeightedRoundRobin({ ...none, ...initial });
  const stats = createRouterStats(
    opts.upstreams,
    () => wrr.getWeights(),
    () => performance.now(),
  );

  // Keep-alive to the upstreams; idle sockets close after 4s, before Node's default 5s server
  // keepAliveTimeout can close one under a request that is just being sent.
  const agent = new http.Agent({ keepAlive: true, timeout: 4_000 });
  const proxy = createProxyServer({ xfwd: true, proxyTimeout: 60_000 });
  const upstreamOf = new WeakMap<http.IncomingMessage, string>();
  let closing = false;
  let inFlight = 0;
  let onDrained: (() => void) | undefined;

  proxy.on('proxyRes', (proxyRes, req, res) => {
    const colour = upstreamOf.get(req)!;
    stats.responded(colour, proxyRes.statusCode ?? 0);
    res.setHeader('x-prodx-upstream', colour);
    if (closing) proxyRes.headers['connection'] = 'close'; // clients move to a new router while we drain
  });
  // http-proxy-3 reports socket errors of WebSocket clients here; without a listener they would throw.
  proxy.on('error', (_err, _req, res) => void res.destroy());

  const proxyServer = http.createServer((req, res) => {
    const started = performance.now();
    inFlight += 1;
    res.once('close', () => {
      if (--inFlight === 0 && closing) onDrained?.();
    });
    res.once('finish', () => {
      const colour = upstreamOf.get(req);
      if (colour && res.hasHeader('x-prodx-upstream')) stats.observe(colour, (performance.now() - started) / 1000);
    });
    const tried = new Set<string>();
    const attempt = (previous?: NodeJS.ErrnoException): void => {
      const colour = wrr.pick(tried);
      if (colour === null) {
        const why = previous ? `upstream ${[...tried].join(', ')} failed (${previous.code ?? previous.message})` : 'no upstream has weight';
        return sendJson(res, 502, { error: `prodx router: ${why}` });
      }
      tried.add(colour);
      upstreamOf.set(req, colour);
      stats.sent(colour);
      // The request stream was consumed by the first attempt; only bodiless requests retry.
      const retry = tried.size > 1 ? { buffer: Readable.from([]) } : {};
      proxy.web(req, res, { target: opts.upstreams[colour]!, agent, ...retry }, (error: Error) => {
        const err = error as NodeJS.ErrnoException;
        stats.failed(colour);
        if (res.headersSent) return void res.destroy();
        const bodiless = !req.headers['transfer-encoding'] && (req.headers['content-length'] ?? '0') === '0';
        const idempotent = req.method === 'GET' || req.method === 'HEAD';
        if (idempotent && bodiless && tried.size === 1 && RETRYABLE.has(err.code ?? '')) return attempt(err);
        sendJson(res, 502, { error: `prodx router: upstream ${colour} failed (${err.code ?? err.message})` });
      });
    };
    attempt();
  });
  // Longer than typical load-balancer idle timeouts, so clients close idle sockets, not us.
  proxyServer.keepAliveTimeout = 65_000;
  proxyServer.headersTimeout = 66_000;
  const wsSockets = new Set<Socket>();
  proxyServer.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const colour = wrr.pick();
    if (colour === null) return void socket.destroy();
    wsSockets.add(socket);
    socket.once('close', () => wsSockets.delete(socket));
    stats.sent(colour);
    proxy.ws(req, socket, head, { target: opts.upstreams[colour]! }, () => stats.failed(colour));
  });

  let saving = Promise.resolve();
  const putWeights: Handler = async (req, res) => {
    const text = await readBody(req);
    if (text === undefined) return sendJson(res, 413, { error: `body over ${MAX_ADMIN_BODY} bytes` });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return sendJson(res, 400, { error: `body is not valid JSON: ${jsonErrorReason(err)}` });
    }
    const problem = weightsProblem(body, colours);
    if (problem) return sendJson(res, 400, { error: problem });
    const next = { ...none, ...(body as Weights) };
    // One change at a time, persisted before it takes effect, so the file never lags behind.
    const done = saving.then(() => {
      if (opts.weightsFile) writeWeightsFile(opts.weightsFile, next);
      wrr.setWeights(next); // one assignment: each request picks under the old or the new weights
    });
    saving = done.catch(() => undefined);
    await done;
    sendJson(res, 200, wrr.getWeights());
  };
  const admin = adminServer({
    '/weights': { GET: (_q, res) => sendJson(res, 200, wrr.getWeights()), PUT: putWeights },
    '/stats': { GET: async (_q, res) => sendJson(res, 200, await stats.stats()) },
    '/metrics': {
      GET: async (_q, res) => res.writeHead(200, { 'content-type': stats.registry.contentType }).end(await stats.registry.metrics()),
    },
    '/healthz': { GET: (_q, res) => sendJson(res, 200, { status: 'ok' }) },
  });

  const url = await listenOn(proxyServer, opts.listen, 'traffic');
  const adminUrl = await listenOn(admin, opts.admin, 'admin').catch(async (err: unknown) => {
    await new Promise((resolve) => proxyServer.close(resolve));
    throw err;
  });

  let closed: Promise<void> | undefined;
  const close = (graceMs = 5_000): Promise<void> =>
    (closed ??= (async () => {
      closing = true;
      const stopped = Promise.all([proxyServer, admin].map((s) => new Promise((resolve) => s.close(resolve))));
      admin.closeAllConnections();
      proxyServer.closeIdleConnections();
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => ((onDrained = resolve), (timer = setTimeout(resolve, graceMs))));
        clearTimeout(timer);
      }
      proxyServer.closeAllConnections();
      for (const s of wsSockets) s.destroy();
      await stopped;
      agent.destroy();
    })());

  return { url, adminUrl, close };
}
