// A steady keep-alive load for router tests: paced GETs over one http.Agent, each response
// recorded with the app version in its body, grouped by the phase that was current when the
// request started. Two failure policies: never retry, or retry a GET once when a REUSED
// connection was reset before any response — what browsers do, since the server may close an
// idle keep-alive connection just as the client sends on it (every nginx reload does).
// Also what router tests share to run real servers: a free port, a port that accepts, and a
// foreground server process (nginx, haproxy) started with one retry and stopped without orphans.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export type RetryPolicy = 'never' | 'reused-reset-once';

export interface LoadOptions {
  url: string;
  rps: number;
  retry: RetryPolicy;
  /** hard bounds: the load stops by itself after this many requests or this long */
  maxRequests: number;
  maxDurationMs: number;
  maxSockets?: number;
  timeoutMs?: number;
}

export interface LoadResult {
  phase: string;
  status?: number;
  version?: string;
  error?: string;
  retried: boolean;
}

export interface PhaseSummary {
  requests: number;
  /** network errors and non-200 answers */
  failures: number;
  retries: number;
  /** version → answered (200) requests */
  versions: Record<string, number>;
  errors: string[];
}

export interface LoadClient {
  /** Requests started from now on belong to `name`. */
  phase(name: string): void;
  /** Counts over one or more phases together. */
  summary(...phases: string[]): PhaseSummary;
  /** Settled requests of a phase. */
  settled(phase: string): number;
  stop(): Promise<void>;
}

const TICK_MS = 10;
/** Sockets that have carried a request: the next request on one is on a reused connection. */
const usedSockets = new WeakSet<net.Socket>();

function getOnce(
  url: string,
  agent: http.Agent | false,
  timeoutMs: number,
): Promise<{ status?: number; version?: string; error?: string; reusedReset: boolean }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        let version: string | undefined;
        try {
          version = (JSON.parse(body) as { version?: string }).version;
        } catch {
          /* not JSON: the status tells what happened */
        }
        resolve({ status: res.statusCode, ...(version ? { version } : {}), reusedReset: false });
      });
      res.on('error', (err) => resolve({ error: `response: ${err.message}`, reusedReset: false }));
      // closed before the whole body arrived (resolve is a no-op once 'end' resolved it)
      res.on('close', () => resolve({ error: 'response cut off', reusedReset: false }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    // Reuse is tracked here: Node sets req.reusedSocket only for a socket taken from the idle
    // pool, not for one handed straight to a queued request, which is just as reused.
    let reused = false;
    req.on('socket', (socket) => {
      reused = usedSockets.has(socket);
      usedSockets.add(socket);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A reset on a reused socket means the server closed it while idle: safe to send again.
      resolve({ error: `${err.code ?? ''} ${err.message}`.trim(), reusedReset: reused && err.code === 'ECONNRESET' });
    });
  });
}

export function startLoad(opts: LoadOptions): LoadClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 8 });
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const results: LoadResult[] = [];
  const inFlight = new Set<Promise<void>>();
  let current = 'start';
  let sent = 0;

  const send = () => {
    const phase = current;
    sent += 1;
    const done = (async () => {
      let r = await getOnce(opts.url, agent, timeoutMs);
      let retried = false;
      if (r.error && r.reusedReset && opts.retry === 'reused-reset-once') {
        // On a new connection: a browser checks an idle socket is still open before reusing
        // it, while the other sockets in Node's pool were likely closed by the same reload.
        retried = true;
        r = await getOnce(opts.url, false, timeoutMs);
      }
      results.push({
        phase,
        retried,
        ...(r.status !== undefined ? { status: r.status } : {}),
        ...(r.version ? { version: r.version } : {}),
        ...(r.error ? { error: r.error } : {}),
      });
    })();
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  // Each tick sends what is due since the start, so timer jitter never changes the rate.
  const startedAt = performance.now();
  const timer = setInterval(() => {
    const elapsed = performance.now() - startedAt;
    if (elapsed > opts.maxDurationMs || sent >= opts.maxRequests) return clearInterval(timer);
    const due = Math.min(opts.maxRequests, Math.floor((elapsed * opts.rps) / 1000)) - sent;
    for (let i = 0; i < due; i++) send();
  }, TICK_MS);

  const of = (phase: string) => results.filter((r) => r.phase === phase);
  let stopping: Promise<void> | undefined;
  return {
    phase(name) {
      current = name;
    },
    settled: (phase) => of(phase).length,
    summary(...phases) {
      const rs = results.filter((r) => phases.includes(r.phase));
      const failed = rs.filter((r) => r.error !== undefined || r.status !== 200);
      const versions: Record<string, number> = {};
      for (const r of rs) if (r.version && !failed.includes(r)) versions[r.version] = (versions[r.version] ?? 0) + 1;
      return {
        requests: rs.length,
        failures: failed.length,
        retries: rs.filter((r) => r.retried).length,
        versions,
        errors: [...new Set(failed.map((r) => r.error ?? `HTTP ${r.status}`))],
      };
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        while (inFlight.size > 0) await Promise.all(inFlight);
        agent.destroy();
      })();
      return stopping;
    },
  };
}

/** Polls until `check` holds, or fails naming `what` after the deadline. No fixed sleeps. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A port that was free a moment ago: the OS picks it for a listener on port 0 that we close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port right now. */
export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = net.connect(port, '127.0.0.1');
    conn.once('connect', () => {
      conn.destroy();
      resolve(true);
    });
    conn.once('error', () => resolve(false));
  });
}

/** Child pids of a process, from /proc (how nginx's workers are found). */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

export interface ServerProcess {
  child: ChildProcess;
  /** SIGTERM; after 5 s SIGKILL to it and its children, so nothing outlives the test. */
  stop(): Promise<void>;
}

/**
 * Starts a server in the foreground and polls `ready` until it holds. `prepare` picks free ports
 * and writes the config; when the server dies saying `portTaken` (another process took a port
 * between picking and binding), it is prepared and started once more.
 */
export async function startServerProcess(
  what: string,
  prepare: () => Promise<{ argv: string[]; ready: (pid: number) => Promise<boolean> }>,
  portTaken: RegExp,
): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    const { argv, ready } = await prepare();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', (err) => (stderr += err.message));
    const exited = new Promise((resolve) => child.once('close', resolve));
    const gone = () => child.exitCode !== null || child.signalCode !== null;
    const stop = async () => {
      if (child.pid === undefined || gone()) return;
      child.kill('SIGTERM');
      try {
        await waitUntil(gone, `${what} to exit`, 5_000);
      } catch {
        for (const pid of [...childrenOf(child.pid), child.pid]) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
        await exited;
      }
    };
    try {
      await waitUntil(async () => {
        if (gone() || child.pid === undefined) throw new Error(`${what} exited with code ${child.exitCode}: ${stderr.trim()}`);
        return ready(child.pid);
      }, `${what} to be ready`);
      return { child, stop };
    } catch (err) {
      await stop();
      if (attempt === 1 && portTaken.test(stderr)) continue;
      throw err;
    }
  }
}
