import { describe, expect, it } from 'vitest';
import { environmentSchema } from '../../../../src/core/config/schema.js';

const env = (canary: unknown) => ({ targets: { blue: { url: 'http://127.0.0.1:8081' } }, ...(canary === undefined ? {} : { canary }) });

describe('canary config', () => {
  it('defaults: 5/10/25/50/100, no pause, p99 not judged, compared with stable', () => {
    const c = environmentSchema.parse(env(undefined)).canary;
    expect(c).toEqual({
      steps: [5, 10, 25, 50, 100],
      interval: 30_000,
      pause: 0,
      analysis: { maxErrorRate: 0.02, maxP95Ms: 2000, minRequests: 50, failureLimit: 1, maxP99Ms: null, compareToStable: true },
    });
  });

  it('takes a pause as a duration or "indefinite", and maxP99Ms', () => {
    expect(environmentSchema.parse(env({ pause: '2m' })).canary.pause).toBe(120_000);
    expect(environmentSchema.parse(env({ pause: 'indefinite' })).canary.pause).toBe('indefinite');
    expect(environmentSchema.parse(env({ pause: ['0s', '1m', 'indefinite', '5s'] })).canary.pause).toEqual([
      0,
      60_000,
      'indefinite',
      5_000,
    ]);
    expect(environmentSchema.safeParse(env({ pause: ['0s', 'soon'] })).success).toBe(false);
    expect(environmentSchema.parse(env({ analysis: { maxP99Ms: 3000, compareToStable: false } })).canary.analysis).toMatchObject({
      maxP99Ms: 3000,
      compareToStable: false,
    });
    expect(environmentSchema.safeParse(env({ pause: 'forever' })).success).toBe(false);
  });
});

describe('metrics config', () => {
  it('names the latency histogram the scrape provider reads', () => {
    expect(environmentSchema.parse(env(undefined)).metrics).toEqual({
      type: 'scrape',
      path: '/metrics',
      histogram: 'http_request_duration_seconds',
    });
    const m = environmentSchema.parse({ ...env(undefined), metrics: { type: 'scrape', histogram: 'request_latency_seconds' } }).metrics;
    expect(m).toMatchObject({ histogram: 'request_latency_seconds' });
  });
});

describe('a bad pause', () => {
  it('is explained at its path', async () => {
    const { parseConfig } = await import('../../../../src/adapters/config/parse.js');
    const text = JSON.stringify({ app: 'weather', environments: { production: env({ pause: 'forever' }) } });
    expect(() => parseConfig(text, 'prodx.config.json')).toThrow(
      /environments\.production\.canary\.pause: expected a duration such as "30s" or "5m" \(at most 24 days\), or "indefinite" to wait until promoted \(or a list of them, one per step\), got "forever"/,
    );
  });
});
