// Sentry's envelope format (develop.sentry.dev/sdk/data-model/envelopes): what a Sentry SDK POSTs
// to /api/<project>/envelope/. One line of envelope header (a JSON object, `{}` allowed), then
// items: an item header line (a JSON object with `type`) and its payload — exactly `length` bytes
// when the header says so (then a "\n" or the end), else up to the next "\n" or the end. Newlines
// are "\n" only; a "\r" belongs to the line or payload before it. @sentry/node writes no `length`
// and no trailing newline; other SDKs write both. The parse works on the bytes, never on the body
// decoded as one string, since a `length` counts bytes and a UTF-8 payload must not shift.
// Unknown item types come back like the rest: the collector picks the ones it reads.

export interface EnvelopeItem {
  header: Record<string, unknown>;
  type: string;
  /** a view into the body (no copy) */
  payload: Buffer;
}

export type ParsedEnvelope =
  { ok: true; header: Record<string, unknown>; items: EnvelopeItem[] } | { ok: false; reason: string; message: string };

export interface EnvelopeLimits {
  /** the largest payload of an `event` or `transaction` item (Sentry: 1 MB); past it, 'item-too-large' */
  maxItemBytes: number;
}

/** a header line longer than this is not a header (real ones are a few hundred bytes) */
export const MAX_HEADER_BYTES = 64 * 1024;

const NL = 0x0a;
/** the item types whose size the limit bounds */
const SIZED_TYPES = new Set(['event', 'transaction']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const reject = (reason: string, message: string): ParsedEnvelope => ({ ok: false, reason, message });

function jsonObject(line: Buffer): Record<string, unknown> | undefined {
  if (line.length === 0 || line.length > MAX_HEADER_BYTES) return undefined;
  try {
    const v: unknown = JSON.parse(line.toString('utf8'));
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** One envelope from the request body. Never throws. */
export function parseEnvelope(body: Buffer, limits: EnvelopeLimits): ParsedEnvelope {
  let pos = 0;
  /** the bytes up to the next "\n" (or the end), and past the "\n" */
  const line = (): Buffer => {
    const nl = body.indexOf(NL, pos);
    const end = nl < 0 ? body.length : nl;
    const bytes = body.subarray(pos, end);
    pos = nl < 0 ? body.length : nl + 1;
    return bytes;
  };

  const header = jsonObject(line());
  if (!header)
    return reject(
      'bad-header',
      'the first line of an envelope must be its header, a JSON object on one line ({} when there is nothing to say)',
    );

  const items: EnvelopeItem[] = [];
  while (pos < body.length) {
    const at = pos;
    const headerLine = line();
    if (headerLine.length === 0) continue; // a blank line between items, or the trailing newline
    const itemHeader = jsonObject(headerLine);
    const type = itemHeader?.['type'];
    if (!itemHeader || typeof type !== 'string' || type === '')
      return reject('bad-header', `the item header at byte ${at} is not a JSON object with a "type" on one line`);

    let payload: Buffer;
    const length = itemHeader['length'];
    if (length !== undefined && length !== null) {
      if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0)
        return reject(
          'bad-length',
          `the "${type}" item at byte ${at} has length ${JSON.stringify(length)}: expected a byte count (0 or more)`,
        );
      if (pos + length > body.length)
        return reject(
          'bad-length',
          `the "${type}" item at byte ${at} says ${length} bytes, but only ${body.length - pos} follow its header`,
        );
      payload = body.subarray(pos, pos + length);
      pos += length;
      if (pos < body.length) {
        if (body[pos] !== NL)
          return reject('bad-length', `the "${type}" item at byte ${at} is not ${length} bytes long: no newline after its payload`);
        pos++;
      }
    } else {
      payload = line();
    }
    if (SIZED_TYPES.has(type) && payload.length > limits.maxItemBytes)
      return reject('item-too-large', `the "${type}" item at byte ${at} is ${payload.length} bytes: the limit is ${limits.maxItemBytes}`);
    items.push({ header: itemHeader, type, payload });
  }
  return { ok: true, header, items };
}

/** a UUID as 32 lowercase hex characters (dashes removed), or undefined when it is not one */
export function hexId(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.length > 36) return undefined;
  const hex = v.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : undefined;
}

/** the `event_id` of an envelope header (or an event), as 32 hex characters */
export function eventIdOf(header: Record<string, unknown>): string | undefined {
  return hexId(header['event_id']);
}

/** the `dsn` an envelope carries when it authenticates itself */
export function dsnOf(header: Record<string, unknown>): string | undefined {
  const dsn = header['dsn'];
  return typeof dsn === 'string' && dsn !== '' ? dsn : undefined;
}

/**
 * `http(s)://<key>[:<secret>]@<host>[:<port>][/<prefix>…]/<project>`: the public key, the
 * project (the last path segment) and the host with its port. Null when it is not a DSN.
 */
export function parseDsn(dsn: string): { key: string; project: string; host: string } | null {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const project = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .at(-1);
  if (url.username === '' || project === undefined || url.host === '') return null;
  return { key: url.username, project, host: url.host };
}

/** the key of `X-Sentry-Auth: Sentry sentry_version=7, sentry_key=…, sentry_client=…` */
export function authHeaderKey(h: string | undefined): string | undefined {
  if (!h) return undefined;
  const m = /(?:^|[\s,])sentry_key=([^,\s]+)/.exec(h);
  return m?.[1];
}
