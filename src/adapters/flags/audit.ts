// The flags audit history: `.prodx/flags/audit.ndjson`, one change per line (who, when, the
// flag before and after). Append-only, so a history is never rewritten; a line is written
// with one append call, which the OS keeps whole for lines this short.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from '../../core/flags/types.js';

export const AUDIT_FILE = 'audit.ndjson';

/** `.prodx/flags`: the flags lock, audit history, events and the OFREP server's record. */
export const flagsDirOf = (stateDir: string): string => join(stateDir, 'flags');

export function appendAudit(dir: string, entry: AuditEntry): void {
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, AUDIT_FILE), `${JSON.stringify(entry)}\n`);
}

const isEntry = (v: unknown): v is AuditEntry =>
  typeof v === 'object' && v !== null && typeof (v as AuditEntry).flag === 'string' && typeof (v as AuditEntry).at === 'number';

/** Newest first; `flag` narrows it to one flag. A damaged line is skipped, not fatal. */
export function readAudit(dir: string, opts: { flag?: string; limit?: number } = {}): AuditEntry[] {
  let text: string;
  try {
    text = readFileSync(join(dir, AUDIT_FILE), 'utf8');
  } catch {
    return [];
  }
  const out: AuditEntry[] = [];
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0 && out.length < (opts.limit ?? Infinity); i--) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    try {
      const entry: unknown = JSON.parse(line);
      if (isEntry(entry) && (opts.flag === undefined || entry.flag === opts.flag)) out.push(entry);
    } catch {
      /* a line cut short by a crash: the rest of the history still counts */
    }
  }
  return out;
}
