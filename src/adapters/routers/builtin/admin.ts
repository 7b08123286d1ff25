// The builtin router's admin side: the loopback listener that reads and swaps the weights and
// serves /stats and /metrics, and the weights file every change is saved to before it applies.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname } from 'node:path';
import { ExitCode, ProdxError, jsonErrorReason } from '../../../core/errors.js';
import { validateWeights, type Weights } from '../../../core/deploy/router.js';
import type { WeightedRoundRobin } from '../../../core/deploy/wrr.js';
import type { RouterStats } from './stats.js';

const MAX_ADMIN_BODY = 16 * 1024;

/** The persisted weights, or undefined when the file does not exist. */
export function readWeightsFile(file: string, colours: readonly string[]): Weights | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ProdxError('router-weights-invalid', `${file} cannot be read (${(err as NodeJS.ErrnoException).code}): fix its permissions.`);
  }
  let problem: string | undefined;
  try {
    const saved: unknown = JSON.parse(text);
    const weights = typeof saved === 'object' && saved !== null ? (saved as { weights?: unknown }).weights : undefined;
    problem = weightsProblem(weights, colours);
    if (!problem) return weights as Weights;
  } catch (err) {
    problem = `not valid JSON: ${jsonErrorReason(err)}`;
  }
  throw new ProdxError(
    'router-weights-invalid',
    `${file}: ${problem}. Fix it, or delete it to start from the live colour.`,
    ExitCode.badInput,
    { file },
  );
}

export function weightsProblem(weights: unknown, colours: readonly string[]): string | undefined {
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights))
    return 'expected a JSON object of colour → percent, e.g. {"blue": 90, "green": 10}';
  const unknown = Object.keys(weights).find((c) => !colours.includes(c));
  if (unknown !== undefined) return `unknown colour "${unknown}": the upstreams are ${colours.join(', ')}`;
  return validateWeights(weights as Weights);
}

function writeWeightsFile(file: string, weights: Weights): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`; // temp + rename: a crash never leaves half a file
    writeFileSync(tmp, `${JSON.stringify({ weights, updatedAt: new Date().toISOString() }, null, 2)}\n`);
    renameSync(tmp, file);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new Error(`cannot save the weights to ${file} (${why}), so they were not changed: make its folder writable`);
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) if ((size += chunk.length) <= MAX_ADMIN_BODY) chunks.push(chunk);
  return size > MAX_ADMIN_BODY ? undefined : Buffer.concat(chunks).toString('utf8');
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

/** What the admin routes read and change. */
export interface AdminTarget {
  colours: readonly string[];
  /** every colour at 0: a PUT that leaves a colour out takes its traffic away */
  none: Weights;
  wrr: WeightedRoundRobin;
  stats: RouterStats;
  weightsFile?: string | undefined;
}

/** PUT /weights: checked, saved, then applied. */
function putWeights(t: AdminTarget): Handler {
  let saving = Promise.resolve();
  return async (req, res) => {
    const text = await readBody(req);
    if (text === undefined) return sendJson(res, 413, { error: `body over ${MAX_ADMIN_BODY} bytes` });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return sendJson(res, 400, { error: `body is not valid JSON: ${jsonErrorReason(err)}` });
    }
    const problem = weightsProblem(body, t.colours);
    if (problem) return sendJson(res, 400, { error: problem });
    const next = { ...t.none, ...(body as Weights) };
    // One change at a time, persisted before it takes effect, so the file never lags behind.
    const done = saving.then(() => {
      if (t.weightsFile) writeWeightsFile(t.weightsFile, next);
      t.wrr.setWeights(next); // one assignment: each request picks under the old or the new weights
    });
    saving = done.catch(() => undefined);
    await done;
    sendJson(res, 200, t.wrr.getWeights());
  };
}

function adminRoutes(t: AdminTarget): Record<string, Partial<Record<string, Handler>>> {
  return {
    '/weights': { GET: (_q, res) => sendJson(res, 200, t.wrr.getWeights()), PUT: putWeights(t) },
    '/stats': { GET: async (_q, res) => sendJson(res, 200, await t.stats.stats()) },
    '/metrics': {
      GET: async (_q, res) => res.writeHead(200, { 'content-type': t.stats.registry.contentType }).end(await t.stats.registry.metrics()),
    },
    '/healthz': { GET: (_q, res) => sendJson(res, 200, { status: 'ok' }) },
  };
}

export function adminServer(t: AdminTarget): http.Server {
  const routes = adminRoutes(t);
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://admin').pathname;
    const route = routes[path];
    const handler = route?.[req.method ?? 'GET'];
    if (!route) return sendJson(res, 404, { error: `no admin route ${path}: try /weights, /stats, /metrics or /healthz` });
    if (!handler) return sendJson(res, 405, { error: `${req.method} not allowed on ${path}` }, { allow: Object.keys(route).join(', ') });
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
    });
  });
}
