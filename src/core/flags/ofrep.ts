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
 * One flag's evaluation as OFREP. A disabled flag, or one that resolves to no variant, has no
 * value to send: like flagd, prodx answers 404 FLAG_NOT_FOUND with the reason in words, which
 * every OFREP provider turns into the app's code default.
 */
export function toOfrep(r: EvaluationResult): OfrepResponse {
  if (r.reason === 'DISABLED') {
    return { status: 404, body: { key: r.flag, errorCode: 'FLAG_NOT_FOUND', errorDetails: `flag '${r.flag}' is disabled` } };
  }
  if (r.reason === 'ERROR' || r.errorCode !== undefined) {
    const code = r.errorCode && OFREP_ERRORS.has(r.errorCode) ? r.errorCode : 'GENERAL';
    return {
      status: code === 'FLAG_NOT_FOUND' ? 404 : 400,
      body: { key: r.flag, errorCode: code, errorDetails: r.errorMessage ?? `flag '${r.flag}' could not be evaluated` },
    };
  }
  if (r.variant === undefined) {
    return {
      status: 404,
      body: {
        key: r.flag,
        errorCode: 'FLAG_NOT_FOUND',
        errorDetails: `flag '${r.flag}' has no default variant and no rule matched: the code default applies`,
      },
    };
  }
  const body: Record<string, unknown> = { key: r.flag, value: r.value, reason: r.reason, variant: r.variant };
  if (r.metadata) body['metadata'] = r.metadata;
  return { status: 200, body };
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
