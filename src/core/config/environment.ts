// Which environment a command acts on. An empty name (`--env "$UNSET_VAR"`) is an error, never
// a silent fall back to production.
import { ProdxError } from '../errors.js';
import type { Config } from './schema.js';

/**
 * --env, else PRODX_ENV, else NODE_ENV when the config defines an environment of that name
 * (the original scripts were driven by NODE_ENV), else `production`, else the first one.
 */
export function chooseEnvironment(config: Config, explicit: string | undefined, processEnv: NodeJS.ProcessEnv): string {
  const names = Object.keys(config.environments);
  const list = names.map((n) => `"${n}"`).join(', ');
  const from = explicit !== undefined ? '--env' : 'PRODX_ENV';
  const asked = explicit ?? processEnv['PRODX_ENV'];
  if (asked !== undefined) {
    if (asked.trim() === '')
      throw new ProdxError('unknown-environment', `${from} is empty (an unset variable?): name one of ${list}, e.g. --env ${names[0]}.`);
    if (names.includes(asked)) return asked;
    throw new ProdxError(
      'unknown-environment',
      `unknown environment "${asked}": the config defines ${list}. Pass one of those with --env.`,
    );
  }
  const nodeEnv = processEnv['NODE_ENV'];
  if (nodeEnv && names.includes(nodeEnv)) return nodeEnv;
  return names.includes('production') ? 'production' : names[0]!;
}
