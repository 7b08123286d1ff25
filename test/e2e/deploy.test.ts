// Blue-green deploys through the real binary, the real builtin router and real sample targets,
// under a steady keep-alive load from a client that never retries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prodx } from '../support/cli.js';
import { startDeployEnv, type DeployEnv } from '../support/deployEnv.js';
import { startLoad, waitUntil, type LoadClient } from '../support/load.js';

let env: DeployEnv;
let load: LoadClient;
const status = async () => JSON.parse((await prodx(['status', '--json', '--config', env.configPath])).stdout);
const routerWeights = async () => (await fetch(`${env.router.adminUrl}/weights`)).json();
const routerStats = async () =>
  (await fetch(`${env.router.adminUrl}/stats`)).json() as Promise<{ upstreams: Record<string, { requests: number }> }>;
/** the versions the router serves right now, over a few fresh requests */
async function servedVersions(n = 20): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < n; i++) out.add(((await (await fetch(env.router.url)).json()) as { version: string }).version);
  return out;
}

beforeAll(async () => {
  env = await startDeployEnv();
  load = startLoad({ url: env.router.url, rps: 300, retry: 'never', maxRequests: 60_000, maxDurationMs: 180_000 });
});
afterAll(async () => {
  await load?.stop();
  await env?.close();
});

describe('prodx deploy (blue-green) with the builtin router', () => {
  it('--dry-run prints the plan and changes nothing', async () => {
    const before = readFileSync(join(env.stateDir, 'state.json'), 'utf8');
    const r = await prodx(['deploy', '1.1.0', '--dry-run', '--json', '--config', env.configPath]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      ok: true,
      result: 'planned',
      deployment: { fromColour: 'blue', toColour: 'green', weightsBefore: { blue: 100, green: 0 }, weightsAfter: { blue: 0, green: 100 } },
    });
    expect(out.plan[0]).toMatch(/^release 1\.1\.0 onto green: run .*release\.mjs/);
    expect(readFileSync(join(env.stateDir, 'state.json'), 'utf8')).toBe(before);
    expect(await routerWeights()).toEqual({ blue: 100, green: 0 });
  });

  it('deploys 1.1.0 to green and rolls back to blue with zero failed requests', async () => {
    load.phase('deploy');
    const r = await prodx(['deploy', '1.1.0', '--json', '--config', env.configPath]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      ok: true,
      result: 'succeeded',
      deployment: { version: '1.1.0', toColour: 'green' },
      live: { colour: 'green', version: '1.1.0' },
    });
    expect(out.checks.length).toBeGreaterThan(0);
    expect(await servedVersions()).toEqual(new Set(['1.1.0']));
    const s = await status();
    expect(s).toMatchObject({ live: { colour: 'green', version: '1.1.0' }, active: null, previous: { colour: 'blue', version: '1.0.0' } });
    expect(s.lastDeploy).toMatchObject({ kind: 'deploy', version: '1.1.0', result: 'succeeded', strategy: 'blue-green' });

    load.phase('rollback');
    const rb = await prodx(['rollback', '--json', '--config', env.configPath]);
    expect(rb.code).toBe(0);
    expect(JSON.parse(rb.stdout)).toMatchObject({
      ok: true,
      undid: 'previous-colour',
      from: { colour: 'green', version: '1.1.0' },
      to: { colour: 'blue', version: '1.0.0' },
    });
    expect(await servedVersions()).toEqual(new Set(['1.0.0']));
    const after = await status();
    expect(after.live).toMatchObject({ colour: 'blue', version: '1.0.0' });
    expect(after.lastDeploy).toMatchObject({ kind: 'rollback', result: 'succeeded', recoveryMs: expect.any(Number) });
    load.phase('idle');
    await waitUntil(() => load.settled('rollback') > 0, 'rollback-phase requests');
    const d = load.summary('deploy');
    const b = load.summary('rollback');
    console.log(
      `builtin router: deploy ${d.requests} requests, ${d.failures} failed; rollback ${b.requests} requests, ${b.failures} failed`,
    );
    expect(d.requests).toBeGreaterThan(100);
    expect(d.failures).toBe(0);
    expect(b.failures).toBe(0);
  });

  it('a version that fails its health gate never gets traffic, exits 1 and names the measurement', async () => {
    const greenBefore = (await routerStats()).upstreams['green']!.requests;
    const r = await prodx(['deploy', '1.2.0-broken', '--json', '--config', env.configPath]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, result: 'failed', live: { colour: 'blue', version: '1.0.0' } });
    expect(out.reason).toMatch(
      /^green did not pass its health gate running 1\.2\.0-broken within 3s: HTTP 503 \(\d+ consecutive failures\)$/,
    );
    expect((await routerStats()).upstreams['green']!.requests).toBe(greenBefore);
    expect(await routerWeights()).toEqual({ blue: 100, green: 0 });
    expect((await status()).lastDeploy).toMatchObject({ version: '1.2.0-broken', result: 'failed', reason: out.reason });
  });

  it('a version that errors after the switch is switched back automatically, exit 1 with the error rate', async () => {
    load.phase('bad');
    // a window long enough for two failed checks even on a loaded machine
    env.configure({ postPromotion: { window: '20s', interval: '250ms', maxErrorRate: 0.02, minRequests: 5, failureLimit: 1 } });
    const r = await prodx(['deploy', '1.3.0-bad', '--json', '--config', env.configPath]);
    env.configure({ postPromotion: undefined });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, result: 'rolled-back', live: { colour: 'blue', version: '1.0.0' } });
    // 20% of the app's requests fail (prodx leaves its own probes out of the rate); a check sees
    // a slice of the stream, so the measured rate is near 20% but not exactly
    const m = /^error rate (\d+\.\d)% > 2\.0% for 2 checks \(failureLimit 1\)$/.exec(out.reason);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(15);
    expect(Number(m![1])).toBeLessThan(25); // one check is a slice of the stream: 21 errors in 101 requests is 20.8%
    expect(await routerWeights()).toEqual({ blue: 100, green: 0 });
    expect(await servedVersions()).toEqual(new Set(['1.0.0']));
    load.phase('idle');
  });

  it('a second deploy while one runs exits 3 and names the holder', async () => {
    env.configure({ release: { command: [process.execPath, '-e', 'setTimeout(() => {}, 3000)'], timeout: '10s' } });
    try {
      const first = prodx(['deploy', '1.4.0', '--json', '--config', env.configPath]);
      await waitUntil(async () => (await status()).active?.phase === 'releasing', 'the first deploy to start');
      const second = await prodx(['deploy', '1.5.0', '--json', '--config', env.configPath]);
      expect(second.code).toBe(3);
      expect(JSON.parse(second.stdout).error).toMatchObject({
        code: 'lock-held',
        message: expect.stringMatching(/another prodx operation holds the lock of production: deploy 1\.4\.0 by pid \d+/),
      });
      expect((await first).code).toBe(1); // the sleeping hook installs nothing, so 1.4.0 never shows up
    } finally {
      env.configure({ release: undefined });
      env.configure({
        release: { command: [process.execPath, join(import.meta.dirname, '../../fixtures/weather-app/release.mjs')], timeout: '10s' },
      });
    }
  });

  it('bad input changes nothing: a version with shell characters, an unknown environment', async () => {
    const before = readFileSync(join(env.stateDir, 'state.json'), 'utf8');
    const bad = await prodx(['deploy', '1.0;touch /tmp/pwned', '--config', env.configPath]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^prodx: version "1\.0;touch \/tmp\/pwned" is not allowed: use letters, digits/);
    const unknown = await prodx(['deploy', '1.6.0', '--env', 'prod', '--config', env.configPath]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown environment "prod"/);
    expect(readFileSync(join(env.stateDir, 'state.json'), 'utf8')).toBe(before);
    expect(await routerWeights()).toEqual({ blue: 100, green: 0 });
  });

  it('a failing or hanging release hook is a clear error, exit 1, live colour untouched', async () => {
    env.configure({
      release: {
        command: [process.execPath, '-e', 'console.log("building"); console.error("disk full"); process.exit(3)'],
        timeout: '10s',
      },
    });
    const failing = await prodx(['deploy', '1.7.0', '--json', '--config', env.configPath]);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout).reason).toBe('release hook exited with code 3: disk full. The live colour was not touched.');
    env.configure({ release: { command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], timeout: '500ms' } });
    const hanging = await prodx(['deploy', '1.8.0', '--json', '--config', env.configPath]);
    expect(hanging.code).toBe(1);
    expect(JSON.parse(hanging.stdout).reason).toMatch(
      /^release hook .* did not finish within 500ms and was stopped: raise release.timeout/,
    );
    expect((await status()).live).toMatchObject({ colour: 'blue', version: '1.0.0' });
    expect(await routerWeights()).toEqual({ blue: 100, green: 0 });
    env.configure({
      release: { command: [process.execPath, join(import.meta.dirname, '../../fixtures/weather-app/release.mjs')], timeout: '10s' },
    });
  });
});
