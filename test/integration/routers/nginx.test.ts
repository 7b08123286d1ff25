// The nginx router against a REAL nginx (own prefix, free loopback port) in front of two real
// sample apps, under a steady keep-alive load: switch, roll back and a failed switch, each
// compared with what a bare `nginx -s reload` costs, with the reloads counted. Every test starts
// its own nginx (fresh prefix, log and reload counter) serving the weights it needs, under its own
// load, so any one of them runs alone or in any order.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNginxRouter, type NginxRouterConfig } from '../../../src/adapters/routers/nginx.js';
import { renderUpstreamFile } from '../../../src/adapters/routers/nginxConfig.js';
import { ProdxError } from '../../../src/core/errors.js';
import { startSampleTarget, type SampleTarget } from '../../../src/demo/sampleTarget.js';
import { tempDir } from '../../support/cli.js';
import { childrenOf, startLoad, waitUntil, type LoadClient } from '../../support/load.js';
import { NGINX, nginxReloadsLogged, reloadCounter, startNginx, type Nginx } from '../../support/servers.js';

const RPS_PER_CLIENT = 150;
const AFTER_STEP_REQUESTS = 150;
const BLUE_LIVE = { blue: 100, green: 0 };
const GREEN_LIVE = { blue: 0, green: 100 };

describe('nginx router against a real nginx under keep-alive load', () => {
  let blue: SampleTarget;
  let green: SampleTarget;
  /** what the running test started, stopped in reverse order after it */
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    [blue, green] = await Promise.all([
      startSampleTarget({ version: '1.0.0', name: 'blue' }),
      startSampleTarget({ version: '2.0.0', name: 'green' }),
    ]);
  });

  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  afterAll(async () => {
    await Promise.all([blue?.stop(), green?.stop()]);
  });

  /**
   * A fresh nginx in its own prefix (its log and prodx's reload counter start at zero) serving
   * `weights` from the upstream file, the router prodx drives it with, and two keep-alive clients
   * whose load is steady and, so far, answered only by `version`.
   */
  async function liveNginx(weights: Record<string, number>, version: string) {
    const dir = tempDir('prodx-nginx-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const prefix = join(dir, 'nginx');
    const conf = join(prefix, 'nginx.conf');
    const upstreamFile = join(prefix, 'weather-upstream.conf');
    mkdirSync(join(prefix, 'tmp'), { recursive: true });
    chmodSync(dir, 0o755); // nginx workers run as nobody when the test runs as root
    chmodSync(prefix, 0o755);
    const targets = { blue: blue.url, green: green.url };
    writeFileSync(upstreamFile, renderUpstreamFile({ upstream: 'weather', weights, targets }));
    // The reload argv goes through a counter, so the test knows prodx reloads once per switch.
    const counter = reloadCounter(dir, join(dir, 'reloads.log'));
    const nginx: Nginx = await startNginx(prefix, conf, upstreamFile);
    cleanups.push(() => nginx.stop());
    const cfg: NginxRouterConfig = {
      upstreamFile,
      upstream: 'weather',
      test: [NGINX, '-p', prefix, '-c', conf, '-t', '-q'],
      reload: [...counter.argv, NGINX, '-p', prefix, '-c', conf, '-s', 'reload'],
    };
    const url = `http://127.0.0.1:${nginx.port}/`;
    const bounds = { url, rps: RPS_PER_CLIENT, maxRequests: 20_000, maxDurationMs: 60_000 };
    const clients: { never: LoadClient; retry: LoadClient } = {
      never: startLoad({ ...bounds, retry: 'never' }),
      retry: startLoad({ ...bounds, retry: 'reused-reset-once' }),
    };
    const stopLoad = async () => {
      await Promise.all(Object.values(clients).map((c) => c.stop()));
    };
    cleanups.push(stopLoad);

    /** Every answered request of the phase, from both clients, came from this version. */
    const expectAllFrom = (version: string, phase: string) => {
      for (const c of Object.values(clients)) {
        const s = c.summary(phase);
        // a phase as short as a failed `nginx -t` may see no answer at all under load: then none is from another version
        const answered = s.requests - s.failures;
        expect(s.versions).toEqual(answered > 0 ? { [version]: answered } : {});
      }
    };

    /** Runs one step under load; "after" starts once nginx's old workers are gone (switch done). */
    async function step(name: string, action: () => Promise<unknown>, reloads: boolean): Promise<{ error: unknown; after: string }> {
      const master = nginx.child.pid!;
      const before = childrenOf(master);
      for (const c of Object.values(clients)) c.phase(name);
      const error = await action().then(
        () => undefined,
        (err: unknown) => err,
      );
      if (reloads) {
        await waitUntil(
          () => childrenOf(master).length > 0 && childrenOf(master).every((p) => !before.includes(p)),
          'the old nginx workers to exit',
        );
        // Let the event loop read the closes the old workers sent before the next phase begins;
        // otherwise a request sent in this same loop turn counts as "after" the switch.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const after = `${name}:after`;
      for (const c of Object.values(clients)) c.phase(after);
      await waitUntil(
        () => Object.values(clients).every((c) => c.settled(after) >= AFTER_STEP_REQUESTS),
        `${AFTER_STEP_REQUESTS} requests after ${name}`,
      );
      return { error, after };
    }

    await waitUntil(() => Object.values(clients).every((c) => c.settled('start') >= 100), 'the load to be steady');
    expectAllFrom(version, 'start');
    return {
      prefix,
      conf,
      upstreamFile,
      cfg,
      targets,
      router: createNginxRouter(cfg, targets),
      clients,
      stopLoad,
      step,
      expectAllFrom,
      reloadsByProdx: () => counter.count(),
      reloadsSeenByNginx: () => nginxReloadsLogged(prefix),
    };
  }
  type Live = Awaited<ReturnType<typeof liveNginx>>;

  // The steps, each from the state the one before leaves: blue live for the baseline, the switch
  // and the failed switch, green live for the rollback. Counts are of this step alone.

  async function bareReload(n: Live) {
    const seen = n.reloadsSeenByNginx();
    const { after } = await n.step('baseline', () => promisify(execFile)(NGINX, ['-p', n.prefix, '-c', n.conf, '-s', 'reload']), true);
    n.expectAllFrom('1.0.0', after);
    await waitUntil(() => n.reloadsSeenByNginx() === seen + 1, 'nginx to log the reload');
  }

  async function switchToGreen(n: Live) {
    const [byProdx, seen] = [n.reloadsByProdx(), n.reloadsSeenByNginx()];
    const { error, after } = await n.step('switch', () => n.router.apply({ blue: 0, green: 100 }), true);
    expect(error).toBeUndefined();
    expect(n.reloadsByProdx()).toBe(byProdx + 1);
    await waitUntil(() => n.reloadsSeenByNginx() === seen + 1, 'nginx to log the reload');
    n.expectAllFrom('2.0.0', after);
    expect(await n.router.read()).toEqual({ blue: 0, green: 100 });
    expect(readFileSync(n.upstreamFile, 'utf8')).toMatch(/server 127\.0\.0\.1:\d+ down;\n {4}server 127\.0\.0\.1:\d+ weight=100;/);
  }

  async function rollBackToBlue(n: Live) {
    const [byProdx, seen] = [n.reloadsByProdx(), n.reloadsSeenByNginx()];
    const { error, after } = await n.step('rollback', () => n.router.apply({ blue: 100, green: 0 }), true);
    expect(error).toBeUndefined();
    expect(n.reloadsByProdx()).toBe(byProdx + 1);
    await waitUntil(() => n.reloadsSeenByNginx() === seen + 1, 'nginx to log the reload');
    n.expectAllFrom('1.0.0', after);
    expect(await n.router.read()).toEqual({ blue: 100, green: 0 });
  }

  async function failedSwitch(n: Live) {
    // A real `nginx -t` failure: a mistyped target URL gives green a port nginx rejects.
    const failing = createNginxRouter(n.cfg, { blue: n.targets.blue, green: 'http://127.0.0.1:0' });
    const before = readFileSync(n.upstreamFile);
    const [byProdx, seen] = [n.reloadsByProdx(), n.reloadsSeenByNginx()];
    const { error, after } = await n.step('failed', () => failing.apply({ blue: 0, green: 100 }), false);
    expect(error).toBeInstanceOf(ProdxError);
    expect(error).toMatchObject({ code: 'router-test-failed', exitCode: 1 });
    expect((error as Error).message).toContain(`nginx: [emerg] invalid port in upstream "127.0.0.1:0" in ${n.upstreamFile}:5`);
    expect((error as Error).message).toContain('the previous file is restored');
    expect((error as Error).message).not.toContain('\n');
    expect(readFileSync(n.upstreamFile).equals(before)).toBe(true);
    expect(n.reloadsByProdx()).toBe(byProdx);
    expect(n.reloadsSeenByNginx()).toBe(seen);
    n.expectAllFrom('1.0.0', 'failed');
    n.expectAllFrom('1.0.0', after);
  }

  it('(a) measures a bare nginx -s reload under load as the baseline', async () => {
    await bareReload(await liveNginx(BLUE_LIVE, '1.0.0'));
  });

  it('(b) switches blue → green with one reload; afterwards every response is green', async () => {
    await switchToGreen(await liveNginx(BLUE_LIVE, '1.0.0'));
  });

  it('(c) rolls back green → blue with one reload; afterwards every response is blue', async () => {
    await rollBackToBlue(await liveNginx(GREEN_LIVE, '2.0.0'));
  });

  it('(d) a switch whose test fails restores the file byte for byte and keeps all traffic on blue', async () => {
    await failedSwitch(await liveNginx(BLUE_LIVE, '1.0.0'));
  });

  it('loses no more requests than a bare reload (retry-once client) and prints the counts', async () => {
    // (a) to (d) in a row under one load, so every step is compared with a reload of the same run
    const n = await liveNginx(BLUE_LIVE, '1.0.0');
    await bareReload(n);
    await switchToGreen(n);
    await rollBackToBlue(n);
    await failedSwitch(n);
    await n.stopLoad();
    const { clients } = n;
    const count = (step: string) => ({
      never: clients.never.summary(step, `${step}:after`),
      retry: clients.retry.summary(step, `${step}:after`),
    });
    const baseline = count('baseline');
    const rows = ['baseline', 'switch', 'rollback', 'failed'].map((step) => ({ step, ...count(step) }));
    console.log(`nginx router under ${RPS_PER_CLIENT} rps x 2 keep-alive clients (failed/requests)`);
    console.table(
      rows.map((r) => ({
        step: r.step,
        requests: r.never.requests + r.retry.requests,
        'failures, no retry': `${r.never.failures}/${r.never.requests}`,
        'failures, retry-once': `${r.retry.failures}/${r.retry.requests} (retried ${r.retry.retries})`,
        'baseline (no retry / retry-once)': `${baseline.never.failures} / ${baseline.retry.failures}`,
        errors: [...new Set([...r.never.errors, ...r.retry.errors])].join('; '),
      })),
    );
    for (const r of rows.slice(1)) expect(r.retry.failures).toBeLessThanOrEqual(baseline.retry.failures);
    // A failed switch never reloads, so even the client that never retries loses nothing.
    expect(rows[3]!.never.failures).toBe(0);
  });
});

describe('nginx router: the file, before and after nginx is involved', () => {
  const targets = { blue: 'http://127.0.0.1:8081', green: 'http://127.0.0.1:8082' };
  const ok = [process.execPath, '-e', ''];
  const make = (upstreamFile: string, reload = ok) => createNginxRouter({ upstreamFile, upstream: 'weather', test: ok, reload }, targets);

  it('reads no weights from a missing file, describes a switch, and refuses to write into a missing folder', async () => {
    const file = join(tempDir('prodx-nginx-'), 'missing', 'up.conf');
    const router = make(file);
    expect(await router.read()).toBeNull();
    const plan = router.describe({ blue: 95, green: 5 });
    expect(plan[0]).toBe(`write ${file} (the whole file, atomically: temp file + rename):`);
    expect(plan.slice(3, 7)).toEqual([
      '  upstream weather {',
      '      server 127.0.0.1:8081 weight=95;',
      '      server 127.0.0.1:8082 weight=5;',
      '      keepalive 16;',
    ]);
    expect(plan.slice(-3)).toEqual([
      `test: ${process.execPath} -e '' (on failure restore the previous file and stop)`,
      `reload: ${process.execPath} -e '' (once)`,
      `verify: re-read ${file} and check blue=95 green=5`,
    ]);
    await expect(router.apply({ blue: 100, green: 0 })).rejects.toMatchObject({
      code: 'router-file-unwritable',
      message: expect.stringMatching(/does not exist.*nothing was changed/),
    });
  });

  it('leaves a file holding more than the upstream untouched', async () => {
    const file = join(tempDir('prodx-nginx-'), 'up.conf');
    const text = 'upstream weather { server 127.0.0.1:8081; }\nupstream other { server 10.0.0.1:80; }\n';
    writeFileSync(file, text);
    await expect(make(file).apply({ blue: 0, green: 100 })).rejects.toMatchObject({ code: 'router-file-shared' });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(await make(file).read()).toEqual({ blue: 100 }); // the other upstream is not ours
  });

  it('restores the previous file when the reload fails', async () => {
    const file = join(tempDir('prodx-nginx-'), 'up.conf');
    const before = 'upstream weather {\n  server 127.0.0.1:8081 weight=1 max_fails=2;  # blue\n  keepalive 8;\n}\n';
    writeFileSync(file, before);
    const failingReload = [
      process.execPath,
      '-e',
      'console.error(\'nginx: [error] invalid PID number "" in "/run/nginx.pid"\'); process.exit(1)',
    ];
    await expect(make(file, failingReload).apply({ blue: 0, green: 100 })).rejects.toMatchObject({
      code: 'router-reload-failed',
      message: expect.stringContaining('invalid PID number'),
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
    // with a working reload the user's keepalive and server parameters survive the rewrite
    await make(file).apply({ blue: 0, green: 100 });
    expect(readFileSync(file, 'utf8')).toContain(
      'server 127.0.0.1:8081 down max_fails=2;\n    server 127.0.0.1:8082 weight=100;\n    keepalive 8;',
    );
  });
});
