// One entry point from an environment's `router` config to its TrafficRouter, so operations
// never know which kind of router they drive.
import { ProdxError } from '../../core/errors.js';
import type { TrafficRouter } from '../../core/deploy/router.js';
import type { EnvironmentConfig } from '../../core/config/schema.js';
import { createBuiltinRouterClient } from './builtin/client.js';
import { createCommandRouter } from './command.js';
import { createHaproxyRouter } from './haproxy.js';
import { createNginxRouter } from './nginx.js';

export type RouterConfig = NonNullable<EnvironmentConfig['router']>;

export interface CreateRouterOptions {
  /** the config file's folder: relative paths and commands start there */
  cwd?: string;
  /** per command / per runtime-API / admin call; the defaults suit production (60 s, 5 s, 2 s) */
  timeoutMs?: number;
  /** the environment's name, so a message can name the config path or command that fixes it */
  env?: string;
}

function assertNever(x: never): never {
  throw new Error(`unknown router type ${JSON.stringify(x)}`);
}

/** colour → target URL, for the routers that must name targets (nginx server lines). */
export function createRouter(config: RouterConfig, targets: Record<string, string>, opts: CreateRouterOptions = {}): TrafficRouter {
  switch (config.type) {
    case 'nginx':
      return createNginxRouter(config, targets, opts);
    case 'haproxy': {
      const at = opts.env !== undefined ? `environments.${opts.env}.router.servers` : 'router.servers';
      const stray = Object.keys(config.servers).find((colour) => !(colour in targets));
      if (stray !== undefined)
        throw new ProdxError(
          'config-invalid',
          `${at}.${stray}: there is no target "${stray}"; use one of ${Object.keys(targets).join(', ')}.`,
        );
      const missing = Object.keys(targets).find((colour) => !(colour in config.servers));
      if (missing !== undefined)
        throw new ProdxError(
          'config-invalid',
          `${at}: target "${missing}" has no HAProxy server; add "${missing}": "<server name in the backend>".`,
        );
      return createHaproxyRouter(config, opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {});
    }
    case 'command':
      return createCommandRouter(config, opts);
    case 'builtin':
      return createBuiltinRouterClient({
        admin: config.admin,
        ...(opts.env !== undefined ? { env: opts.env } : {}),
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      });
    default:
      return assertNever(config);
  }
}
