// Runs the sample weather app as a child process, so the demo and integration tests deploy to
// real servers on real ports. A child (not in-process) so stop() is a real process exit and a
// crashed prodx cannot leave the app behind: the child exits when its IPC channel closes.
import { forkListening } from './child.js';
import { fixturePath } from '../adapters/paths.js';

export interface Faults {
  errorRatio: number;
  latencyMs: number;
  failHealth: boolean;
}

export interface SampleTargetOptions {
  version: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  errorRatio?: number;
  latencyMs?: number;
  failHealth?: boolean;
  /** Display name, e.g. "blue"; defaults to `weather@<version>`. */
  name?: string;
}

export interface SampleTarget {
  name: string;
  url: string;
  port: number;
  version: string;
  pid: number;
  setFaults(partial: Partial<Faults>): Promise<Faults>;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 3_000;

interface ListeningMessage {
  type: 'listening';
  url: string;
  port: number;
  version: string;
  pid: number;
}

function isListeningMessage(message: unknown): message is ListeningMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.type === 'listening' && typeof m.url === 'string' && typeof m.port === 'number';
}

function serverArgs(opts: SampleTargetOptions): string[] {
  const args = ['--host', opts.host ?? '127.0.0.1', '--port', String(opts.port ?? 0), '--version', opts.version];
  if (opts.errorRatio !== undefined) args.push('--error-ratio', String(opts.errorRatio));
  if (opts.latencyMs !== undefined) args.push('--latency-ms', String(opts.latencyMs));
  if (opts.failHealth) args.push('--fail-health');
  return args;
}

/** Starts the weather app in a child process; resolves once it is listening. */
export async function startSampleTarget(opts: SampleTargetOptions): Promise<SampleTarget> {
  const name = opts.name ?? `weather@${opts.version}`;
  const { ready, stop } = await forkListening({
    file: fixturePath('weather-app', 'server.mjs'),
    args: serverArgs(opts),
    env: { ...process.env, APP_VERSION: opts.version },
    isListening: isListeningMessage,
    graceMs: STOP_GRACE_MS,
    startError: (reason, last) => new Error(`sample target ${name} failed to start: ${reason}${last ? ` (${last})` : ''}`),
  });

  const setFaults = async (partial: Partial<Faults>): Promise<Faults> => {
    const res = await fetch(`${ready.url}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(partial),
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const message = typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : res.statusText;
      throw new Error(`setting faults on ${name} failed: HTTP ${res.status}: ${message}`);
    }
    return body as Faults;
  };

  return {
    name,
    url: ready.url,
    port: ready.port,
    version: ready.version,
    pid: ready.pid,
    setFaults,
    stop,
  };
}
