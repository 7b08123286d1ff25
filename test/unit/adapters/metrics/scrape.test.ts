import { describe, expect, it } from 'vitest';
import { countRequests, delta } from '../../../../src/adapters/metrics/scrape.js';

const TEXT = `# HELP http_requests_total HTTP requests served
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/",status_code="200"} 80
http_requests_total{method="GET",route="/",status_code="500"} 20
http_requests_total{method="GET",route="/healthz",status_code="200"} 50
http_requests_total{method="GET",route="/version",status_code="200"} 10
`;

describe('countRequests', () => {
  it('totals the counter and its 5xx part across status labels', () => {
    expect(countRequests(TEXT)).toEqual({ requests: 160, errors: 20 });
    expect(countRequests('# TYPE x counter\nhttp_requests_total{code="503"} 3\nhttp_requests_total{code="201"} 1\n')).toEqual({
      requests: 4,
      errors: 3,
    });
  });
  it("leaves prodx's own probe routes out, so they do not dilute the error rate", () => {
    expect(countRequests(TEXT, 'http_requests_total', ['/healthz', '/version'])).toEqual({ requests: 100, errors: 20 });
  });
  it('is null when the counter is absent', () => {
    expect(countRequests('# TYPE other counter\nother 1\n')).toBeNull();
  });
});

describe('delta', () => {
  it('is the difference, or the new counts after a restart reset them', () => {
    expect(delta({ requests: 100, errors: 5 }, { requests: 160, errors: 8 })).toEqual({ requests: 60, errors: 3 });
    expect(delta({ requests: 100, errors: 5 }, { requests: 12, errors: 1 })).toEqual({ requests: 12, errors: 1 });
  });
});
