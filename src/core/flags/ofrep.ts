// The OpenFeature Remote Evaluation Protocol (OFREP) as data: an evaluation result in, the HTTP
// status and body an OFREP provider expects out. Pure; the server in adapters/flags does the I/O.
// https://github.com/open-feature/protocol (service/openapi.yaml)
import type { EvaluationResult } from './types.js';

export interface OfrepResponse {
  status: number;
  body: Record<string, unknown>;
}

/** OFREP's error codes; flagd-core's TYPE_MISMATCH and the like become GENERAL. */
const OFREP_ERRORS = new Set(['PARSE_ERROR', 'TARGETING_KEY_MISSING', 'INVALID_CONTEXT', 'GENERAL', 'FLAG_NOT_FOUND']);

/**
 * One flag's evaluation as OFREP 0.3 and flagd answer it. A disabled flag, and one whose rules
 * give no variant and that has no default variant, are successes without a value (ADR-0006,
 * "codeDefaultFlag"): 200 with the reason, and the SDK uses its code default. Errors are 404
 * (FLAG_NOT_FOUND) or 400 with OFREP's error code.
 */
export function toOfrep(r: EvaluationResult): OfrepResponse {
  if (r.reason === 'ERROR' || r.errorCode !== undefined) {
    const code = r.errorCode && OFREP_ERRORS.has(r.errorCode) ? r.errorCode : 'GENERAL';
    return {
      status: code === 'FLAG_NOT_FOUND' ? 404 : 400,
      body: { key: r.flag, errorCode: code, errorDetails: r.errorMessage ?? `flag '${r.flag}' could not be evaluated` },
    };
  }
  const body: Record<string, unknown> = { key: r.flag, reason: r.reason };
  if (r.reason !== 'DISABLED' && r.variant !== undefined) {
    body['value'] = r.value;
    body['variant'] = r.variant;
  }
  if (r.metadata) body['metadata'] = r.metadata;
  return { status: 200, body };
}

/**
 * The bulk ETag: a hash of the flags' version and the whole context, keys sorted at every level,
 * so two contexts that differ anywhere differ here and the same context in another key order
 * does not. `hash` is a sha-256 function (node:crypto in the adapter; core does no I/O).
 */
export function bulkEtag(flagsHash: string, context: Record<string, unknown>, hash: (text: string) => string): string {
  return `"${hash(`${flagsHash}\n${canonicalJson(context)}`).slice(0, 32)}"`;
}

/** JSON with object keys sorted at every level: equal for equal values, whatever the key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * Does If-None-Match name this ETag? RFC 9110 §13.1.2: a list of entity tags, each maybe weak
 * (W/"…"), compared weakly; `*` matches any current representation.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  const want = strip(etag);
  return header.split(',').some((t) => t.trim() === '*' || strip(t) === want);
}

/** The request's evaluation context, or why it is not one (OFREP: 400 INVALID_CONTEXT). */
export function contextOf(body: unknown): Record<string, unknown> | string {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    return 'the request body must be a JSON object such as {"context": {"targetingKey": "user-1"}}';
  const ctx = (body as Record<string, unknown>)['context'];
  if (ctx === undefined) return {};
  if (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)) return '"context" must be an object';
  const key = (ctx as Record<string, unknown>)['targetingKey'];
  if (key !== undefined && typeof key !== 'string') return '"context.targetingKey" must be a string';
  return ctx as Record<string, unknown>;
}
