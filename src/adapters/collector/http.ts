// What both doors of the collector (RUM in server.ts, errors in sentry.ts) read of a request the
// same way: the CORS answer for its origin, and the collector token it carries.
import type { IncomingMessage } from 'node:http';

/**
 * The CORS headers for a request's origin: {} without an Origin, null for an origin not in
 * `allowed`; else the exact origin with credentials (a sendBeacon Blob is sent with them, and
 * `*` fails), plus `extra` (the errors door exposes Sentry's headers).
 */
export function corsFor(
  req: IncomingMessage,
  allowed: readonly string[],
  extra: Record<string, string> = {},
): { origin: string | undefined; headers: Record<string, string> | null } {
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  if (origin === undefined) return { origin, headers: {} };
  if (!allowed.includes(origin)) return { origin, headers: null };
  return {
    origin,
    headers: { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', ...extra, vary: 'Origin' },
  };
}

/** the collector token: `Authorization: Bearer`, `X-Prodx-Token`, or `?token=` (sendBeacon cannot set a header) */
export function tokenOf(req: IncomingMessage, query: URLSearchParams): string | null {
  const auth = req.headers['authorization'];
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
  const h = req.headers['x-prodx-token'];
  if (typeof h === 'string') return h;
  return query.get('token');
}
