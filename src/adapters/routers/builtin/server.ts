// prodx's own weighted reverse proxy for development, staging and the demo. http-proxy-3 does
// the proxying (HTTP and WebSocket upgrades); this file adds what a blue-green router needs:
// smooth weighted round-robin across colours, one retry of a failed idempotent request on
// another colour (nginx's proxy_next_upstream), per-upstream counters and a latency histogram,
// and a loopback-only admin listener to read and swap the weights and scrape the metrics.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { createProxyServer, type ProxyServer } from 'http-proxy-3';
import { ExitCode, ProdxError } from '../../../core/errors.js';
import type { Weights } from '../../../core/deploy/router.js';
import { WeightedRoundRobin } from '../../../core/deploy/wrr.js';
import { createRouterStats, type RouterStats } from './stats.js';
import { adminServer, readWeightsFile, sendJson, weightsProblem } from './admin.js';

export type { BuiltinRouterStats, UpstreamStats } from './stats.js';
export { readWeightsFile } from './admin.js';

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
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** "127.0.0.1:8080" or "[::1]:8080" → { host, port }; `where` names the option or config path. */
export function parseHostPort(value: string, where: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw new ProdxError('usage', `${where}: "${value}" is not host:port: use e.g. 127.0.0.1:8080 (port 0 picks one).`);
  return { host: (m[1] ?? m[2])!, port };
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

/** What the traffic listener shares between requests, and what close() drains. */
interface TrafficState {
  upstreams: Record<string, string>;
  wrr: WeightedRoundRobin;
  stats: RouterStats;
  proxy: ProxyServer;
  agent: http.Agent;
  /** the colour each request was sent to last */
  upstreamOf: WeakMap<http.IncomingMessage, string>;
  closing: boolean;
  inFlight: number;
  onDrained: (() => void) | undefined;
  wsSockets: Set<Socket>;
}

/** Sends the request to a colour picked by weight; a failed idempotent bodiless request gets one retry on another. */
function forward(t: TrafficState, req: http.IncomingMessage, res: http.ServerResponse): void {
  const tried = new Set<string>();
  const attempt = (previous?: NodeJS.ErrnoException): void => {
    const colour = t.wrr.pick(tried);
    if (colour === null) {
      const why = previous ? `upstream ${[...tried].join(', ')} failed (${previous.code ?? previous.message})` : 'no upstream has weight';
      return sendJson(res, 502, { error: `prodx router: ${why}` });
    }
    tried.add(colour);
    t.upstreamOf.set(req, colour);
    t.stats.sent(colour);
    // The request stream was consumed by the first attempt; only bodiless requests retry.
    const retry = tried.size > 1 ? { buffer: Readable.from([]) } : {};
    t.proxy.web(req, res, { target: t.upstreams[colour]!, agent: t.agent, ...retry }, (error: Error) => {
      const err = error as NodeJS.ErrnoException;
      t.stats.failed(colour);
      if (res.headersSent) return void res.destroy();
      const bodiless = !req.headers['transfer-encoding'] && (req.headers['content-length'] ?? '0') === '0';
      const idempotent = req.method === 'GET' || req.method === 'HEAD';
      if (idempotent && bodiless && tried.size === 1 && RETRYABLE.has(err.code ?? '')) return attempt(err);
      sendJson(res, 502, { error: `prodx router: upstream ${colour} failed (${err.code ?? err.message})` });
    });
  };
  attempt();
}

function trafficServer(t: TrafficState): http.Server {
  t.proxy.on('proxyRes', (proxyRes, req, res) => {
    const colour = t.upstreamOf.get(req)!;
    t.stats.responded(colour, proxyRes.statusCode ?? 0);
    res.setHeader('x-prodx-upstream', colour);
    if (t.closing) proxyRes.headers['connection'] = 'close'; // clients move to a new router while we drain
  });
  // http-proxy-3 reports socket errors of WebSocket clients here; without a listener they would throw.
  t.proxy.on('error', (_err, _req, res) => void res.destroy());

  const server = http.createServer((req, res) => {
    const started = performance.now();
    t.inFlight += 1;
    res.once('close', () => {
      if (--t.inFlight === 0 && t.closing) t.onDrained?.();
    });
    res.once('finish', () => {
      const colour = t.upstreamOf.get(req);
      if (colour && res.hasHeader('x-prodx-upstream')) t.stats.observe(colour, (performance.now() - started) / 1000);
    });
    forward(t, req, res);
  });
  // Longer than typical load-balancer idle timeouts, so clients close idle sockets, not us.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const colour = t.wrr.pick();
    if (colour === null) return void socket.destroy();
    t.wsSockets.add(socket);
    socket.once('close', () => t.wsSockets.delete(socket));
    t.stats.sent(colour);
    t.proxy.ws(req, socket, head, { target: t.upstreams[colour]! }, () => t.stats.failed(colour));
  });
  return server;
}

/** Stops accepting, lets in-flight requests finish (up to graceMs), then closes everything. */
async function closeRouter(t: TrafficState, traffic: http.Server, admin: http.Server, graceMs: number): Promise<void> {
  t.closing = true;
  const stopped = Promise.all([traffic, admin].map((s) => new Promise((resolve) => s.close(resolve))));
  admin.closeAllConnections();
  traffic.closeIdleConnections();
  if (t.inFlight > 0) {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => ((t.onDrained = resolve), (timer = setTimeout(resolve, graceMs))));
    clearTimeout(timer);
  }
  traffic.closeAllConnections();
  for (const s of t.wsSockets) s.destroy();
  await stopped;
  t.agent.destroy();
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

  const t: TrafficState = {
    upstreams: opts.upstreams,
    wrr,
    stats,
    // Keep-alive to the upstreams; idle sockets close after 4s, before Node's default 5s server
    // keepAliveTimeout can close one under a request that is just being sent.
    agent: new http.Agent({ keepAlive: true, timeout: 4_000 }),
    proxy: createProxyServer({ xfwd: true, proxyTimeout: 60_000 }),
    upstreamOf: new WeakMap(),
    closing: false,
    inFlight: 0,
    onDrained: undefined,
    wsSockets: new Set(),
  };
  const traffic = trafficServer(t);
  const admin = adminServer({ colours, none, wrr, stats, weightsFile: opts.weightsFile });

  const url = await listenOn(traffic, opts.listen, 'traffic');
  const adminUrl = await listenOn(admin, opts.admin, 'admin').catch(async (err: unknown) => {
    await new Promise((resolve) => traffic.close(resolve));
    throw err;
  });

  let closed: Promise<void> | undefined;
  const close = (graceMs = 5_000): Promise<void> => (closed ??= closeRouter(t, traffic, admin, graceMs));
  return { url, adminUrl, close };
}
