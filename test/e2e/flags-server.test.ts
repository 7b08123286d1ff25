// `prodx flags start|status|stop` with the built binary: the endpoint runs in the background,
// answers OFREP, records exposures and conversions that `flags report` and `flags experiment`
// then read, and stops cleanly.
import { afterAll, describe, expect, it } from 'vitest';
import { FlagdCore } from '@openfeature/flagd-core';
import { readRecord } from '../../src/adapters/process/daemon.js';
import { flagsDirOf } from '../../src/adapters/flags/audit.js';
import { alive, waitUntil } from '../support/tmux.js';
import { expectNoStack, prodx } from '../support/cli.js';
import { flagsProject, randomUsers } from '../support/flags.js';

const p = flagsProject();
const started: number[] = [];

afterAll(async () => {
  await prodx(['flags', 'stop', '--config', p.config]);
  // a server this test started must not outlive it, whatever failed above
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGTERM');
});

const json = (s: string) => JSON.parse(s) as Record<string, unknown>;

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the OFREP endpoint as a background process', () => {
  let url = '';
  const users = randomUsers(120, 7);
  const direct = new FlagdCore();
  direct.setConfigurations(p.read());

  it('starts on a free loopback port and says where', async () => {
    const r = await prodx(['flags', 'start', '--port', '0', '--json', '--config', p.config]);
    expect(r.code).toBe(0);
    const out = json(r.stdout) as { ok: boolean; alreadyRunning: boolean; url: string; pid: number };
    expect(out).toMatchObject({ ok: true, alreadyRunning: false });
    expect(out.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    started.push(out.pid);
    url = out.url;
    expect(alive(out.pid)).toBe(true);
    const again = json((await prodx(['flags', 'start', '--json', '--config', p.config])).stdout);
    expect(again).toMatchObject({ alreadyRunning: true, pid: out.pid });
  });

  it('answers OFREP as flagd-core evaluates, and takes conversions', async () => {
    for (const targetingKey of users) {
      const res = await fetch(`${url}/ofrep/v1/evaluate/flags/weather-radar`, {
        method: 'POST',
        body: JSON.stringify({ context: { targetingKey } }),
      });
      const body = (await res.json()) as { value: string; variant: string };
      const want = direct.resolveStringEvaluation('weather-radar', 'x', { targetingKey });
      expect([res.status, body.value, body.variant]).toEqual([200, want.value, want.variant]);
    }
    const conversions = users
      .filter((_, i) => i % 4 === 0)
      .map((targetingKey) => ({ type: 'conversion', name: 'radar_opened', targetingKey }));
    const res = await fetch(`${url}/events`, { method: 'POST', body: JSON.stringify(conversions) });
    expect(await res.json()).toEqual({ accepted: conversions.length, rejected: [] });
  });

  it('status shows it running with what it served', async () => {
    const r = await until(
      async () =>
        json((await prodx(['flags', 'status', '--json', '--config', p.config])).stdout) as {
          running: boolean;
          live: { evaluations: number; exposures: number } | null;
        },
      (s) => s.live?.evaluations === users.length,
      'the status to show the evaluations',
    );
    expect(r).toMatchObject({ running: true, live: { evaluations: users.length, exposures: users.length, conversions: users.length / 4 } });
  });

  it('report and experiment read what it recorded', async () => {
    const report = await until(
      async () =>
        json((await prodx(['flags', 'report', '--json', '--config', p.config])).stdout) as {
          flags: { key: string; evaluationsTotal: number; exposures: number; usersByVariant: Record<string, number> }[];
        },
      (r) => r.flags.find((f) => f.key === 'weather-radar')?.evaluationsTotal === users.length,
      'the report to count the evaluations',
    );
    const radar = report.flags.find((f) => f.key === 'weather-radar')!;
    const byVariant: Record<string, number> = {};
    for (const targetingKey of users) {
      const v = direct.resolveStringEvaluation('weather-radar', 'x', { targetingKey }).variant!;
      byVariant[v] = (byVariant[v] ?? 0) + 1;
    }
    expect(radar).toMatchObject({ exposures: users.length, usersByVariant: byVariant });
    const exp = await prodx(['flags', 'experiment', 'weather-radar', '--json', '--config', p.config]);
    const result = json(exp.stdout) as { metric: string; variants: { variant: string; users: number; conversions: number }[] };
    expect(result.metric).toBe('radar_opened');
    expect(Object.fromEntries(result.variants.map((v) => [v.variant, v.users]))).toEqual(byVariant);
    expect(result.variants.reduce((s, v) => s + v.conversions, 0)).toBe(users.length / 4);
  });

  it('stops, and status says so', async () => {
    const pid = readRecord({ dir: flagsDirOf(p.stateDir), name: 'server', label: '' })!.pid;
    const r = await prodx(['flags', 'stop', '--json', '--config', p.config]);
    expect(json(r.stdout)).toMatchObject({ ok: true, wasRunning: true, pid });
    await waitUntil(() => !alive(pid), 'the endpoint process to exit');
    expect(json((await prodx(['flags', 'status', '--json', '--config', p.config])).stdout)).toMatchObject({ running: false });
    expect(json((await prodx(['flags', 'stop', '--json', '--config', p.config])).stdout)).toMatchObject({ wasRunning: false });
  });

  it('a port in use is one line, exit 1, and nothing is left running', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await prodx(['flags', 'start', '--port', String(port), '--config', p.config]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^prodx: the flags endpoint did not start: .*port ${port} on 127\\.0\\.0\\.1 is in use`));
      expect(expectNoStack(r.stderr)).toBe(true);
      expect(json((await prodx(['flags', 'status', '--json', '--config', p.config])).stdout)).toMatchObject({ running: false });
    } finally {
      blocker.close();
    }
  });
});
