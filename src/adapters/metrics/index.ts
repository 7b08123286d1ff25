// Picks the canary metric provider an environment's config asks for.
import { ProdxError } from '../../core/errors.js';
import { createBuiltinProvider } from './builtin.js';
import { createPrometheusProvider } from './prometheus.js';
import { createScrapeProvider } from './scrapeProvider.js';
import type { MetricProvider } from '../../core/canary/metrics.js';

export type MetricsConfig =
  | { type: 'scrape'; path: string; histogram?: string }
  | { type: 'prometheus'; url: string; queries: Record<string, string> }
  | { type: 'builtin' };

export interface ProviderContext {
  env: string;
  /** the analysis interval, for `{{interval}}` */
  intervalMs: number;
  /** the environment's router, for `builtin` */
  router?: { type: string; admin?: string } | undefined;
  timeoutMs?: number;
}

export function createMetricProvider(config: MetricsConfig, ctx: ProviderContext): MetricProvider {
  const common = { env: ctx.env, ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}) };
  switch (config.type) {
    case 'scrape':
      return createScrapeProvider({ ...common, path: config.path, ...(config.histogram ? { histogram: config.histogram } : {}) });
    case 'prometheus':
      return createPrometheusProvider({ ...common, url: config.url, queries: config.queries, intervalMs: ctx.intervalMs });
    case 'builtin':
      if (ctx.router?.type !== 'builtin' || !ctx.router.admin) {
        throw new ProdxError(
          'config-invalid',
          `environments.${ctx.env}.metrics: type "builtin" reads the builtin router's counters, but the router is ${ctx.router?.type ?? 'not configured'}; use {"type": "scrape"} or a builtin router.`,
        );
      }
      return createBuiltinProvider({ ...common, admin: ctx.router.admin });
  }
}
