// Router failures at the moment of the switch: each is a clear error, exit 1, the live colour
// untouched and no half-finished deploy left in the state.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStack, prodx } from '../support/cli.js';
import { startDeployEnv, type DeployEnv } from '../support/deployEnv.js';

let env: DeployEnv;
const status = async () => JSON.parse((await prodx(['status', '--json', '--config', env.configPath])).stdout);

beforeAll(async () => {
  env = await startDeployEnv();
});
afterAll(async () => {
  await env?.close();
});

describe('router failures during a deploy', () => {
  it('an nginx upstream file that cannot be used: refused before anything is released', async () => {
    const notADir = join(env.dir, 'plain-file');
    writeFileSync(notADir, 'x');
    env.configure({
      router: { type: 'nginx', upstreamFile: join(notADir, 'weather.conf'), upstream: 'weather', test: ['true'], reload: ['true'] },
    });
    const r = await prodx(['deploy', '1.1.0', '--json', '--config', env.configPath]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/plain-file\/weather\.conf \(ENOTDIR\): check its permissions and router\.upstreamFile/) },
    });
    expect(await status()).toMatchObject({ live: { colour: 'blue', version: '1.0.0' }, active: null, lock: null, history: 0 });
  });

  it('an nginx test command that rejects the new upstream: the old file stays', async () => {
    const dir = join(env.dir, 'nginx');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'weather.conf');
    const before = `upstream weather {\n    server ${new URL(env.blue.url).host} weight=100;\n    server ${new URL(env.green.url).host} down;\n}\n`;
    writeFileSync(file, before);
    env.configure({
      router: {
        type: 'nginx',
        upstreamFile: file,
        upstream: 'weather',
        test: [process.execPath, '-e', 'console.error("nginx: [emerg] host not found in upstream"); process.exit(1)'],
        reload: ['true'],
      },
    });
    const r = await prodx(['deploy', '1.2.0', '--config', env.configPath]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^failed 1\.2\.0 to green: switching traffic failed: .*host not found in upstream/);
    expect(expectNoStack(r.stderr)).toBe(true);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await status()).live).toMatchObject({ colour: 'blue', version: '1.0.0' });
  });

  it('a HAProxy socket that is not there: refused before anything is released', async () => {
    env.configure({
      router: { type: 'haproxy', socket: join(env.dir, 'no-such.sock'), backend: 'weather', servers: { blue: 'blue', green: 'green' } },
    });
    const r = await prodx(['deploy', '1.3.0', '--json', '--config', env.configPath]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'router-unreachable', message: expect.stringMatching(/no-such\.sock/) });
    const s = await status();
    expect(s).toMatchObject({ live: { colour: 'blue', version: '1.0.0' }, active: null });
    expect(s.lastDeploy?.version).not.toBe('1.3.0');
  });
});
