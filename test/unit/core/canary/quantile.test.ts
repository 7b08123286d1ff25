import { describe, expect, it } from 'vitest';
import { bucketDeltas, histogramQuantileMs, mergeBuckets } from '../../../../src/core/canary/quantile.js';

// cumulative: 10 ≤ 0.1s, 60 ≤ 0.5s, 90 ≤ 1s, 100 in all
const B = [
  { le: 0.1, count: 10 },
  { le: 0.5, count: 60 },
  { le: 1, count: 90 },
  { le: Infinity, count: 100 },
];

describe('histogramQuantileMs (PromQL histogram_quantile semantics)', () => {
  it.each([
    // rank q*100 falls into a bucket; lower + (upper - lower) * (rank - below) / inBucket, in ms
    [0.05, 0 + (0.1 - 0) * (5 / 10)],
    [0.5, 0.1 + (0.5 - 0.1) * ((50 - 10) / (60 - 10))],
    [0.75, 0.5 + (1 - 0.5) * ((75 - 60) / (90 - 60))],
    [0.9, 0.5 + (1 - 0.5) * ((90 - 60) / (90 - 60))],
  ])('q=%s interpolates inside its bucket', (q, seconds) => {
    expect(histogramQuantileMs(q, B)).toBeCloseTo(seconds * 1000, 9);
  });

  it('a rank in the +Inf bucket answers the highest finite bound', () => {
    expect(histogramQuantileMs(0.95, B)).toBe(1000);
    expect(histogramQuantileMs(0.99, B)).toBe(1000);
  });

  it('is null without observations, without a +Inf bucket, or for a q outside 0..1', () => {
    expect(histogramQuantileMs(0.95, [])).toBeNull();
    expect(
      histogramQuantileMs(
        0.95,
        B.map((b) => ({ ...b, count: 0 })),
      ),
    ).toBeNull();
    expect(histogramQuantileMs(0.95, B.slice(0, 3))).toBeNull();
    expect(histogramQuantileMs(1.5, B)).toBeNull();
  });

  it('sorts buckets and evens out non-monotonic counts', () => {
    expect(histogramQuantileMs(0.5, [...B].reverse())).toBeCloseTo(420, 9);
    const dip = [
      { le: 0.1, count: 10 },
      { le: 0.5, count: 9 },
      { le: Infinity, count: 10 },
    ];
    expect(histogramQuantileMs(0.5, dip)).toBeCloseTo(50, 9);
  });
});

describe('bucketDeltas and mergeBuckets', () => {
  it('subtracts the earlier counts bound by bound', () => {
    const before = B.map((b) => ({ ...b, count: b.count / 2 }));
    expect(bucketDeltas(before, B)).toEqual(B.map((b) => ({ le: b.le, count: b.count / 2 })));
  });

  it('a count that went down is a restart: the later counts are the interval', () => {
    const before = B.map((b) => ({ ...b, count: b.count * 3 }));
    expect(bucketDeltas(before, B)).toEqual(B);
  });

  it('adds series per bound', () => {
    expect(mergeBuckets(B, B)).toEqual(B.map((b) => ({ le: b.le, count: b.count * 2 })));
  });
});
