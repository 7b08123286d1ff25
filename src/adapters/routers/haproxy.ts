// The HAProxy router: switches traffic through the runtime API (the `stats socket … level admin`
// of the global section) by setting server weights, so no reload and no dropped connection.
// Hand-written client: the protocol is one line in, text out until HAProxy closes, and the npm
// clients for it are unmaintained. One command per connection (HAProxy's non-interactive mode).
import net from 'node:net';
import { ExitCode, ProdxError } from '../../core/errors.js';
import type { RouterOptions, TrafficRouter, Weights } from '../../core/deploy/router.js';
import { checkWeights } from './command.js';
import { toPercent } from './nginxConfig.js';

export interface HaproxyRouterConfig {
  /** a UNIX socket path (`/run/haproxy/admin.sock`) or `host:port` */
  socket: string;
  backend: string;
  /** colour → server name in the backend */
  servers: Record<string, string>;
}

export interface HaproxyServerState {
  name: string;
  /** the weight set by the config or the runtime API (0–256) */
  weight: number;
  /** maint or drain: the server takes no new traffic whatever its weight */
  parked: boolean;
  adminState: number;
}

const COMMAND_TIMEOUT_MS = 5_000;
// SRV_ADMF_* bits of srv_admin_state (HAProxy src/server-t.h): forced/inherited/config/resolver
// maintenance, and forced/inherited drain.
const MAINT_BITS = 0x01 | 0x02 | 0x04 | 0x20;
const DRAIN_BITS = 0x08 | 0x10;

type Endpoint = { path: string } | { host: string; port: number };

function endpointOf(socket: string): Endpoint {
  const tcp = /^(?:ipv4@|ipv6@)?\[?([^\]/]+?)\]?:(\d+)$/.exec(socket);
  if (!socket.includes('/') && tcp) return { host: tcp[1]!, port: Number(tcp[2]) };
  return { path: socket.replace(/^unix@/, '') };
}

function unreachable(socket: string, why: string): ProdxError {
  return new ProdxError(
    'router-unreachable',
    `cannot reach the HAProxy runtime API at ${socket}: ${why}. Check that HAProxy runs with "stats socket ${socket} level admin" in its global section, or fix router.socket.`,
    ExitCode.failed,
  );
}

/** Sends one command and returns HAProxy's answer (HAProxy closes the connection after it). */
export function runtimeCommand(socket: string, command: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const timeoutMs = opts.timeoutMs ?? COMMAND_TIMEOUT_MS;
    const conn = net.connect(endpointOf(socket));
    let answer = '';
    let settled = false;
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      conn.destroy();
      if (err) reject(err);
      else resolve(answer.replace(/\n+$/, ''));
    };
    const onAbort = () =>
      finish(new ProdxError('router-aborted', `"${command}" on ${socket} was cancelled; run the operation again.`, ExitCode.failed));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    conn.setTimeout(timeoutMs, () => finish(unreachable(socket, `no answer to "${command}" within ${timeoutMs / 1000}s`)));
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.write(`${command}\n`));
    conn.on('data', (chunk: string) => (answer += chunk));
    conn.on('end', () => finish(null));
    conn.on('close', () => finish(null));
    conn.on('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'ENOENT'
          ? 'the socket does not exist'
          : err.code === 'ECONNREFUSED'
            ? 'connection refused (is HAProxy running?)'
            : err.code === 'EACCES'
              ? 'permission denied: run prodx as a user that may open the socket (see its mode/user)'
              : `${err.code ?? err.message}`;
      finish(unreachable(socket, why));
    });
  });
}

/** Parses `show servers state <backend>` (format 1: a version line, a `#` header, rows). */
export function parseServersState(text: string): HaproxyServerState[] {
  const lines = text.split('\n').filter((l) => l.trim());
  const header = lines
    .find((l) => l.startsWith('# '))
    ?.slice(2)
    .split(' ');
  if (!header) return [];
  const col = (name: string) => header.indexOf(name);
  const [iName, iWeight, iAdmin] = [col('srv_name'), col('srv_uweight'), col('srv_admin_state')];
  return lines
    .filter((l) => !l.startsWith('#') && l.includes(' '))
    .map((l) => {
      const f = l.split(' ');
      const adminState = Number(f[iAdmin]);
      return { name: f[iName] ?? '', weight: Number(f[iWeight]), adminState, parked: (adminState & (MAINT_BITS | DRAIN_BITS)) !== 0 };
    });
}

type Send = (command: string, signal?: AbortSignal) => Promise<string>;

/** An answer that is not empty (or the expected data) is HAProxy saying no, in words. */
function rejected(cfg: HaproxyRouterConfig, command: string, answer: string, server?: string): ProdxError {
  if (/^No such backend|^Can't find backend/i.test(answer))
    return new ProdxError(
      'router-unknown-backend',
      `HAProxy has no backend "${cfg.backend}" (${cfg.socket}): fix router.backend to match the haproxy config.`,
    );
  if (/^No such server/i.test(answer))
    return new ProdxError(
      'router-unknown-server',
      `HAProxy backend "${cfg.backend}" has no server "${server ?? '?'}": fix router.servers to match the haproxy config.`,
    );
  if (/^Permission denied/i.test(answer))
    return new ProdxError(
      'router-permission',
      `the HAProxy socket ${cfg.socket} refused "${command}": give it "level admin" in the stats socket line.`,
      ExitCode.failed,
    );
  return new ProdxError(
    'router-rejected',
    `HAProxy refused "${command}": ${answer.split('\n')[0]}. Fix the backend or router config and run again.`,
    ExitCode.failed,
  );
}

/** The backend's servers by name; checks the backend and every configured server exist. */
async function serversState(cfg: HaproxyRouterConfig, send: Send, signal?: AbortSignal): Promise<Map<string, HaproxyServerState>> {
  const command = `show servers state ${cfg.backend}`;
  const answer = await send(command, signal);
  if (!answer.startsWith('1\n')) throw rejected(cfg, command, answer);
  const byName = new Map(parseServersState(answer).map((s) => [s.name, s]));
  for (const [colour, server] of Object.entries(cfg.servers))
    if (!byName.has(server))
      throw new ProdxError(
        'router-unknown-server',
        `HAProxy backend "${cfg.backend}" has no server "${server}" (router.servers.${colour}); it has ${[...byName.keys()].join(', ') || 'none'}: fix router.servers. Nothing was changed.`,
      );
  return byName;
}

const effective = (s: HaproxyServerState) => (s.parked ? 0 : s.weight);

async function setServer(cfg: HaproxyRouterConfig, send: Send, server: string, what: string, signal?: AbortSignal): Promise<void> {
  const command = `set server ${cfg.backend}/${server} ${what}`;
  const answer = await send(command, signal);
  if (answer.trim() !== '') throw rejected(cfg, command, answer, server);
}

/** Sets each colour's weight, raising before lowering; on a failure puts back what was changed. */
async function setWeights(cfg: HaproxyRouterConfig, send: Send, weights: Weights, signal?: AbortSignal): Promise<void> {
  const colours = Object.keys(cfg.servers);
  const set = (server: string, what: string, abort?: AbortSignal) => setServer(cfg, send, server, what, abort);
  const before = await serversState(cfg, send, signal);
  const target = (c: string) => weights[c] ?? 0;
  // Raise the new colour before lowering the old: the backend never has zero total weight,
  // which would answer 503 to requests in between.
  const order = [...colours].sort(
    (a, b) => target(b) - effective(before.get(cfg.servers[b]!)!) - (target(a) - effective(before.get(cfg.servers[a]!)!)),
  );
  const done: string[] = [];
  try {
    for (const colour of order) {
      const server = cfg.servers[colour]!;
      await set(server, `weight ${target(colour)}`, signal);
      done.push(colour);
      // `ready`, not `maint`, for weight 0: the server takes no new requests but finishes
      // the ones it has, like nginx's graceful switch. maint would only add cutting off
      // sticky (cookie/stick-table) clients, which a weight-0 ready server still serves.
      await set(server, 'state ready', signal);
    }
  } catch (err) {
    // Put back what was changed, best effort and in reverse, so the old colour keeps traffic.
    for (const colour of done.reverse()) {
      const old = before.get(cfg.servers[colour]!)!;
      await set(old.name, `weight ${old.weight}`).catch(() => undefined);
      if (old.adminState & MAINT_BITS) await set(old.name, 'state maint').catch(() => undefined);
      else if (old.adminState & DRAIN_BITS) await set(old.name, 'state drain').catch(() => undefined);
    }
    throw err;
  }
}

export function createHaproxyRouter(cfg: HaproxyRouterConfig, opts: { timeoutMs?: number } = {}): TrafficRouter {
  const colours = Object.keys(cfg.servers);
  const send: Send = (command, signal) => runtimeCommand(cfg.socket, command, { ...opts, ...(signal ? { signal } : {}) });

  return {
    kind: 'haproxy',

    async read(ro: RouterOptions = {}) {
      const state = await serversState(cfg, send, ro.signal);
      // Servers no colour maps to still take traffic, so they count toward the total.
      const colourOf = new Map(Object.entries(cfg.servers).map(([c, s]) => [s, c]));
      return toPercent([...state.values()].map((s) => [colourOf.get(s.name) ?? null, effective(s)] as const));
    },

    async apply(weights: Weights, ro: RouterOptions = {}) {
      checkWeights(weights, colours);
      await setWeights(cfg, send, weights, ro.signal);

      const after = await serversState(cfg, send, ro.signal);
      for (const colour of colours) {
        const s = after.get(cfg.servers[colour]!)!;
        const target = weights[colour] ?? 0;
        if (effective(s) !== target)
          throw new ProdxError(
            'router-verify-failed',
            `HAProxy reports ${cfg.backend}/${s.name} at weight ${s.weight}${s.parked ? ' (maint/drain)' : ''}, not ${target}: another client may have changed it; run prodx status and apply again.`,
            ExitCode.failed,
          );
      }
    },

    describe(weights: Weights) {
      return [
        `connect to the HAProxy runtime API at ${cfg.socket}; check backend ${cfg.backend} has ${colours.map((c) => cfg.servers[c]).join(', ')}`,
        ...colours.flatMap((c) => [
          `set server ${cfg.backend}/${cfg.servers[c]} weight ${weights[c] ?? 0}`,
          `set server ${cfg.backend}/${cfg.servers[c]} state ready`,
        ]),
        `verify: show servers state ${cfg.backend} reports ${colours.map((c) => `${cfg.servers[c]}=${weights[c] ?? 0}`).join(' ')}`,
      ];
    },
  };
}
