// Plain-text rendering of the flags commands' results (the --json output is the objects
// themselves). Pure: results and output options in, lines out.
import { rolloutLabel } from '../../core/flags/summary.js';
import type { EvaluationResult } from '../../core/flags/types.js';
import type { ChangeResult, FlagList, FlagReport } from '../../operations/flags.js';
import { paint, type OutputOptions } from '../output.js';

/** Left-aligned columns; the last one takes the rest of the line. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

const stateWord = (s: string) => (s === 'ENABLED' ? 'enabled' : 'disabled');

export function renderList(list: FlagList, o: OutputOptions): string {
  const rows = list.flags.map((f) => [f.key, stateWord(f.state), f.type, f.defaultVariant ?? '(code)', rolloutLabel(f), f.targeting]);
  const [head, ...body] = table(['KEY', 'STATE', 'TYPE', 'DEFAULT', 'ROLLOUT', 'TARGETING'], rows);
  const painted = body.map((line, i) => (list.flags[i]!.state === 'DISABLED' ? paint(o, 'gray', line) : line));
  return [
    `${paint(o, 'bold', list.file)} · ${list.flags.length} flag${list.flags.length === 1 ? '' : 's'}`,
    paint(o, 'gray', head!),
    ...painted,
  ].join('\n');
}

export function renderEvaluation(r: EvaluationResult, targetingKey: string, o: OutputOptions): string {
  const head = `${paint(o, 'bold', r.flag)} for ${targetingKey}: `;
  if (r.reason === 'ERROR') {
    return `${head}${paint(o, 'red', `error ${r.errorCode ?? 'GENERAL'}`)}: ${r.errorMessage ?? 'no detail'} (the app gets its code default)`;
  }
  if (r.variant === undefined) return `${head}no variant (${r.reason}): the app gets its code default`;
  return `${head}${JSON.stringify(r.value)}\n  variant ${r.variant} · reason ${r.reason}`;
}

export function renderChange(r: ChangeResult, o: OutputOptions): string {
  if (!r.changed) return `${paint(o, 'bold', r.flag)}: ${r.summary} (nothing written)`;
  return `${paint(o, 'bold', r.flag)}: ${paint(o, 'green', r.summary)} (recorded in the audit history by ${r.audit?.by ?? '?'})`;
}

const counts = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
    .join(', ') || '—';

export function renderReport(r: FlagReport, o: OutputOptions): string {
  const rows = r.flags.map((f) => [
    f.key,
    stateWord(f.state),
    Object.keys(f.variants).join(', '),
    f.rollout
      ? Object.entries(f.rollout.percent)
          .map(([v, p]) => `${Math.round(p * 10) / 10}% ${v}`)
          .join(', ')
      : '—',
    f.evaluationsTotal.toLocaleString('en-US'),
    `${f.exposures.toLocaleString('en-US')} (${counts(f.usersByVariant)})`,
  ]);
  const [head, ...body] = table(['KEY', 'STATE', 'VARIANTS', 'SPLIT', 'EVALUATIONS', 'EXPOSURES (USERS BY VARIANT)'], rows);
  const since = r.countingSince
    ? `evaluations counted since ${new Date(r.countingSince).toISOString()}`
    : 'no evaluations served yet (start the endpoint: prodx flags start)';
  return [`${paint(o, 'bold', r.file)} · ${since}`, paint(o, 'gray', head!), ...body].join('\n');
}
