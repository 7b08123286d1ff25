// The config cache (src/adapters/config/cache.ts) as the built binary uses it: a validated text
// is remembered in the user's cache folder, a changed text is read again, a bad one is never
// kept, and an entry someone else owns is not trusted.
import { chownSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prodx, tempDir, writeConfig } from '../support/cli.js';

const status = async (config: string, cache: string, env: Record<string, string> = {}) => {
  const r = await prodx(['status', '--json', '--config', config], { env: { XDG_CACHE_HOME: cache, ...env } });
  return { ...r, report: r.stdout ? (JSON.parse(r.stdout) as { ok: boolean; app?: string; error?: { code: string } }) : null };
};
const entries = (cache: string) => {
  const dir = join(cache, 'prodx', 'config');
  return existsSync(dir) ? readdirSync(dir).map((n) => join(dir, n)) : [];
};

describe('config cache', () => {
  it('remembers a validated config, answers from it, and reads a changed text again', async () => {
    const cache = tempDir();
    const config = writeConfig({ blue: 'http://127.0.0.1:1' });
    const first = await status(config, cache);
    expect(first.report).toMatchObject({ ok: true, app: 'weather' });
    const [entry] = entries(cache);
    expect(entries(cache)).toHaveLength(1);
    // the entry is what the next command uses: an entry saying otherwise is believed…
    const kept = JSON.parse(readFileSync(entry!, 'utf8')) as { key: string; config: { app: string } };
    writeFileSync(entry!, JSON.stringify({ ...kept, config: { ...kept.config, app: 'from-the-cache' } }));
    expect((await status(config, cache)).report).toMatchObject({ app: 'from-the-cache' });
    // …but only while the config's text is the one it was made from
    writeFileSync(config, readFileSync(config, 'utf8').replace('"weather"', '"radar"'));
    expect((await status(config, cache)).report).toMatchObject({ app: 'radar' });
    expect(entries(cache)).toHaveLength(2);
  });

  // chown needs root (CI runs as root)
  it.skipIf(process.getuid?.() !== 0)('never trusts an entry another user owns', async () => {
    const cache = tempDir();
    const config = writeConfig({ blue: 'http://127.0.0.1:1' });
    await status(config, cache);
    const [entry] = entries(cache);
    const kept = JSON.parse(readFileSync(entry!, 'utf8')) as { key: string; config: { app: string } };
    writeFileSync(entry!, JSON.stringify({ ...kept, config: { ...kept.config, app: 'planted' } }));
    chownSync(entry!, 65534, 65534);
    expect((await status(config, cache)).report).toMatchObject({ app: 'weather' });
  });

  it('never keeps a bad config', async () => {
    const bad = tempDir();
    const badConfig = writeConfig({ blue: 'not a url' });
    for (let i = 0; i < 2; i++) {
      const r = await status(badConfig, bad);
      expect(r.code).toBe(2);
      expect(r.report?.error?.code).toBe('config-invalid');
    }
    expect(entries(bad)).toEqual([]);
  });

  it('PRODX_NO_CACHE turns it off', async () => {
    const cache = tempDir();
    const config = writeConfig({ blue: 'http://127.0.0.1:1' });
    expect((await status(config, cache, { PRODX_NO_CACHE: '1' })).report).toMatchObject({ ok: true });
    expect(entries(cache)).toEqual([]);
  });
});
