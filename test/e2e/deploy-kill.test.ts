// SIGKILL prodx in every phase of a blue-green deploy: the state it leaves must explain itself
// (`prodx status`) and `prodx rollback` must put traffic back on blue with zero failed requests.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, prodx } from '../support/cli.js';
import { startDeployEnv, type DeployEnv } from '../support/deployEnv.js';
import { startLoad, waitUntil, type LoadClient } from '../support/load.js';

let env: DeployEnv;
let load: LoadClient;
const status = async () => JSON.parse((await prodx(['status', '--json', '--config', env.configPath])).stdout);
const RELEASE = join(import.meta.dirname, '../../fixtures/weather-app/release.mjs');
const SLOW_ROUTER = join(import.meta.dirname, '../support/slowRouter.mjs');
// a hook that never ends on its own, but ends when the prodx that started it is gone
// (it watches for being re-parented: a killed prodx may linger as a zombie, or its pid be reused,
// so probing the old pid with kill(pid, 0) can keep the hook alive for ever)
const hangingHook = `const p = process.ppid; console.log('building'); setInterval(() => { if (process.ppid !== p) process.exit(0) }, 100)`;
// a release whose restart takes 60 s, so verification waits
const slowRestart = `fetch(new URL('/admin/release', process.env.PRODX_TARGET_URL), { method: 'POST', body: JSON.stringify({ version: process.env.PRODX_VERSION, restartMs: 60000 }) }).then(r => process.exit(r.ok ? 0 : 1))`;

const phases: { phase: string; configure(): void }[] = [
  { phase: 'releasing', configure: () => env.configure({ release: { command: [process.execPath, '-e', hangingHook], timeout: '5m' } }) },
  {
    phase: 'verifying',
    configure: () =>
      env.configure({ release: { command: [process.execPath, '-e', slowRestart], timeout: '10s' }, prePromotion: { timeout: '5m' } }),
  },
  {
    phase: 'switching',
    configure: () =>
      env.configure({
        release: { command: [process.execPath, RELEASE], timeout: '10s' },
        router: { type: 'command', command: [process.execPath, SLOW_ROUTER, new URL(env.router.adminUrl).host] },
      }),
  },
  {
    phase: 'monitoring',
    configure: () =>
      env.configure({
        release: { command: [process.execPath, RELEASE], timeout: '10s' },
        postPromotion: { window: '5m', interval: '200ms', minRequests: 5 },
      }),
  },
];

beforeAll(async () => {
  env = await startDeployEnv();
  load = startLoad({ url: env.router.url, rps: 200, retry: 'never', maxRequests: 40_000, maxDurationMs: 180_000 });
});
afterAll(async () => {
  await load?.stop();
  await env?.close();
});

describe('SIGKILL during a deploy, then rollback', () => {
  it.each(phases.map((p, i) => [p.phase, i] as const))(
    'killed while %s: status explains it, rollback restores blue with zero failed requests',
    async (phase, i) => {
      env.configure({
        release: undefined,
        prePromotion: undefined,
        postPromotion: undefined,
        router: { type: 'builtin', listen: '127.0.0.1:0', admin: new URL(env.router.adminUrl).host },
      });
      phases[i]!.configure();
      const version = `2.${i}.0`;
      load.phase(phase);
      const child = spawn(process.execPath, [BIN, 'deploy', version, '--config', env.configPath], {
        env: { ...process.env, CI: 'true' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise((r) => child.on('exit', r));
      await waitUntil(async () => (await status()).active?.phase === phase, `the deploy to reach ${phase}`, 20_000).catch((err) => {
        throw new Error(`${err.message}; prodx said: ${stderr}`);
      });
      if (phase === 'monitoring')
        await waitUntil(
          async () => ((await (await fetch(env.router.url)).json()) as { version: string }).version === version,
          'traffic on green',
        );
      child.kill('SIGKILL');
      await exited;

      const s = await status();
      expect(s.active).toMatchObject({ phase, version, toColour: 'green', fromColour: 'blue', running: false });
      expect(s.active.advice).toMatch(
        new RegExp(
          `^stopped in phase ${phase} \\(prodx was interrupted; .*\\): run \`prodx deploy --resume\` to finish it, or \`prodx rollback\` to put traffic back on blue$`,
        ),
      );
      expect(s.lock).toMatchObject({ stale: true, operation: `deploy ${version}` });

      const rb = await prodx(['rollback', '--config', env.configPath]);
      expect(rb.stderr).toMatch(/warning: took over a stale lock from pid \d+ on .* \(deploy 2\.\d\.0\), whose process is gone/);
      expect(rb.code).toBe(0);
      const after = await status();
      expect(after).toMatchObject({ live: { colour: 'blue', version: '1.0.0' }, active: null, lock: null });
      expect((await fetch(`${env.router.adminUrl}/weights`).then((r) => r.json())) as unknown).toEqual({ blue: 100, green: 0 });
      for (let n = 0; n < 10; n++) expect(((await (await fetch(env.router.url)).json()) as { version: string }).version).toBe('1.0.0');
      load.phase(`${phase}-after`);
      await waitUntil(() => load.settled(phase) > 0, 'load in this phase');
      const summary = load.summary(phase);
      console.log(
        `killed in ${phase}: ${summary.requests} requests, ${summary.failures} failed, versions ${JSON.stringify(summary.versions)}`,
      );
      expect(summary.failures).toBe(0);
    },
  );
});
