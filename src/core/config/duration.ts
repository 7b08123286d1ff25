// Durations in the config are strings with a unit ("500ms", "30s", "5m", "1h"), so a bare
// number can never be misread as seconds when it means milliseconds. Parsing that grammar is
// one regular expression; a dependency would accept more forms than the config allows.
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

/** Milliseconds in a duration string such as "2s"; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
}

/** "1.5s", "250ms", "2m" — the short form people read in a status line. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000) ? `${Math.round((ms % 60_000) / 1000)}s` : ''}`;
  return `${Math.floor(ms / 3_600_000)}h${Math.round((ms % 3_600_000) / 60_000) ? `${Math.round((ms % 3_600_000) / 60_000)}m` : ''}`;
}
