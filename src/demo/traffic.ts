// Synthetic user traffic for the demo: a steady GET stream so canary analysis and live health
// have real requests to judge. The target is re-read per request so a router switch (or the
// demo pointing it elsewhere) takes effect immediately.
import http from 'node:http';

export interface TrafficOptions {
  /** Base URL to hit; undefined pauses sending (nothing is counted). */
  target: () => string | undefined;
  /** Requests per second, spread evenly over each second. */
  rps: number;
  /** Paths to cycle through round-robin; defaults to ['/']. */
  paths?: string[];
  /** Cap on concurrent requests; ticks that would exceed it drop their requests. Default 32. */
  maxInFlight?: number;
  /** Stop sending after this many requests (stop() is still needed to release sockets). */
  maxRequests?: number;
  /** Per-request timeout; a timed-out request counts as failed. Default 5000. */
  timeoutMs?: number;
}

export interface TrafficStats {
  sent: number;
  /** 2xx-3xx responses. */
  ok: number;
  /** 4xx-5xx responses. */
  errors: number;
  /** Network errors, timeouts, aborted responses, invalid URLs. */
  failed: number;
  byStatus: Record<string, number>;
  /** Requests skipped because maxInFlight was reached. */
  dropped: number;
  inFlight: number;
}

export interface TrafficGenerator {
  /** Stops sending and waits for in-flight requests to settle. */
  stop(): Promise<void>;
  stats(): TrafficStats;
}

const MIN_TICK_MS = 10;
const MAX_TICK_MS = 1_000;

export function startTraffic(opts: TrafficOptions): TrafficGenerator {
  if (!(opts.rps > 0) || !Number.isFinite(opts.rps)) throw new RangeError(`rps must be a positive number, got ${opts.rps}`);
  const paths = opts.paths && opts.paths.length > 0 ? opts.paths : ['/'];
  const maxInFlight = opts.maxInFlight ?? 32;
  const maxRequests = opts.maxRequests ?? Number.POSITIVE_INFINITY;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  // Keep-alive like a browser; few sockets so a slow target queues instead of opening hundreds.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  const counts = { sent: 0, ok: 0, errors: 0, failed: 0, dropped: 0 };
  const byStatus: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  let nextPath = 0;

  const sendOne = (base: string): void => {
    const path = paths[nextPath++ % paths.length] ?? '/';
    counts.sent += 1;
    const done = new Promise<void>((resolve) => {
      let settled = false;
      const settle = (status?: number) => {
        if (settled) return;
        settled = true;
        if (status === undefined) counts.failed += 1;
        else {
          byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
          if (status < 400) counts.ok += 1;
          else counts.errors += 1;
        }
        resolve();
      };
      let url: URL;
      try {
        url = new URL(path, base);
        if (url.protocol !== 'http:') throw new Error(`unsupported protocol ${url.protocol}`);
      } catch {
        settle();
        return;
      }
      const req = http.get(url, { agent }, (res) => {
        res.on('end', () => settle(res.statusCode));
        res.on('error', () => settle());
        res.on('close', () => settle()); // closed before 'end': the body was cut off
        res.resume(); // only the status matters; drain so the socket returns to the pool
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
      req.on('error', () => settle());
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  // Each tick sends however many requests are due since start, so timer jitter never drifts
  // the rate; batches only happen above 1000/MIN_TICK_MS rps.
  const startedAt = performance.now();
  let scheduled = 0;
  const tick = () => {
    const due = Math.floor(((performance.now() - startedAt) * opts.rps) / 1000) - scheduled;
    for (let i = 0; i < due; i++) {
      scheduled += 1;
      if (counts.sent >= maxRequests) break;
      const base = opts.target();
      if (base === undefined) continue;
      if (inFlight.size >= maxInFlight) counts.dropped += 1;
      else sendOne(base);
    }
    if (counts.sent >= maxRequests) clearInterval(timer);
  };
  const timer = setInterval(tick, Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, 1000 / opts.rps)));

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        while (inFlight.size > 0) await Promise.all(inFlight);
        agent.destroy();
      })();
      return stopping;
    },
    stats: () => ({ ...counts, byStatus: { ...byStatus }, inFlight: inFlight.size }),
  };
}
