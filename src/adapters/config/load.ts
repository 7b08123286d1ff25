// Finds, reads and validates prodx.config.json. Every failure is a ProdxError whose message
// names the file, the JSON path and the fix; nothing here prints or exits.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../../core/config/schema.js';
import { ProdxError } from '../../core/errors.js';
import { cachedConfig, rememberConfig } from './cache.js';

export const CONFIG_FILE = 'prodx.config.json';

export interface LoadedConfig {
  path: string;
  config: Config;
}

/** --config, then PRODX_CONFIG, then ./prodx.config.json */
export function findConfigPath(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, explicit ?? env['PRODX_CONFIG'] ?? CONFIG_FILE);
}

export async function loadConfig(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ProdxError('config-missing', `no config at ${path}: run \`prodx init\` to write one, or pass --config <path>.`);
    }
    if (code === 'EISDIR') throw new ProdxError('config-missing', `${path} is a directory: pass the path of the JSON file with --config.`);
    throw new ProdxError('config-unreadable', `cannot read ${path} (${code ?? 'unknown error'}): check the path and its permissions.`);
  }
  const known = cachedConfig(text);
  if (known) return { path, config: known };
  const { parseConfig } = await import('./parse.js');
  const config = parseConfig(text, path);
  rememberConfig(text, config);
  return { path, config };
}
