// Browser security reports as error events (POST /v1/csp): a Content-Security-Policy violation,
// in either of the two shapes browsers send —
//   application/csp-report    {"csp-report": {"document-uri", "effective-directive", "blocked-uri", …}}
//   application/reports+json  [{"type": "csp-violation", "url", "age", "body": {"documentURL", "effectiveDirective", "blockedURL", …}}]
// (other report types of the Reporting API are skipped). Each violation becomes an ErrorEvent of
// type CSPViolation whose message names the directive and the blocked origin, not the full URL,
// so one directive and one origin make one group: `Blocked 'script-src-elem' from https://evil.example`.
// Keywords the browser writes instead of a URL (inline, eval, data …) stay as they are. A
// report-only policy (disposition "report") gives warnings; an enforced one gives errors.
import type { ErrorEvent } from './event.js';
import { MAX_LINE, MAX_TAG } from './event.js';
import { cut, isObject } from './sentry.js';

export type ConvertedReports = { ok: true; events: ErrorEvent[] } | { ok: false; reason: string; message: string };

/** at most this many reports of one body are read */
export const MAX_REPORTS = 100;
const MAX_AGE_MS = 86_400_000;

interface Violation {
  documentURL: unknown;
  directive: unknown;
  violated: unknown;
  blocked: unknown;
  disposition: unknown;
  age: unknown;
}

/** what was blocked: the origin of an http(s)/ws(s) URL, the scheme of another (data, blob, chrome-extension), or the keyword */
export function blockedOf(v: unknown): string {
  const s = cut(v, MAX_LINE)?.trim();
  if (!s) return 'unknown';
  if (!s.includes(':')) return s.slice(0, MAX_TAG);
  try {
    const url = new URL(s);
    return /^(https?|wss?):$/.test(url.protocol) ? url.origin : url.protocol.slice(0, -1);
  } catch {
    return s.split(':', 1)[0]!.slice(0, MAX_TAG) || 'unknown';
  }
}

/** the directive: `effective-directive`, else the first word of `violated-directive` (older browsers write the whole policy) */
function directiveOf(effective: unknown, violated: unknown): string {
  const d = cut(effective, MAX_TAG)?.trim() || cut(violated, MAX_TAG)?.trim().split(/\s+/, 1)[0];
  return d || 'unknown';
}

function eventOf(v: Violation, ctx: { project: string; now: number; newId: () => string }): ErrorEvent {
  const directive = directiveOf(v.directive, v.violated);
  const blocked = blockedOf(v.blocked);
  const message = `Blocked '${directive}' from ${blocked}`;
  const age = typeof v.age === 'number' && Number.isFinite(v.age) && v.age >= 0 && v.age <= MAX_AGE_MS ? Math.round(v.age) : 0;
  const event: ErrorEvent = {
    id: ctx.newId(),
    ts: ctx.now - age,
    source: 'csp',
    project: ctx.project,
    platform: 'javascript',
    level: v.disposition === 'report' ? 'warning' : 'error',
    message,
    exceptions: [{ type: 'CSPViolation', value: message, frames: [] }],
    release: '',
    environment: '',
    user: '',
    session: '',
    tags: { directive, blocked },
  };
  const url = cut(v.documentURL, MAX_LINE);
  if (url !== undefined) event.url = url;
  return event;
}

/** One body of a CSP report endpoint: the violations it holds, or a rejection when it is neither shape. Never throws. */
export function fromCspReport(body: unknown, ctx: { project: string; now: number; newId: () => string }): ConvertedReports {
  if (isObject(body) && isObject(body['csp-report'])) {
    const r = body['csp-report'];
    const violation: Violation = {
      documentURL: r['document-uri'],
      directive: r['effective-directive'],
      violated: r['violated-directive'],
      blocked: r['blocked-uri'],
      disposition: r['disposition'],
      age: 0,
    };
    return { ok: true, events: [eventOf(violation, ctx)] };
  }
  // the Reporting API sends a list; a single report object is taken as a list of one
  const reports = Array.isArray(body) ? body : isObject(body) && 'type' in body && 'body' in body ? [body] : undefined;
  if (!reports)
    return {
      ok: false,
      reason: 'not-a-report',
      message: 'expected {"csp-report": {…}} (application/csp-report) or a list of reports (application/reports+json)',
    };
  const events: ErrorEvent[] = [];
  for (const report of reports.slice(0, MAX_REPORTS)) {
    if (!isObject(report) || report['type'] !== 'csp-violation' || !isObject(report['body'])) continue;
    const b = report['body'];
    events.push(
      eventOf(
        {
          documentURL: cut(b['documentURL'], MAX_LINE) ?? report['url'],
          directive: b['effectiveDirective'],
          violated: b['violatedDirective'],
          blocked: b['blockedURL'],
          disposition: b['disposition'],
          age: report['age'],
        },
        ctx,
      ),
    );
  }
  return { ok: true, events };
}
