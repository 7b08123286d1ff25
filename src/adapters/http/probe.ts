// HTTP health probes with got: one GET of the health path (and the version path when the
// health body does not carry a version), never retried, bounded by a timeout and a signal.
import got, { type Agents, RequestError } from 'got';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { ProbeResult, ProbeTarget } from '../../core/health/types.js';

export type { ProbeTarget } from '../../core/health/types.js';

export interface ProbeOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** reuse connections between probes (pollers); one-shot probes leave it out */
  agent?: Agents;
  now?: () => number;
}

export function keepAliveAgents(): { agents: Agents; destroy(): void } {
  const http = new HttpAgent({ keepAlive: true, maxSockets: 4 });
  const https = new HttpsAgent({ keepAlive: true, maxSockets: 4 });
  return { agents: { http, https }, destroy: () => (http.destroy(), https.destroy()) };
}

/** A probe that keeps its connections between rounds (watch loops, pollers); dispose() closes them. */
export function keepAliveProber(): { probe: (t: ProbeTarget, o: Omit<ProbeOptions, 'agent'>) => Promise<ProbeResult>; dispose(): void } {
  const agent = keepAliveAgents();
  return { probe: (t, o) => probeTarget(t, { ...o, agent: agent.agents }), dispose: () => agent.destroy() };
}

const MAX_VERSION_LENGTH = 64;

/** A version string from a health or version body: `{"version": "1.2.3"}` or plain text. */
export function versionFromBody(body: string, contentType: string | undefined): string | undefined {
  const text = body.trim();
  if (!text) return undefined;
  if (contentType?.includes('json') || text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && 'version' in parsed) {
        const v = (parsed as { version: unknown }).version;
        if (typeof v === 'string' || typeof v === 'number') return String(v).slice(0, MAX_VERSION_LENGTH);
      }
    } catch {
      /* not JSON after all: no version in it */
    }
    return undefined;
  }
  const firstLine = text.split(/\r?\n/, 1)[0]!.trim();
  return /^[\w.+-]{1,64}$/.test(firstLine) ? firstLine : undefined;
}

/** The failure of a probe in words a person can act on. */
export function describeProbeError(err: unknown, timeoutMs: number): string {
  if (err instanceof RequestError) {
    switch (err.code) {
      case 'ETIMEDOUT':
        return `timed out after ${timeoutMs}ms`;
      case 'ECONNREFUSED':
        return 'connection refused';
      case 'ECONNRESET':
        return 'connection reset by the target';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `host not found (${err.options.url instanceof URL ? err.options.url.hostname : 'unknown host'})`;
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return 'host unreachable';
      case 'ERR_ABORTED':
        return 'probe cancelled';
      default:
        if (err.code?.startsWith('HPE_') || /parse error/i.test(err.message)) return 'the target did not answer HTTP (garbage on the port)';
        return err.message.split('\n')[0]!;
    }
  }
  if (err instanceof Error && err.name === 'AbortError') return 'probe cancelled';
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

async function get(url: string, opts: ProbeOptions) {
  return got(url, {
    timeout: { request: opts.timeoutMs },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text',
    ...(opts.agent ? { agent: opts.agent } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    headers: { 'user-agent': 'prodx-health', accept: 'application/json, text/plain;q=0.9' },
  });
}

export async function probeTarget(target: ProbeTarget, opts: ProbeOptions): Promise<ProbeResult> {
  const now = opts.now ?? Date.now;
  const at = now();
  const started = performance.now();
  try {
    const res = await get(new URL(target.healthPath, target.url).href, opts);
    const latencyMs = performance.now() - started;
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    let version = versionFromBody(res.body, res.headers['content-type']);
    if (ok && version === undefined && target.versionPath) {
      try {
        const v = await get(new URL(target.versionPath, target.url).href, opts);
        if (v.statusCode >= 200 && v.statusCode < 300) version = versionFromBody(v.body, v.headers['content-type']);
      } catch {
        /* the version is a nicety: a failing version endpoint does not fail the health probe */
      }
    }
    return {
      at,
      ok,
      statusCode: res.statusCode,
      latencyMs,
      ...(version !== undefined ? { version } : {}),
      ...(ok ? {} : { error: `HTTP ${res.statusCode}` }),
    };
  } catch (err) {
    return { at, ok: false, latencyMs: performance.now() - started, error: describeProbeError(err, opts.timeoutMs) };
  }
}
