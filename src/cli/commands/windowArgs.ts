// The report window as the CLI takes it (`--window`, or `--since`/`--until` as ISO times), for
// `rum report` and `errors report` alike; operations/rum.ts `reportWindow` checks the rest.
import { ProdxError } from '../../core/errors.js';

function timeArg(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  if (!Number.isFinite(t)) throw new ProdxError('usage', `--${name} is an ISO time such as 2026-12-01T10:00Z, got "${raw}".`);
  return t;
}

export function windowArgs(opts: { window: string; since?: string; until?: string }): { window: string; since?: number; until?: number } {
  const since = timeArg('since', opts.since);
  const until = timeArg('until', opts.until);
  return { window: opts.window, ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
}
