// One HTTP request to a test server, with its status, headers and JSON body (the collector tests).
import { Agent, request as httpRequest } from 'node:http';
import type { ProdxChild } from './canary.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}
export function send(
  url: string,
  o: { method?: string; body?: string | Buffer; headers?: Record<string, string>; agent?: Agent; path?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${o.path ?? '/v1/rum'}`,
      { method: o.method ?? 'POST', headers: o.headers ?? {}, ...(o.agent ? { agent: o.agent } : {}) },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }),
        );
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/**
 * Four keep-alive clients post as fast as the server answers until `atLeast` events were answered
 * 200, then the server gets SIGTERM; `one` sends one request and says how many events its answer
 * accepted (0 for any other answer). Returns the events answered and how the server exited.
 */
export async function burstThenSigterm(
  server: ProdxChild,
  one: (agent: Agent) => Promise<number>,
  atLeast: number,
): Promise<{ answered: number; exit: { code: number | null; signal: NodeJS.Signals | null } }> {
  const agents = Array.from({ length: 4 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  let answered = 0;
  let stop = false;
  const clients = agents.map(async (agent) => {
    while (!stop) {
      try {
        // not `answered += await …`: that reads `answered` before the await, and the four clients
        // would overwrite each other's counts
        const n = await one(agent);
        answered += n;
      } catch {
        return; // the server went away mid-request: that request was never answered
      }
    }
  });
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (answered >= atLeast) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
  server.child.kill('SIGTERM');
  const exit = await server.exited;
  stop = true;
  await Promise.all(clients);
  for (const a of agents) a.destroy();
  return { answered, exit };
}
