import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleTarget, type SampleTarget } from '../../src/demo/sampleTarget.js';
import { expectNoStack, prodx, writeConfig } from '../support/cli.js';

let blue: SampleTarget;
let green: SampleTarget;
const sockets = new Set<Socket>();
let garbage: NetServer;
let hanging: NetServer;

function listen(server: NetServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

beforeAll(async () => {
  [blue, green] = await Promise.all([
    startSampleTarget({ name: 'blue', version: '1.0.0' }),
    startSampleTarget({ name: 'green', version: '1.1.0' }),
  ]);
  // a port that answers garbage, and one that accepts and then never answers
  garbage = createNetServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n\x00\x01garbage'));
  hanging = createNetServer((s) => sockets.add(s));
  await Promise.all([listen(garbage), listen(hanging)]);
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  garbage.close();
  hanging.close();
  await Promise.all([blue?.stop(), green?.stop()]);
});

describe('prodx health', () => {
  it('--json reports every target healthy with status code, latency and version', async () => {
    const config = writeConfig({ blue: blue.url, green: green.url });
    const r = await prodx(['health', '--json', '--config', config]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, environment: 'production', overall: 'healthy' });
    expect(out.targets).toHaveLength(2);
    expect(out.targets[0]).toMatchObject({ name: 'blue', url: blue.url, status: 'healthy', statusCode: 200, version: '1.0.0', probes: 1 });
    expect(out.targets[1]).toMatchObject({ name: 'green', status: 'healthy', version: '1.1.0' });
    expect(typeof out.targets[0].latencyMs).toBe('number');
  });

  it('reports a stopped target down after exactly unhealthyThreshold probes, and exits 1', async () => {
    const gone = await startSampleTarget({ name: 'gone', version: '9.9.9' });
    const config = writeConfig({ blue: blue.url, green: gone.url }, { unhealthyThreshold: 3 });
    expect((await prodx(['health', '--json', '--config', config])).code).toBe(0);
    await gone.stop();
    const r = await prodx(['health', '--json', '--config', config]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, overall: 'down' });
    expect(out.targets[1]).toMatchObject({
      name: 'green',
      status: 'down',
      probes: 3,
      reason: 'connection refused (3 consecutive failures)',
    });
    expect(out.targets[0]).toMatchObject({ name: 'blue', status: 'healthy' });
  });

  it('text output names each target, its status and reason', async () => {
    const config = writeConfig({
      blue: blue.url,
      dead: 'http://127.0.0.1:1' /* nothing listens on port 1; a freed ephemeral port could be taken by another test */,
    });
    const r = await prodx(['health', '--config', config]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^production: down$/m);
    expect(r.stdout).toMatch(/blue\s+healthy\s+1\.0\.0/);
    expect(r.stdout).toMatch(/dead\s+down\s+.*connection refused/);
  });

  it('a health endpoint answering 503 is down with the HTTP status as the reason', async () => {
    const sick = await startSampleTarget({ name: 'sick', version: '1.0.0', failHealth: true });
    try {
      const r = await prodx(['health', '--json', '--config', writeConfig({ sick: sick.url })]);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).targets[0]).toMatchObject({
        status: 'down',
        statusCode: 503,
        reason: 'HTTP 503 (2 consecutive failures)',
      });
    } finally {
      await sick.stop();
    }
  });

  it('a port that answers garbage and one that hangs are down with a reason, never a crash', async () => {
    const g = (garbage.address() as { port: number }).port;
    const h = (hanging.address() as { port: number }).port;
    const config = writeConfig({ garbage: `http://127.0.0.1:${g}`, hanging: `http://127.0.0.1:${h}` }, { timeout: '300ms' });
    const r = await prodx(['health', '--json', '--config', config]);
    expect(r.code).toBe(1);
    expect(expectNoStack(r.stderr)).toBe(true);
    const [gar, hang] = JSON.parse(r.stdout).targets;
    expect(gar).toMatchObject({ status: 'down', reason: expect.stringMatching(/did not answer HTTP/) });
    expect(hang).toMatchObject({ status: 'down', reason: 'timed out after 300ms (2 consecutive failures)' });
  });

  it('an unresolvable host is down with "host not found"', async () => {
    const r = await prodx(['health', '--json', '--config', writeConfig({ nowhere: 'http://prodx-no-such-host.invalid:8080' })]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).targets[0].reason).toMatch(/^host not found/);
  });

  it('--watch --json streams one JSON line per round and sees a target go down', async () => {
    const flaky = await startSampleTarget({ name: 'flaky', version: '2.0.0' });
    const config = writeConfig({ flaky: flaky.url }, { interval: '150ms' });
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../support/cli.js');
    const child = spawn(process.execPath, [BIN, 'health', '--watch', '--json', '--config', config], {
      env: { ...process.env, CI: 'true' },
    });
    const lines: { ok: boolean; targets: { status: string }[] }[] = [];
    let buf = '';
    const seen = new Promise<void>((resolve) => {
      let stopped = false;
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          lines.push(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
        }
        if (!stopped && lines.length >= 2 && lines.at(-1)!.targets[0]!.status === 'healthy') {
          stopped = true;
          void flaky.stop();
        }
        if (lines.at(-1)?.targets[0]?.status === 'down') resolve();
      });
    });
    await seen;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    const statuses = lines.map((l) => l.targets[0]!.status);
    expect(statuses.slice(0, 2)).toEqual(['healthy', 'healthy']);
    expect(statuses.at(-1)).toBe('down');
    expect(statuses.filter((s) => s === 'degraded').length).toBe(1); // threshold 2: one degraded round, then down
    expect(code).toBe(1);
  });
});
