import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERIES, parseQueryResult, promDuration, renderQuery } from '../../../../src/adapters/metrics/prometheus.js';

const vector = (...values: string[]) => ({
  status: 'success',
  data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { i: String(i) }, value: [1700000000.1, v] })) },
});

describe('parseQueryResult', () => {
  it.each<[string, unknown, unknown]>([
    ['a vector of one series', vector('42.5'), { value: 42.5 }],
    ['a scalar', { status: 'success', data: { resultType: 'scalar', result: [1700000000, '0.2'] } }, { value: 0.2 }],
    ['NaN (a quantile over no traffic)', vector('NaN'), { value: null }],
    ['an empty vector', vector(), { error: 'the query returned no data (an empty vector): check the labels it selects' }],
    ['several series', vector('1', '2'), { error: 'the query returned 2 series, not one: aggregate it, e.g. with sum()' }],
    [
      'a query error',
      { status: 'error', errorType: 'bad_data', error: 'parse error at char 5' },
      { error: 'the query failed: parse error at char 5' },
    ],
    [
      'a matrix',
      { status: 'success', data: { resultType: 'matrix', result: [] } },
      { error: 'the query returned a matrix, not a scalar or a vector' },
    ],
    ['a non-number', vector('abc'), { error: 'the query answered "abc", not a number' }],
    ['not an object', 'hello', { error: 'the answer is not a JSON object' }],
    [
      'no value',
      { status: 'success', data: { resultType: 'vector', result: [{ metric: {} }] } },
      { error: 'the query result has no value: [{"metric":{}}]' },
    ],
  ])('%s', (_what, body, expected) => {
    expect(parseQueryResult(body)).toEqual(expected);
  });
});

describe('renderQuery', () => {
  const target = { colour: 'green', url: 'http://127.0.0.1:8082' };
  it('fills {{target}} with host:port, {{colour}} and {{interval}} in seconds', () => {
    expect(renderQuery('x{instance="{{target}}",c="{{ colour }}"}[{{interval}}] {{unknown}}', target, 30_000)).toBe(
      'x{instance="127.0.0.1:8082",c="green"}[30s] {{unknown}}',
    );
    expect(renderQuery(DEFAULT_QUERIES.requests, target, 5_000)).toBe(
      'sum(increase(http_requests_total{instance="127.0.0.1:8082",route!~"_prodx_no_probe_route_"}[5s]))',
    );
    expect(renderQuery(DEFAULT_QUERIES.requests, { ...target, excludeRoutes: ['/healthz', '/v1.0/version'] }, 5_000)).toBe(
      'sum(increase(http_requests_total{instance="127.0.0.1:8082",route!~"/healthz|/v1\\\\.0/version"}[5s]))',
    );
  });
  it('never renders a zero-length range', () => {
    expect(promDuration(200)).toBe('1s');
    expect(promDuration(1_499)).toBe('1s');
    expect(promDuration(90_000)).toBe('90s');
  });
});
