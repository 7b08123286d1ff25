// Small text formatters shared by the screens. Time is passed in, never read here.

/** `3s ago`, `4m ago`, `2h ago`, `5d ago`. */
export function formatAgo(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ago`;
  return `${Math.floor(h / 24)}d ago`;
}

/** `2025-01-31 14:05` in local time. */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** `1.2s`, `850ms`, `3m 5s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

/** A running clock: `0s`, `42s`, `3m 05s`, `1h 02m`. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const p = (n: number) => String(n).padStart(2, '0');
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${p(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${p(m % 60)}m`;
}

/** The first row to show so `cursor` is visible in `rows` lines. Pure. */
export function scrollTop(cursor: number, count: number, rows: number): number {
  if (count <= rows || rows <= 0) return 0;
  return Math.max(0, Math.min(cursor - Math.floor(rows / 2), count - rows));
}

/** The window of a list that fits `rows` lines around `cursor`, and what is left above and below. */
export function listWindow<T>(
  items: readonly T[],
  cursor: number,
  rows: number,
): { top: number; shown: T[]; above: number; below: number } {
  const room = Math.max(0, rows);
  const top = scrollTop(cursor, items.length, room);
  const shown = items.slice(top, top + room);
  return { top, shown, above: top, below: Math.max(0, items.length - top - shown.length) };
}

/** `text` word-wrapped at `width` (a word longer than a line is broken), as Ink wraps. Pure. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = '';
    }
    while (w.length > width) {
      lines.push((line ? `${line} ` : '') + w.slice(0, width - (line ? line.length + 1 : 0)));
      w = w.slice(width - (line ? line.length + 1 : 0));
      line = '';
    }
    line = line ? `${line} ${w}` : w;
  }
  lines.push(line);
  return lines;
}
