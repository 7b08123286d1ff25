// The events of one POST /v1/rum body: one JSON event, a JSON array, or NDJSON (one event a line;
// a line that is not JSON is one rejection, the others still count).
export function splitEvents(body: string): { values: unknown[]; badLines: number } {
  const trimmed = body.trim();
  if (!trimmed) return { values: [], badLines: 0 };
  try {
    const v: unknown = JSON.parse(trimmed);
    return { values: Array.isArray(v) ? v : [v], badLines: 0 };
  } catch {
    // NDJSON: one event per line; a line that is not JSON is one rejection
    const values: unknown[] = [];
    let badLines = 0;
    for (const line of trimmed.split('\n')) {
      if (!line.trim()) continue;
      try {
        values.push(JSON.parse(line));
      } catch {
        badLines++;
      }
    }
    return { values, badLines };
  }
}
