// The local canary mailbox: how `prodx canary promote|abort|pause|resume` in one shell reaches
// the prodx running the canary in another. Each environment has its own folder; each request is
// its own file, written atomically, so two writers never touch the same bytes and the runner
// alone writes state.json. The runner answers each request with an ack file.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CANARY_REQUESTS, type CanaryAck, type CanaryRequest, type Mailbox } from '../../core/canary/control.js';
import { writeAtomic } from '../fs/atomic.js';

const requestsDir = (stateDir: string, env: string) => join(stateDir, 'canary', env, 'requests');
const acksDir = (stateDir: string, env: string) => join(stateDir, 'canary', env, 'acks');

function take(stateDir: string, env: string): CanaryRequest[] {
  const dir = requestsDir(stateDir, env);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch {
    return [];
  }
  const out: CanaryRequest[] = [];
  for (const name of names) {
    const file = join(dir, name);
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

function takeAck(stateDir: string, env: string, id: string): CanaryAck | null {
  const file = join(acksDir(stateDir, env), `${id}.json`);
  try {
    const ack = JSON.parse(readFileSync(file, 'utf8')) as CanaryAck;
    rmSync(file, { force: true });
    return ack;
  } catch {
    return null;
  }
}

export function localMailbox(stateDir: string): Mailbox {
  return {
    post: async (env, request) => writeAtomic(join(requestsDir(stateDir, env), `${request.id}.json`), JSON.stringify(request)),
    take: async (env) => take(stateDir, env),
    ack: async (env, ack) => writeAtomic(join(acksDir(stateDir, env), `${ack.id}.json`), JSON.stringify(ack)),
    takeAck: async (env, id) => takeAck(stateDir, env, id),
    withdraw: async (env, id) => rmSync(join(requestsDir(stateDir, env), `${id}.json`), { force: true }),
  };
}
