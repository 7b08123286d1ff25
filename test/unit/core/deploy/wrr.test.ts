import { describe, expect, it } from 'vitest';
import { WeightedRoundRobin } from '../../../../src/core/deploy/wrr.js';
import type { Weights } from '../../../../src/core/deploy/router.js';

const picks = (wrr: WeightedRoundRobin, n: number, exclude?: Set<string>) => Array.from({ length: n }, () => wrr.pick(exclude));
const counts = (seq: (string | null)[]) =>
  seq.reduce<Record<string, number>>((acc, c) => ({ ...acc, [String(c)]: (acc[String(c)] ?? 0) + 1 }), {});

describe('WeightedRoundRobin', () => {
  it.each<[Weights, Record<string, number>]>([
    [{ blue: 100, green: 0 }, { blue: 100 }],
    [{ blue: 0, green: 100 }, { green: 100 }],
    [
      { blue: 95, green: 5 },
      { blue: 95, green: 5 },
    ],
    [
      { blue: 90, green: 10 },
      { blue: 90, green: 10 },
    ],
    [
      { blue: 75, green: 25 },
      { blue: 75, green: 25 },
    ],
    [
      { blue: 50, green: 50 },
      { blue: 50, green: 50 },
    ],
    [
      { blue: 1, green: 99 },
      { blue: 1, green: 99 },
    ],
    [
      { blue: 33, green: 33, red: 34 },
      { blue: 33, green: 33, red: 34 },
    ],
  ])('%j gives exactly the split in every 100 consecutive picks', (weights, expected) => {
    const seq = picks(new WeightedRoundRobin(weights), 1000);
    // periodic with period 100, so every window of 100 (not only aligned ones) holds the split
    for (let start = 0; start + 100 <= seq.length; start += 7) expect(counts(seq.slice(start, start + 100))).toEqual(expected);
  });

  it('spreads the small share out instead of sending it in a burst', () => {
    const seq = picks(new WeightedRoundRobin({ blue: 95, green: 5 }), 100);
    const greenAt = seq.flatMap((c, i) => (c === 'green' ? [i] : []));
    expect(greenAt).toHaveLength(5);
    const gaps = greenAt.slice(1).map((at, i) => at - greenAt[i]!);
    expect(gaps.every((g) => g === 20)).toBe(true);
    expect(picks(new WeightedRoundRobin({ blue: 50, green: 50 }), 6)).toEqual(['blue', 'green', 'blue', 'green', 'blue', 'green']);
  });

  it('never picks a colour with weight 0', () => {
    const seq = picks(new WeightedRoundRobin({ blue: 0, green: 100, red: 0 }), 300);
    expect(counts(seq)).toEqual({ green: 300 });
  });

  it('follows new weights exactly from the next pick when they change mid-stream', () => {
    const wrr = new WeightedRoundRobin({ blue: 90, green: 10 });
    picks(wrr, 37); // part-way through a cycle
    wrr.setWeights({ blue: 20, green: 80 });
    expect(counts(picks(wrr, 100))).toEqual({ blue: 20, green: 80 });
    wrr.setWeights({ blue: 0, green: 100 });
    expect(counts(picks(wrr, 100))).toEqual({ green: 100 });
    expect(wrr.getWeights()).toEqual({ blue: 0, green: 100 });
  });

  it('skips excluded colours, so a retry goes elsewhere, and returns null when none is left', () => {
    const wrr = new WeightedRoundRobin({ blue: 50, green: 50 });
    expect(counts(picks(wrr, 10, new Set(['green'])))).toEqual({ blue: 10 });
    expect(wrr.pick(new Set(['blue', 'green']))).toBeNull();
    expect(new WeightedRoundRobin({ blue: 0, green: 100 }).pick(new Set(['green']))).toBeNull();
  });

  it('returns null when every weight is 0 or there are no colours', () => {
    expect(picks(new WeightedRoundRobin({ blue: 0, green: 0 }), 3)).toEqual([null, null, null]);
    expect(new WeightedRoundRobin({}).pick()).toBeNull();
  });

  it('does not share its weights with the caller', () => {
    const weights = { blue: 100, green: 0 };
    const wrr = new WeightedRoundRobin(weights);
    weights.green = 100;
    wrr.getWeights().blue = 0;
    expect(counts(picks(wrr, 10))).toEqual({ blue: 10 });
  });
});
