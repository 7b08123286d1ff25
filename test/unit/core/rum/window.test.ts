import { describe, expect, it } from 'vitest';
import { bucketStarts, namedWindow } from '../../../../src/core/rum/window.js';

const HOUR = 3_600_000;
const MID_HOUR = Date.UTC(2026, 11, 2, 13, 40);

describe('report windows', () => {
  it('24h in the middle of an hour covers 25 clock hours and its trend stays hourly', () => {
    const w = namedWindow('24h', MID_HOUR);
    expect(w.until - w.from).toBe(25 * HOUR);
    expect(w.bucketMs).toBe(HOUR);
    expect(bucketStarts(w)).toHaveLength(25);
  });

  it('7d and 28d trends are daily', () => {
    expect(namedWindow('7d', MID_HOUR).bucketMs).toBe(24 * HOUR);
    expect(namedWindow('28d', MID_HOUR).bucketMs).toBe(24 * HOUR);
  });
});
