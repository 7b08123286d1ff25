import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeState } from '../../src/adapters/state/stateFile.js';
import { emptyEnvironmentState } from '../../src/core/state/schema.js';
import { expectNoStack, prodx, writeConfig } from '../support/cli.js';

const TARGETS = { blue: 'http://127.0.0.1:1', green: 'http://127.0.0.1:2' };

async function withState(configPath: string): Promise<string> {
  const stateDir = join(dirname(configPath), '.prodx');
  await writeState(stateDir, (s) => ({
    ...s,
    environments: {
      production: {
        ...emptyEnvironmentState(),
        live: { colour: 'blue', version: '1.4.0', since: Date.now() - 120_000 },
        colours: { blue: { version: '1.4.0' }, green: { version: '1.3.9' } },
        history: [
          {
            id: 'd1',
            version: '1.4.0',
            strategy: 'blue-green',
            by: 'ci@runner',
            startedAt: Date.now() - 180_000,
            endedAt: Date.now() - 120_000,
            result: 'succeeded',
          },
        ],
      },
    },
  }));
  return stateDir;
}

describe('prodx status', () => {
  it('with no state yet says so and exits 0', async () => {
    const r = await prodx(['status', '--json', '--config', writeConfig(TARGETS)]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      app: 'weather',
      environment: 'production',
      live: null,
      lastDeploy: null,
      lock: null,
      history: 0,
    });
  });

  it('reads live colour, versions and the last deploy from state, without touching the network', async () => {
    const config = writeConfig(TARGETS);
    await withState(config);
    const json = JSON.parse((await prodx(['status', '--json', '--config', config])).stdout);
    expect(json.live).toMatchObject({ colour: 'blue', version: '1.4.0' });
    expect(json.colours.green.version).toBe('1.3.9');
    expect(json.lastDeploy).toMatchObject({ version: '1.4.0', result: 'succeeded', by: 'ci@runner' });
    const text = (await prodx(['status', '--config', config])).stdout;
    expect(text).toMatch(/^live {5}blue 1\.4\.0 \(since 2m ago\)$/m);
    expect(text).toMatch(/green {2}http:\/\/127\.0\.0\.1:2 {2}1\.3\.9 {2}\(idle\)/);
  });

  it('bare `prodx` without a terminal (CI) prints the status summary', async () => {
    const config = writeConfig(TARGETS);
    await withState(config);
    const r = await prodx(['--config', config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^weather · production/);
    expect(r.stdout).toMatch(/lock {5}free/);
  });

  it('a corrupt state file is explained, exit 2, and left exactly as it was', async () => {
    const config = writeConfig(TARGETS);
    const stateDir = await withState(config);
    const file = join(stateDir, 'state.json');
    const corrupt = readFileSync(file, 'utf8').slice(0, 80);
    writeFileSync(file, corrupt);
    const r = await prodx(['status', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/state\.json is not valid JSON .*prodx will not overwrite it: fix it by hand, or move it aside/);
    expect(expectNoStack(r.stderr)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(corrupt);
  });

  it('a hand-edited state of the wrong shape names the path', async () => {
    const config = writeConfig(TARGETS);
    const stateDir = join(dirname(config), '.prodx');
    mkdirSync(stateDir);
    writeFileSync(
      join(stateDir, 'state.json'),
      JSON.stringify({ schemaVersion: 1, environments: { production: { live: { colour: 'blue' }, colours: {}, history: [] } } }),
    );
    const r = await prodx(['status', '--json', '--config', config]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: 'state-invalid',
      message: expect.stringMatching(/environments\.production\.live\.version/),
    });
  });

  it('shows who holds the lock, and a lock whose owner is gone as stale', async () => {
    const config = writeConfig(TARGETS);
    const stateDir = await withState(config);
    mkdirSync(join(stateDir, 'locks'), { recursive: true });
    writeFileSync(
      join(stateDir, 'locks', 'production.lock'),
      JSON.stringify({
        pid: process.pid,
        role: 'deploy',
        host: hostname(),
        operation: 'deploy',
        environment: 'production',
        acquiredAt: Date.now(),
      }),
    );
    expect(JSON.parse((await prodx(['status', '--json', '--config', config])).stdout).lock).toMatchObject({
      pid: process.pid,
      operation: 'deploy',
      role: 'deploy',
      stale: false,
    });
    writeFileSync(
      join(stateDir, 'locks', 'production.lock'),
      JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), operation: 'deploy', environment: 'production', acquiredAt: Date.now() }),
    );
    expect((await prodx(['status', '--config', config])).stdout).toMatch(/lock {5}stale \(its owner is gone/);
  });

  it('picks the environment from --env, PRODX_ENV, then NODE_ENV when the config has it', async () => {
    const config = writeConfig(TARGETS);
    const text = JSON.parse(readFileSync(config, 'utf8'));
    text.environments.staging = text.environments.production;
    writeFileSync(config, JSON.stringify(text));
    const env = async (args: string[], vars: Record<string, string | undefined>) =>
      JSON.parse((await prodx(['status', '--json', '--config', config, ...args], { env: vars })).stdout).environment;
    expect(await env([], { NODE_ENV: undefined, PRODX_ENV: undefined })).toBe('production');
    expect(await env([], { NODE_ENV: 'staging', PRODX_ENV: undefined })).toBe('staging');
    expect(await env([], { NODE_ENV: 'development', PRODX_ENV: undefined })).toBe('production');
    expect(await env([], { NODE_ENV: 'staging', PRODX_ENV: 'production' })).toBe('production');
    expect(await env(['--env', 'staging'], { PRODX_ENV: 'production' })).toBe('staging');
  });
});
