// The prometheus provider end to end: a real Prometheus (the Debian package) with its own data
// directory and loopback port scrapes two real sample apps every second; the provider's default
// PromQL then measures their request counts and error rates, and bad queries are explained.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleTarget, type SampleTarget } from '../../../src/demo/sampleTarget.js';
import { createPrometheusProvider } from '../../../src/adapters/metrics/prometheus.js';
import { diff, type MetricTarget, type Snapshot } from '../../../src/core/canary/metrics.js';
import { judgeInterval, type Measurement } from '../../../src/core/canary/judge.js';
import { freePort, startServerProcess, waitUntil, type ServerProcess } from '../../support/load.js';

const PROMETHEUS = '/usr/bin/prometheus';
const INTERVAL_MS = 5_000;

/** Paced GETs of `/` until stopped: steady traffic for Prometheus to see. */
function steadyTraffic(url: string, everyMs: number) {
  let running = true;
  const done = (async () => {
    while (running) {
      const res = await fetch(`${url}/?city=Lima`).catch(() => null);
      await res?.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
    },
  };
}

describe('prometheus provider against a real Prometheus', () => {
  let stable: SampleTarget;
  let canary: SampleTarget;
  let prometheus: ServerProcess | undefined;
  let promUrl = '';
  let dir = '';
  const traffic: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prodx-prometheus-'));
    [stable, canary] = await Promise.all([
      startSampleTarget({ name: 'blue', version: '1.0.0' }),
      startSampleTarget({ name: 'green', version: '1.1.0', errorRatio: 0.2 }),
    ]);
    prometheus = await startServerProcess(
      'prometheus',
      async () => {
        const port = await freePort();
        promUrl = `http://127.0.0.1:${port}`;
        const config = join(dir, 'prometheus.yml');
        writeFileSync(
          config,
          [
            'global: { scrape_interval: 1s, evaluation_interval: 1s }',
            'scrape_configs:',
            '  - job_name: weather',
            `    static_configs: [{ targets: ["127.0.0.1:${stable.port}", "127.0.0.1:${canary.port}"] }]`,
          ].join('\n'),
        );
        const argv = [
          PROMETHEUS,
          `--config.file=${config}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ];
        const ready = async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.status === 200;
        return { argv, ready };
      },
      /address already in use/,
    );
    await waitUntil(
      async () => {
        const body = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } };
        return body.data.activeTargets.length === 2 && body.data.activeTargets.every((t) => t.health === 'up');
      },
      'Prometheus to scrape both sample apps',
      15_000,
    );
  });
  afterAll(async () => {
    await Promise.all(traffic.map((t) => t.stop()));
    await prometheus?.stop();
    await Promise.all([stable?.stop(), canary?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('measures request counts and a 20% canary error rate with the default queries', async () => {
    const provider = createPrometheusProvider({ url: promUrl, intervalMs: INTERVAL_MS, env: 'production' });
    const blue: MetricTarget = { colour: 'blue', url: stable.url };
    const green: MetricTarget = { colour: 'green', url: canary.url };
    const trafficStart = Date.now();
    traffic.push(steadyTraffic(stable.url, 20), steadyTraffic(canary.url, 20));

    // the query window must lie wholly inside the traffic (and two scrapes into it)
    let samples: Snapshot[] = [];
    await waitUntil(
      async () => {
        if (Date.now() - trafficStart < INTERVAL_MS + 2_000) return false;
        samples = await Promise.all([provider.sample(blue), provider.sample(green)]);
        return samples.every((s) => s.kind === 'interval' && s.requests >= 50);
      },
      'both targets to show traffic in Prometheus',
      25_000,
    );
    const [s, c] = samples.map((x) => diff(null, x)) as [Measurement, Measurement];
    expect(s.requests).toBeGreaterThan(0);
    expect(s.errors).toBe(0);
    expect(c.requests).toBeGreaterThan(0);
    expect(c.errors / c.requests).toBeGreaterThan(0.17);
    expect(c.errors / c.requests).toBeLessThan(0.23);
    expect(s.p95Ms).not.toBeNull();

    const results = judgeInterval(diff(null, samples[1]!), diff(null, samples[0]!), {
      maxErrorRate: 0.02,
      maxP95Ms: 2000,
      minRequests: 20,
    });
    expect(results.find((r) => r.rule === 'error-rate')).toMatchObject({ verdict: 'fail' });
    expect(results.find((r) => r.rule === 'error-rate')!.reason).toMatch(/^error rate (1[89]|2[0-2])\.\d% > 2\.0%$/);
  });

  it('explains a query that returns several series, no data, or does not parse', async () => {
    const target: MetricTarget = { colour: 'green', url: canary.url };
    const sampleWith = (requests: string) =>
      createPrometheusProvider({ url: promUrl, intervalMs: INTERVAL_MS, env: 'production', queries: { requests } }).sample(target);

    const several = await sampleWith('http_requests_total{instance="{{target}}"}');
    expect(several).toMatchObject({ kind: 'unavailable' });
    expect((several as { reason: string }).reason).toMatch(
      /^requests query `http_requests_total\{instance="127\.0\.0\.1:\d+"\}`: the query returned \d+ series, not one: aggregate it, e\.g\. with sum\(\) \(environments\.production\.metrics\.queries\.requests\)$/,
    );
    const none = await sampleWith('sum(http_requests_total{instance="nowhere:1"})');
    expect((none as { reason: string }).reason).toContain('the query returned no data (an empty vector): check the labels it selects');
    const broken = await sampleWith('sum(http_requests_total{instance="{{target}}"}');
    expect((broken as { reason: string }).reason).toMatch(/the query failed: .*parse error/);

    const results = judgeInterval(diff(null, broken), null, { maxErrorRate: 0.02, maxP95Ms: 2000, minRequests: 1 });
    expect(results.every((r) => r.verdict === 'inconclusive')).toBe(true);
  });

  it('explains an unreachable Prometheus', async () => {
    const port = await freePort();
    const s = await createPrometheusProvider({ url: `http://127.0.0.1:${port}`, intervalMs: INTERVAL_MS, env: 'production' }).sample({
      colour: 'blue',
      url: stable.url,
    });
    expect(s).toMatchObject({
      kind: 'unavailable',
      reason: `Prometheus at http://127.0.0.1:${port} is unreachable (connection refused): start it or correct environments.production.metrics.url`,
    });
  });
});
