import { describe, expect, it } from 'vitest';
import { createMetricProvider } from '../../../../src/adapters/metrics/index.js';
import { ProdxError } from '../../../../src/core/errors.js';

describe('createMetricProvider', () => {
  const ctx = { env: 'production', intervalMs: 30_000 };

  it('picks the provider the config names', () => {
    expect(createMetricProvider({ type: 'scrape', path: '/metrics' }, ctx).kind).toBe('scrape');
    expect(createMetricProvider({ type: 'prometheus', url: 'http://127.0.0.1:9090', queries: {} }, ctx).kind).toBe('prometheus');
    expect(createMetricProvider({ type: 'builtin' }, { ...ctx, router: { type: 'builtin', admin: '127.0.0.1:8089' } }).kind).toBe(
      'builtin',
    );
  });

  it('refuses builtin metrics without a builtin router, in one line that says what to do', () => {
    let err: unknown;
    try {
      createMetricProvider({ type: 'builtin' }, { ...ctx, router: { type: 'nginx' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProdxError);
    expect((err as ProdxError).message).toBe(
      `environments.production.metrics: type "builtin" reads the builtin router's counters, but the router is nginx; use {"type": "scrape"} or a builtin router.`,
    );
  });
});
