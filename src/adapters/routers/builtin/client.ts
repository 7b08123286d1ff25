// The TrafficRouter for prodx's builtin router: talks to its admin endpoint (`prodx router`)
// with got. apply() reads the weights back after the PUT, so a deploy only moves on once the
// router really routes that way.
import got, { RequestError, type Response } from 'got';
import { describeProbeError } from '../../http/probe.js';
import { ExitCode, ProdxError } from '../../../core/errors.js';
import { validateWeights, type RouterOptions, type TrafficRouter, type Weights } from '../../../core/deploy/router.js';
import type { BuiltinRouterStats } from './stats.js';

export interface BuiltinRouterClientOptions {
  /** the admin address from the config, e.g. "127.0.0.1:8089" */
  admin: string;
  /** the environment, so an error can name the command and config path that fix it */
  env?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 2_000;

async function call(opts: BuiltinRouterClientOptions, method: 'GET' | 'PUT', path: string, ropts: RouterOptions, json?: unknown) {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    return (await got(`http://${opts.admin}${path}`, {
      method,
      ...(json !== undefined ? { json } : {}),
      responseType: 'json',
      throwHttpErrors: false,
      retry: { limit: 0 }, // the caller decides whether to try again; a deploy must not hang here
      timeout: { request: timeoutMs },
      ...(ropts.signal ? { signal: ropts.signal } : {}),
    })) as Response<unknown>;
  } catch (err) {
    if (ropts.signal?.aborted || !(err instanceof RequestError)) throw err;
    if (err.code === 'ERR_BODY_PARSE_FAILURE')
      throw new ProdxError(
        'router-failed',
        `${opts.admin} did not answer JSON: is it the admin address of a prodx router?`,
        ExitCode.failed,
      );
    const where = opts.env ? ` --env ${opts.env}` : '';
    const config = opts.env ? `environments.${opts.env}.router.admin` : 'router.admin in the config';
    throw new ProdxError(
      'router-unreachable',
      `the builtin router's admin endpoint at ${opts.admin} is not answering (${describeProbeError(err, timeoutMs)}): start it with \`prodx router${where}\`, or correct ${config}.`,
      ExitCode.failed,
      { admin: opts.admin },
    );
  }
}

const errorOf = (res: Response<unknown>): string => {
  const body = res.body as { error?: unknown } | undefined;
  return typeof body?.error === 'string' ? body.error : `HTTP ${res.statusCode}`;
};

function expectOk(opts: BuiltinRouterClientOptions, res: Response<unknown>, what: string): unknown {
  if (res.statusCode === 200) return res.body;
  throw new ProdxError(
    'router-failed',
    `the builtin router at ${opts.admin} failed to ${what}: ${errorOf(res)}. Check that ${opts.admin} is a prodx router admin address.`,
    ExitCode.failed,
  );
}

function asWeights(opts: BuiltinRouterClientOptions, body: unknown): Weights {
  const ok = typeof body === 'object' && body !== null && Object.values(body).every((w) => typeof w === 'number');
  if (ok) return body as Weights;
  throw new ProdxError(
    'router-failed',
    `${opts.admin}/weights did not answer a weights object (${JSON.stringify(body)?.slice(0, 80)}): is it a prodx router?`,
    ExitCode.failed,
  );
}

const sameWeights = (want: Weights, got: Weights): boolean =>
  Object.keys({ ...want, ...got }).every((c) => (want[c] ?? 0) === (got[c] ?? 0));

export function createBuiltinRouterClient(opts: BuiltinRouterClientOptions): TrafficRouter {
  const read = async (ropts: RouterOptions = {}): Promise<Weights> =>
    asWeights(opts, expectOk(opts, await call(opts, 'GET', '/weights', ropts), 'report its weights'));
  return {
    kind: 'builtin',
    read,
    async apply(weights: Weights, ropts: RouterOptions = {}): Promise<void> {
      const invalid = validateWeights(weights);
      if (invalid) throw new ProdxError('weights-invalid', `cannot apply ${JSON.stringify(weights)}: ${invalid}.`);
      const res = await call(opts, 'PUT', '/weights', ropts, weights);
      if (res.statusCode === 400) {
        throw new ProdxError(
          'router-rejected',
          `the builtin router at ${opts.admin} refused ${JSON.stringify(weights)}: ${errorOf(res)}. Use the colours of its targets.`,
        );
      }
      expectOk(opts, res, 'apply the weights');
      const now = await read(ropts);
      if (!sameWeights(weights, now)) {
        throw new ProdxError(
          'router-verify-failed',
          `the builtin router at ${opts.admin} reports ${JSON.stringify(now)} after applying ${JSON.stringify(weights)}: another process may be changing it; read http://${opts.admin}/weights and apply again.`,
          ExitCode.failed,
        );
      }
    },
    describe(weights: Weights): string[] {
      return [
        `PUT http://${opts.admin}/weights ${JSON.stringify(weights)} (the builtin router swaps the weights at once and saves them)`,
        `GET http://${opts.admin}/weights to verify they took effect`,
      ];
    },
  };
}

/** Per-upstream requests, errors, status classes and latency quantiles, for the canary analysis. */
export async function readBuiltinStats(opts: BuiltinRouterClientOptions, ropts: RouterOptions = {}): Promise<BuiltinRouterStats> {
  return expectOk(opts, await call(opts, 'GET', '/stats', ropts), 'report its stats') as BuiltinRouterStats;
}
