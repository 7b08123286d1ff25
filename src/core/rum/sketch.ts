// Quantiles from @datadog/sketches-js's DDSketch (relative accuracy 0.5%: a p75 of 2,500 ms is
// right to ±12.5 ms, and sketches of any two hours or collectors merge exactly). Stored as JSON
// bins rather than the library's protobuf (which needs protobufjs): the bins are the sketch's own
// public store (key → count), so a stored sketch is rebuilt bin for bin with `store.add`.
import { DDSketch } from '@datadog/sketches-js';

export const RELATIVE_ACCURACY = 0.005;

export interface SketchJson {
  /** bin keys and their counts, in step */
  k: number[];
  c: number[];
  zero: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export const newSketch = () => new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });

export function sketchToJson(s: DDSketch): SketchJson {
  const k: number[] = [];
  const c: number[] = [];
  const { bins, offset } = s.store;
  for (let i = 0; i < bins.length; i++) {
    const n = bins[i]!;
    if (n > 0) {
      k.push(i + offset);
      c.push(n);
    }
  }
  return { k, c, zero: s.zeroCount, count: s.count, sum: s.sum, min: s.min, max: s.max };
}

/** Adds a stored sketch into `into` (a fresh one when absent): merging is adding bins. */
export function mergeSketchJson(j: SketchJson, into: DDSketch = newSketch()): DDSketch {
  for (let i = 0; i < j.k.length; i++) into.store.add(j.k[i]!, j.c[i]!);
  into.zeroCount += j.zero;
  into.count += j.count;
  into.sum += j.sum;
  if (j.count > 0) {
    into.min = Math.min(into.min, j.min);
    into.max = Math.max(into.max, j.max);
  }
  return into;
}

/** The value at quantile q (0..1), or null for an empty sketch. */
export function quantile(s: DDSketch, q: number): number | null {
  return s.count > 0 ? s.getValueAtQuantile(q) : null;
}
