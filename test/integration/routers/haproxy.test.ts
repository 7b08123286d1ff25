// The HAProxy router against a REAL haproxy (foreground child, free loopback ports, admin
// sockets over UNIX and TCP) in front of two real sample apps, under a keep-alive load that
// never retries: weight changes through the runtime API must not cost a single request.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHaproxyRouter, runtimeCommand } from '../../../src/adapters/routers/haproxy.js';
import { ProdxError } from '../../../src/core/errors.js';
import { startSampleTarget, type SampleTarget } from '../../../src/demo/sampleTarget.js';
import { tempDir } from '../../support/cli.js';
import { freePort, startLoad, waitUntil, type LoadClient } from '../../support/load.js';
import { startHaproxy, type Haproxy } from '../../support/servers.js';

const RPS = 300;
const AFTER_STEP_REQUESTS = 300;

describe('HAProxy router against a real haproxy under keep-alive load', () => {
  const dir = tempDir('prodx-haproxy-');
  const socket = join(dir, 'admin.sock');
  let blue: SampleTarget;
  let green: SampleTarget;
  let haproxy: Haproxy | undefined;
  let load: LoadClient;
  const servers = { blue: 'blue', green: 'green' };
  const router = createHaproxyRouter({ socket, backend: 'weather', servers });
  const steps: string[] = [];

  beforeAll(async () => {
    [blue, green] = await Promise.all([
      startSampleTarget({ version: '1.0.0', name: 'blue' }),
      startSampleTarget({ version: '2.0.0', name: 'green' }),
    ]);
    haproxy = await startHaproxy(dir, blue, green);
    load = startLoad({ url: `http://127.0.0.1:${haproxy.port}/`, rps: RPS, retry: 'never', maxRequests: 20_000, maxDurationMs: 60_000 });
    await waitUntil(() => load.settled('start') >= 100, 'the load to be steady');
  });

  afterAll(async () => {
    await load?.stop();
    await haproxy?.stop();
    await Promise.all([blue?.stop(), green?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs one step under load; "after" starts as soon as apply has verified the weights. */
  async function step(name: string, action: () => Promise<unknown>): Promise<{ error: unknown; after: string }> {
    steps.push(name);
    load.phase(name);
    const error = await action().then(
      () => undefined,
      (err: unknown) => err,
    );
    const after = `${name}:after`;
    load.phase(after);
    await waitUntil(() => load.settled(after) >= AFTER_STEP_REQUESTS, `${AFTER_STEP_REQUESTS} requests after ${name}`);
    return { error, after };
  }

  /** Every request of the phase was answered, by this version. */
  const expectAllFrom = (version: string, phase: string) => {
    const { versions, requests, failures } = load.summary(phase);
    expect({ failures, versions }).toEqual({ failures: 0, versions: requests > 0 ? { [version]: requests } : {} });
  };

  it('reads the live weights from the runtime API', async () => {
    expect(await router.read()).toEqual({ blue: 100, green: 0 });
  });

  it('moves 10% to green as a canary', async () => {
    const { error, after } = await step('canary', () => router.apply({ blue: 90, green: 10 }));
    expect(error).toBeUndefined();
    expect(await router.read()).toEqual({ blue: 90, green: 10 });
    const { versions, requests } = load.summary(after);
    expect(versions['2.0.0']! / requests).toBeGreaterThan(0.05);
    expect(versions['2.0.0']! / requests).toBeLessThan(0.15);
  });

  it('switches to green; afterwards every response is green', async () => {
    const { error, after } = await step('switch', () => router.apply({ blue: 0, green: 100 }));
    expect(error).toBeUndefined();
    expect(await router.read()).toEqual({ blue: 0, green: 100 });
    expectAllFrom('2.0.0', after);
    // weight 0 keeps the old server ready (drains), it is not put in maintenance
    expect(await runtimeCommand(socket, 'get weight weather/blue')).toBe('0 (initial 100)');
  });

  it('rolls back to blue over the TCP admin socket; afterwards every response is blue', async () => {
    const tcp = createHaproxyRouter({ socket: `127.0.0.1:${haproxy!.adminPort}`, backend: 'weather', servers });
    expect(await tcp.read()).toEqual({ blue: 0, green: 100 });
    const { error, after } = await step('rollback', () => tcp.apply({ blue: 100, green: 0 }));
    expect(error).toBeUndefined();
    expect(await router.read()).toEqual({ blue: 100, green: 0 });
    expectAllFrom('1.0.0', after);
  });

  it('fails an apply to an unknown server with a ProdxError naming it, and leaves blue live', async () => {
    const wrong = createHaproxyRouter({ socket, backend: 'weather', servers: { blue: 'blue', green: 'grene' } });
    const { error, after } = await step('failed', () => wrong.apply({ blue: 0, green: 100 }));
    expect(error).toBeInstanceOf(ProdxError);
    expect(error).toMatchObject({ code: 'router-unknown-server' });
    expect((error as Error).message).toMatch(/no server "grene" \(router\.servers\.green\); it has blue, green/);
    expect(await router.read()).toEqual({ blue: 100, green: 0 });
    expectAllFrom('1.0.0', 'failed');
    expectAllFrom('1.0.0', after);

    const noBackend = createHaproxyRouter({ socket, backend: 'wether', servers });
    await expect(noBackend.apply({ blue: 0, green: 100 })).rejects.toMatchObject({
      code: 'router-unknown-backend',
      message: expect.stringContaining('"wether"'),
    });
    expect(await router.read()).toEqual({ blue: 100, green: 0 });
  });

  it('loses no request across every step (client that never retries) and prints the counts', async () => {
    await load.stop();
    const rows = steps.map((s) => {
      const [a, b] = [load.summary(s), load.summary(`${s}:after`)];
      return { step: s, requests: a.requests + b.requests, failures: a.failures + b.failures, errors: [...a.errors, ...b.errors] };
    });
    console.log(
      `haproxy router under ${RPS} rps, one keep-alive client that never retries\n` +
        rows
          .map(
            (r) =>
              `  ${r.step.padEnd(9)} requests ${String(r.requests).padStart(5)}  failures ${r.failures}${r.errors.length ? `  (${r.errors.join('; ')})` : ''}`,
          )
          .join('\n'),
    );
    expect(rows.map((r) => [r.step, r.failures])).toEqual(steps.map((s) => [s, 0]));
    expect(load.summary('start').failures).toBe(0);
  });
});

describe('HAProxy router without a reachable socket', () => {
  it('says router-unreachable, naming the socket and what to do', async () => {
    const missing = join(tempDir('prodx-haproxy-'), 'absent.sock');
    const unix = createHaproxyRouter({ socket: missing, backend: 'weather', servers: { blue: 'blue' } });
    const error = await unix.read().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ProdxError);
    expect(error).toMatchObject({ code: 'router-unreachable', exitCode: 1 });
    expect((error as Error).message).toContain(`cannot reach the HAProxy runtime API at ${missing}: the socket does not exist`);
    expect((error as Error).message).toContain(`"stats socket ${missing} level admin"`);

    // describing a switch needs no socket
    expect(unix.describe({ blue: 100 })).toEqual([
      `connect to the HAProxy runtime API at ${missing}; check backend weather has blue`,
      'set server weather/blue weight 100',
      'set server weather/blue state ready',
      'verify: show servers state weather reports blue=100',
    ]);

    const closed = await freePort();
    const tcp = createHaproxyRouter({ socket: `127.0.0.1:${closed}`, backend: 'weather', servers: { blue: 'blue' } });
    await expect(tcp.apply({ blue: 100 })).rejects.toMatchObject({
      code: 'router-unreachable',
      message: expect.stringContaining('connection refused'),
    });
  });
});
