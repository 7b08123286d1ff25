// The canary's mailbox: how `prodx canary promote|abort|pause|resume` in one shell reaches the
// prodx running the canary in another. Each request is its own file, created atomically
// (write to a temporary name, then rename), so two writers never touch the same bytes and the
// runner alone writes state.json. The runner answers each request with an ack file.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CANARY_REQUESTS, type CanaryRequest } from '../../core/canary/control.js';

export interface CanaryAck {
  id: string;
  ok: boolean;
  /** what happened, or why the request did not apply */
  message: string;
  at: number;
}

const requestsDir = (stateDir: string) => join(stateDir, 'canary', 'requests');
const acksDir = (stateDir: string) => join(stateDir, 'canary', 'acks');

function writeAtomic(dir: string, name: string, value: unknown): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, join(dir, name));
}

export function postRequest(stateDir: string, request: CanaryRequest): void {
  writeAtomic(requestsDir(stateDir), `${request.id}.json`, request);
}

/** The waiting requests, oldest first; each is removed as it is read, so it is handled once. */
export function takeRequests(stateDir: string): CanaryRequest[] {
  let names: string[];
  try {
    names = readdirSync(requestsDir(stateDir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch {
    return [];
  }
  const out: CanaryRequest[] = [];
  for (const name of names) {
    const file = join(requestsDir(stateDir), name);
    try {
      const r = JSON.parse(readFileSync(file, 'utf8')) as CanaryRequest;
      if (typeof r.id === 'string' && (CANARY_REQUESTS as readonly string[]).includes(r.type)) out.push(r);
    } catch {
      /* unreadable: dropped below */
    }
    rmSync(file, { force: true });
  }
  return out.sort((a, b) => a.at - b.at);
}

export function writeAck(stateDir: string, ack: CanaryAck): void {
  writeAtomic(acksDir(stateDir), `${ack.id}.json`, ack);
}

/** The runner's answer to request `id`, removed once read; null until it has answered. */
export function takeAck(stateDir: string, id: string): CanaryAck | null {
  const file = join(acksDir(stateDir), `${id}.json`);
  try {
    const ack = JSON.parse(readFileSync(file, 'utf8')) as CanaryAck;
    rmSync(file, { force: true });
    return ack;
  } catch {
    return null;
  }
}

/** Drops a request nobody took (the runner died before reading it). */
export function withdrawRequest(stateDir: string, id: string): void {
  rmSync(join(requestsDir(stateDir), `${id}.json`), { force: true });
}
