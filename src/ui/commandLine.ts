// The `:` line: any verb of the table with its arguments (`:deploy 1.5.0`, `:rollback`,
// `:promote full`, `:q`), completion of verbs and arguments with Tab, and the session's history
// on the up and down keys. An unknown verb or a wrong number of arguments is an error, never
// silently ignored. Pure, apart from `runLine`.
import { closest } from '../core/config/issues.js';
import type { UiContext } from './context.js';
import { invoke } from './verbs/invoke.js';
import type { VerbTable } from './verbs/table.js';
import type { Verb, VerbState } from './verbs/types.js';

export interface ParsedLine {
  verb: Verb;
  args: string[];
}

const words = (text: string) => text.trim().split(/\s+/).filter(Boolean);

/** Every name the line accepts, aliases included. */
const names = (table: VerbTable) => [...new Set(table.verbs.flatMap((v) => [v.name, ...(v.aliases ?? [])]))];

/** The verb and its arguments, or what is wrong with the line. */
export function parseLine(text: string, table: VerbTable): ParsedLine | { error: string } | null {
  const [name, ...args] = words(text);
  if (name === undefined) return null;
  const verb = table.byName(name);
  if (!verb) {
    const guess = closest(name, names(table));
    return { error: `unknown command "${name}"${guess ? ` (did you mean :${guess}?)` : ''}: :help lists them` };
  }
  const spec = verb.args ?? [];
  // a verb's last argument may take the rest of the line (evaluate's key=value context)
  if (args.length > spec.length && !spec.at(-1)?.rest) {
    return {
      error:
        spec.length === 0
          ? `:${verb.name} takes no arguments (got "${args.join(' ')}")`
          : `:${verb.name} takes ${spec.map((a) => `<${a.name}>`).join(' ')}, not "${args.join(' ')}"`,
    };
  }
  return { verb, args };
}

export interface Completion {
  /** the line after Tab */
  text: string;
  /** every candidate for the word under completion (shown when there is more than one) */
  candidates: string[];
}

const commonPrefix = (xs: readonly string[]) =>
  xs.reduce((p, x) => {
    let i = 0;
    while (i < p.length && i < x.length && p[i] === x[i]) i++;
    return p.slice(0, i);
  }, xs[0] ?? '');

/** Tab: completes the verb, or the argument being typed, as far as the candidates agree. */
export function complete(text: string, table: VerbTable, v: VerbState): Completion {
  const parts = text.split(' ');
  const current = parts.at(-1) ?? '';
  let pool: string[];
  if (parts.length === 1) pool = names(table);
  else {
    const verb = table.byName(parts[0]!);
    const arg = verb?.args?.[parts.length - 2];
    pool = arg?.complete?.(v) ?? [];
  }
  const candidates = pool.filter((c) => c.startsWith(current)).sort();
  if (candidates.length === 0) return { text, candidates: [] };
  const done = candidates.length === 1 ? `${candidates[0]!} ` : commonPrefix(candidates);
  return {
    text: [...parts.slice(0, -1), done.length >= current.length ? done : current].join(' '),
    candidates: candidates.length > 1 ? candidates : [],
  };
}

/** The history entry the up (-1) or down (+1) key shows, or the draft when going past the newest. */
export function browse(history: readonly string[], index: number | null, step: -1 | 1): { index: number | null } {
  if (history.length === 0) return { index: null };
  if (index === null) return { index: step === -1 ? history.length - 1 : null };
  const next = index + step;
  if (next < 0) return { index: 0 };
  if (next >= history.length) return { index: null };
  return { index: next };
}

/** Runs one `:` line through the verb table (quit is the caller's). */
export function runLine(ctx: UiContext, text: string, table: VerbTable, quit: () => void): void {
  const parsed = parseLine(text, table);
  const { actions } = ctx.store.getState();
  if (parsed === null) return;
  actions.pushHistory(text.trim());
  if ('error' in parsed) return actions.flash('error', parsed.error);
  if (parsed.verb.name === 'quit') return quit();
  invoke(ctx, parsed.verb, parsed.args);
}
