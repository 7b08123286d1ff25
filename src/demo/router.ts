// Runs `prodx router` as a child process in front of the demo's targets, the way a user runs
// it. A child with an IPC channel (like sampleTarget.ts): it reports where it listens over IPC
// and exits when the channel closes, so even a SIGKILLed demo leaves no router behind.
import { join } from 'node:path';
import { packageRoot } from '../adapters/paths.js';
import { ExitCode, ProdxError } from '../core/errors.js';
import { forkListening } from './child.js';

export interface RouterProcessOptions {
  configPath: string;
  env: string;
  /** host:port overriding the config's router.listen; "127.0.0.1:0" picks a free port */
  listen?: string;
  admin?: string;
}

export interface RouterProcess {
  url: string;
  adminUrl: string;
  pid: number;
  stop(): Promise<void>;
}

// The router drains in-flight requests for up to 5s on SIGTERM; past this it is stuck.
const STOP_GRACE_MS = 8_000;

interface ListeningMessage {
  type: 'listening';
  url: string;
  adminUrl: string;
  pid: number;
}

function isListeningMessage(message: unknown): message is ListeningMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.type === 'listening' && typeof m.url === 'string' && typeof m.adminUrl === 'string' && typeof m.pid === 'number';
}

/** Starts `prodx router` for one environment; resolves once it is listening. */
export async function startRouterProcess(opts: RouterProcessOptions): Promise<RouterProcess> {
  const args = ['router', '--config', opts.configPath, '--env', opts.env];
  if (opts.listen !== undefined) args.push('--listen', opts.listen);
  if (opts.admin !== undefined) args.push('--admin', opts.admin);
  const { ready, stop } = await forkListening({
    file: join(packageRoot(), 'bin', 'prodx.js'),
    args,
    env: { ...process.env, NO_COLOR: '1' },
    isListening: isListeningMessage,
    graceMs: STOP_GRACE_MS,
    startError: (reason, last) =>
      new ProdxError('router-start-failed', `prodx router did not start: ${last?.replace(/^prodx: /, '') || reason}`, ExitCode.failed),
  });
  return { url: ready.url, adminUrl: ready.adminUrl, pid: ready.pid, stop };
}
