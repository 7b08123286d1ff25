// How an error group reads in a line, for the CLI and the Errors screen alike: a sparkline of its
// trend and the short id (as git shows commits).
const BARS = '▁▂▃▄▅▆▇█';

/** one character per bucket, scaled to the largest; an empty bucket is a space */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  return counts.map((n) => (n === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((n / max) * (BARS.length - 1)))]!)).join('');
}

export const shortId = (id: string) => id.slice(0, 8);
