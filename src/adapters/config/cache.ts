// Remembers what the config schema made of a config text, so that a command does not load zod
// and re-validate the same bytes every time: about a sixth of a one-shot `--json` command's own
// start-up. An entry is keyed by the sha-256 of the text and of the schema that read it (the
// build stamps the hash of src/core/config/ into the bundle as __PRODX_CONFIG_SCHEMA_ID__), so a
// changed config or a new prodx never sees an old answer. Only texts that passed are kept: a bad
// config is always read again and explained. Built from source (tests), there is no stamp and
// nothing is cached.
//
// The folder is the user's own ($XDG_CACHE_HOME/prodx or ~/.cache/prodx, mode 0700), and an
// entry is used only when it is a regular file owned by this user: a config decides which
// commands prodx runs, so a file someone else could have written is never trusted. Any failure
// to read or write the cache is silent; the config is then simply validated.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../core/config/schema.js';

declare const __PRODX_CONFIG_SCHEMA_ID__: string | undefined;

const schemaId = typeof __PRODX_CONFIG_SCHEMA_ID__ === 'string' ? __PRODX_CONFIG_SCHEMA_ID__ : undefined;

function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env['PRODX_NO_CACHE']) return undefined;
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'prodx', 'config');
}

const keyOf = (text: string) => createHash('sha256').update(`${schemaId}\0${text}`).digest('hex');

/** The config this exact text validated to before, or undefined. */
export function cachedConfig(text: string, env: NodeJS.ProcessEnv = process.env): Config | undefined {
  const dir = schemaId && cacheDir(env);
  if (!dir) return undefined;
  const key = keyOf(text);
  const file = join(dir, `${key}.json`);
  try {
    const st = lstatSync(file);
    if (!st.isFile() || (process.getuid && st.uid !== process.getuid())) return undefined;
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown; config?: Config };
    return entry.key === key && typeof entry.config === 'object' && entry.config !== null ? entry.config : undefined;
  } catch {
    return undefined;
  }
}

/** the entries kept: a few hundred configs (each a few KiB) covers anyone's projects */
const MAX_ENTRIES = 256;

/** Past MAX_ENTRIES, the least recently written half goes. */
function prune(dir: string): void {
  const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const aged = names.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - MAX_ENTRIES / 2)) unlinkSync(join(dir, n));
}

/** Keeps a text's validated config for the next command (temp file + rename: never half an entry). */
export function rememberConfig(text: string, config: Config, env: NodeJS.ProcessEnv = process.env): void {
  const dir = schemaId && cacheDir(env);
  if (!dir) return;
  const key = keyOf(text);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `.${key}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify({ key, config }), { mode: 0o600 });
    renameSync(tmp, join(dir, `${key}.json`));
    prune(dir);
  } catch {
    /* a read-only home or a full disk: the next command validates again */
  }
}
