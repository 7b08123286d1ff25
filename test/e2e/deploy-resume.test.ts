// Finishing what an interrupted prodx started (`deploy --resume`), streaming phases with
// --watch, and adopting a running system whose state file is gone (the router knows).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, prodx } from '../support/cli.js';
import { startDeployEnv, type DeployEnv } from '../support/deployEnv.js';
import { waitUntil } from '../support/load.js';

let env: DeployEnv;
const status = async () => JSON.parse((await prodx(['status', '--json', '--config', env.configPath])).stdout);
const served = async () => ((await (await fetch(env.router.url)).json()) as { version: string }).version;

beforeAll(async () => {
  env = await startDeployEnv();
});
afterAll(async () => {
  await env?.close();
});

describe('deploy --resume, --watch, and learning the live colour from the router', () => {
  it('--watch --json streams one event per line and ends with the result', async () => {
    const r = await prodx(['deploy', '1.1.0', '--watch', '--json', '--config', env.configPath]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const phases = lines.filter((l) => l.event === 'phase').map((l) => l.phase);
    expect(phases).toEqual(['releasing', 'verifying', 'switching', 'monitoring', 'complete']);
    expect(lines.some((l) => l.event === 'hook' && /installing 1\.1\.0 on green/.test(l.line))).toBe(true);
    expect(lines.filter((l) => l.event === 'check').length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatchObject({ ok: true, result: 'succeeded', live: { colour: 'green', version: '1.1.0' } });
  });

  it('a deploy killed while verifying is finished by `deploy --resume`', async () => {
    // the release restarts blue for 2 s, so verification is still waiting when prodx is killed
    const slowRestart = `fetch(new URL('/admin/release', process.env.PRODX_TARGET_URL), { method: 'POST', body: JSON.stringify({ version: process.env.PRODX_VERSION, restartMs: 2000 }) }).then(r => process.exit(r.ok ? 0 : 1))`;
    env.configure({ release: { command: [process.execPath, '-e', slowRestart], timeout: '10s' }, prePromotion: { timeout: '30s' } });
    const child = spawn(process.execPath, [BIN, 'deploy', '1.2.0', '--config', env.configPath], {
      env: { ...process.env, CI: 'true' },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    await waitUntil(async () => (await status()).active?.phase === 'verifying', 'verifying', 20_000);
    child.kill('SIGKILL');
    await exited;
    expect(await served()).toBe('1.1.0'); // traffic never left green

    const r = await prodx(['deploy', '--resume', '--json', '--config', env.configPath]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      result: 'succeeded',
      deployment: { version: '1.2.0', toColour: 'blue', fromColour: 'green' },
      live: { colour: 'blue', version: '1.2.0' },
    });
    expect(await served()).toBe('1.2.0');
    expect((await status()).active).toBeNull();
    const again = await prodx(['deploy', '--resume', '--config', env.configPath]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no interrupted deployment in production: nothing to resume/);
  });

  it('with no state at all, learns which colour is live from the router before planning', async () => {
    rmSync(join(env.stateDir, 'state.json'));
    const r = await prodx(['deploy', '1.3.0', '--dry-run', '--json', '--config', env.configPath]);
    expect(r.code).toBe(0);
    // blue has all traffic since the resumed deploy: the next release goes to green
    expect(JSON.parse(r.stdout).deployment).toMatchObject({
      fromColour: 'blue',
      toColour: 'green',
      weightsBefore: { blue: 100, green: 0 },
    });
  });
});
