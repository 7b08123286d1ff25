// A real Prometheus for end-to-end tests: the Debian package's binary in the foreground as our
// child, on a free loopback port, with its own data directory and a scrape config naming the
// given targets. Ready means /-/ready answers 200 and every target has been scraped (`up` is 1
// for each), so a test never sleeps on a guess.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childrenOf, freePort, waitUntil } from './load.js';

/** waits, then answers false: a poll that is not due yet */
const pause = (ms: number) => new Promise<false>((resolve) => setTimeout(() => resolve(false), ms));

export const PROMETHEUS = existsSync('/usr/bin/prometheus') ? '/usr/bin/prometheus' : 'prometheus';

export interface PrometheusOptions {
  /** host:port of every target to scrape (Prometheus's `instance` label is exactly this) */
  targets: string[];
  /** the scrape interval in whole seconds (default 1) */
  scrapeSeconds?: number;
  /** how long to wait for readiness and the first scrape of every target (default 60s: a loaded machine) */
  readyTimeoutMs?: number;
}

export interface Prometheus {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  dir: string;
  /** one instant query's result vector */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** SIGTERM, SIGKILL after 5s; the data directory is removed */
  stop(): Promise<void>;
}

export async function startPrometheus(opts: PrometheusOptions): Promise<Prometheus> {
  const scrape = opts.scrapeSeconds ?? 1;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), 'prodx-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      `global: { scrape_interval: ${scrape}s, scrape_timeout: ${scrape}s, evaluation_interval: ${scrape}s }`,
      'scrape_configs:',
      '  - job_name: weather',
      `    static_configs: [{ targets: [${opts.targets.map((t) => JSON.stringify(t)).join(', ')}] }]`,
    ].join('\n'),
  );

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, `data-${attempt}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
    child.on('error', (err) => (stderr += err.message));
    const exited = new Promise((resolve) => child.once('close', resolve));
    const gone = () => child.exitCode !== null || child.signalCode !== null;
    const kill = async () => {
      if (child.pid === undefined || gone()) return;
      child.kill('SIGTERM');
      try {
        await waitUntil(gone, 'prometheus to exit', 5_000);
      } catch {
        for (const pid of [...childrenOf(child.pid), child.pid]) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
        await exited;
      }
    };
    const query = async (promql: string) => {
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
      const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown } };
      if (body.status !== 'success') throw new Error(`prometheus query ${promql}: ${body.error ?? res.status}`);
      return body.data!.result as { metric: Record<string, string>; value: [number, string] }[];
    };
    try {
      await waitUntil(
        async () => {
          if (gone()) throw new Error(`prometheus exited with code ${child.exitCode}: ${stderr.trim()}`);
          return (await fetch(`${url}/-/ready`).catch(() => null))?.status === 200 || (await pause(100));
        },
        'prometheus to be ready',
        readyTimeoutMs,
      );
      // every target scraped successfully at least once
      await waitUntil(
        async () => {
          const up = await query('up').catch(() => []);
          return opts.targets.every((t) => up.some((s) => s.metric['instance'] === t && s.value[1] === '1')) || (await pause(200));
        },
        `prometheus to scrape ${opts.targets.join(' and ')}`,
        readyTimeoutMs,
      );
    } catch (err) {
      await kill();
      if (attempt === 1 && /address already in use/i.test(stderr)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return {
      url,
      dir,
      query,
      async stop() {
        await kill();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
