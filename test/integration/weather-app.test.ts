// The sample weather app as a real child process: routes, metrics, deterministic faults, and a
// clean exit (including when the parent is SIGKILLed).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../src/adapters/paths.js';
import { startSampleTarget, type SampleTarget } from '../../src/demo/sampleTarget.js';

type Sample = { name: string; labels: Record<string, string>; value: number };

// Strict enough to catch malformed exposition text: every line is a comment or a sample.
function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
    if (line.startsWith('#')) {
      if (!/^# (HELP|TYPE) [a-zA-Z_:][\w:]* .+$/.test(line)) throw new Error(`bad line: ${line}`);
      continue;
    }
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || Number.isNaN(Number(m[3]))) throw new Error(`bad sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)",?/g)) labels[k!] = v!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

const find = (samples: Sample[], name: string, route: string, status: string) =>
  samples.find((s) => s.name === name && s.labels.route === route && s.labels.status_code === status)?.value ?? 0;

async function scrape(url: string): Promise<{ text: string; samples: Sample[] }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return { text, samples: parsePrometheus(text) };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// A SIGKILLed process reparented to a non-reaping init stays a zombie; that counts as gone.
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe('weather app (child process)', () => {
  let app: SampleTarget;

  beforeAll(async () => {
    app = await startSampleTarget({ version: '2.0.0', name: 'blue' });
  });
  afterEach(async () => {
    await app.setFaults({ errorRatio: 0, latencyMs: 0, failHealth: false });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('serves health, version and weather', async () => {
    expect(app).toMatchObject({
      name: 'blue',
      version: '2.0.0',
      url: `http://127.0.0.1:${app.port}`,
    });
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', version: '2.0.0' });
    expect(await (await fetch(`${app.url}/version`)).json()).toEqual({ version: '2.0.0' });

    const weather = await fetch(`${app.url}/?city=Oslo`);
    expect(weather.status).toBe(200);
    const body = (await weather.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ city: 'Oslo', version: '2.0.0' });
    expect(typeof body.temperatureC).toBe('number');
    expect(typeof body.conditions).toBe('string');
    expect(Number.isNaN(Date.parse(String(body.ts)))).toBe(false);
    const again = (await (await fetch(`${app.url}/?city=Oslo`)).json()) as Record<string, unknown>;
    expect(again.temperatureC).toBe(body.temperatureC);

    const missing = await fetch(`${app.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toHaveProperty('error');
  });

  it('exposes Prometheus metrics that count every request', async () => {
    const before = find((await scrape(app.url)).samples, 'http_requests_total', '/', '200');
    for (let i = 0; i < 7; i++) expect((await fetch(`${app.url}/`)).status).toBe(200);
    const { text, samples } = await scrape(app.url);
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    const info = samples.find((s) => s.name === 'app_info');
    expect(info).toEqual({ name: 'app_info', labels: { version: '2.0.0' }, value: 1 });
    expect(find(samples, 'http_requests_total', '/', '200')).toBe(before + 7);
    expect(find(samples, 'http_request_duration_seconds_count', '/', '200')).toBe(before + 7);
    // Scrapes and admin calls are not traffic.
    expect(samples.some((s) => s.labels.route === '/metrics' || s.labels.route?.startsWith('/admin'))).toBe(false);
  });

  it('fails exactly errorRatio of requests to /', async () => {
    expect(await app.setFaults({ errorRatio: 0.2 })).toEqual({
      errorRatio: 0.2,
      latencyMs: 0,
      failHealth: false,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await fetch(`${app.url}/`)).status);
    expect(statuses.filter((s) => s === 500)).toHaveLength(10);
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
  });

  it('fails health checks on demand', async () => {
    await app.setFaults({ failHealth: true });
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'failing', version: '2.0.0' });
    await app.setFaults({ failHealth: false });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('delays responses by latencyMs', async () => {
    await app.setFaults({ latencyMs: 150 });
    for (const path of ['/', '/healthz']) {
      const started = performance.now();
      const res = await fetch(`${app.url}${path}`);
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    }
  });

  it('rejects bad admin input with 400 and leaves faults unchanged', async () => {
    await app.setFaults({ latencyMs: 5 });
    const post = (body: string) =>
      fetch(`${app.url}/admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    for (const body of ['{not json', '{"errorRatio":1.5}', '{"errorRatio":-0.1}', '{"latencyMs":-1}', '[]', '{"failHealth":"yes"}']) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      const error = ((await res.json()) as { error: string }).error;
      expect(error).toMatch(/^[^\n]+$/);
    }
    await expect(app.setFaults({ errorRatio: 7 })).rejects.toThrow(/errorRatio/);
    expect(await (await fetch(`${app.url}/admin/faults`)).json()).toEqual({
      errorRatio: 0,
      latencyMs: 5,
      failHealth: false,
    });
  });

  it('reports a start failure with the reason', async () => {
    await expect(startSampleTarget({ version: '1.0.0', errorRatio: 2 })).rejects.toThrow(/failed to start.*error-ratio/);
  });

  it('stop() ends the process and frees the port', async () => {
    const other = await startSampleTarget({ version: '3.0.0', failHealth: true });
    expect((await fetch(`${other.url}/healthz`)).status).toBe(503);
    expect(isAlive(other.pid)).toBe(true);
    await other.stop();
    await other.stop(); // idempotent
    expect(await refusesConnections(other.port)).toBe(true);
    expect(() => process.kill(other.pid, 0)).toThrow();
  });
});

describe('weather app with a SIGKILLed parent', () => {
  let dir: string | undefined;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exits when its parent dies, leaving no orphan', async () => {
    dir = mkdtempSync(join(tmpdir(), 'prodx-orphan-'));
    const script = join(dir, 'parent.mjs');
    writeFileSync(
      script,
      `import { fork } from 'node:child_process';
const child = fork(process.argv[2], ['--port', '0'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
child.on('message', (m) => {
  if (m && m.type === 'listening') process.stdout.write(JSON.stringify({ pid: child.pid, port: m.port }) + '\\n');
});
`,
    );
    const parent = spawn(process.execPath, [script, fixturePath('weather-app', 'server.mjs')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const parentExit = new Promise((resolve) => parent.once('exit', resolve));
    try {
      const lines = createInterface({ input: parent.stdout });
      const first = await Promise.race([
        new Promise<string>((resolve) => lines.once('line', resolve)),
        parentExit.then(() => Promise.reject(new Error('parent script exited early'))),
      ]);
      const { pid, port } = JSON.parse(first) as { pid: number; port: number };
      expect(isAlive(pid)).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

      parent.kill('SIGKILL');
      await parentExit;
      await waitFor(() => !isAlive(pid), `orphaned server ${pid} to exit`);
      expect(await refusesConnections(port)).toBe(true);
    } finally {
      if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
    }
  }, 20_000);
});
