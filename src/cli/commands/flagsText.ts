// Plain-text rendering of the flags commands' results (the --json output is the objects
// themselves). Pure: results and output options in, lines out.
import { rolloutLabel } from '../../core/flags/summary.js';
import type { EvaluationResult, FlagsProblem } from '../../core/flags/types.js';
import { flagProblemText } from '../../core/flags/structure.js';
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
  const rows = list.flags.map((f) => [
    `${f.problem !== undefined ? '⚠ ' : ''}${f.key}`,
    stateWord(f.state),
    f.type,
    f.defaultVariant ?? '(code)',
    rolloutLabel(f),
    f.targeting,
  ]);
  const [head, ...body] = table(['KEY', 'STATE', 'TYPE', 'DEFAULT', 'ROLLOUT', 'TARGETING'], rows);
  const painted = body.map((line, i) => (list.flags[i]!.state === 'DISABLED' ? paint(o, 'gray', line) : line));
  return [
    `${paint(o, 'bold', list.file)} · ${list.flags.length} flag${list.flags.length === 1 ? '' : 's'}`,
    paint(o, 'gray', head!),
    ...painted,
  ].join('\n');
}

/** Who an evaluation was for: the targeting key, or the context in short when there is none. */
function subject(context: Record<string, unknown>): string {
  const key = context['targetingKey'];
  if (typeof key === 'string') return key;
  const rest = JSON.stringify(context);
  return rest === '{}' ? 'an empty context' : rest.length > 60 ? `${rest.slice(0, 59)}…` : rest;
}

export function renderEvaluation(r: EvaluationResult, context: Record<string, unknown>, o: OutputOptions): string {
  const head = `${paint(o, 'bold', r.flag)} for ${subject(context)}: `;
  const fallback = r.value === null ? 'the app gets its code default' : `the code default ${JSON.stringify(r.value)} applies`;
  if (r.reason === 'ERROR') {
    return `${head}${paint(o, 'red', `error ${r.errorCode ?? 'GENERAL'}`)}: ${r.errorMessage ?? 'no detail'} (${fallback})`;
  }
  if (r.variant === undefined) return `${head}no variant (${r.reason}): ${fallback}`;
  return `${head}${JSON.stringify(r.value)}\n  variant ${r.variant} · reason ${r.reason}`;
}

/** One warning line per flag that does not validate; with `only`, the others are counted in one line. */
export function renderWarnings(file: string, warnings: FlagsProblem[], o: OutputOptions, only?: readonly string[]): string[] {
  const flags = [...new Set(warnings.map((w) => w.flag!))];
  const shown = only ? flags.filter((f) => only.includes(f)) : flags;
  const lines = shown.map(
    (key) =>
      `${paint(o, 'yellow', 'warning:')} ${file}: flag "${key}" does not pass flagd's checks (${flagProblemText(warnings, key)}); it is served as flagd serves it`,
  );
  const others = flags.length - shown.length;
  if (others > 0)
    lines.push(
      `${paint(o, 'yellow', 'warning:')} ${file}: ${others} ${shown.length ? 'other ' : ''}flag${others === 1 ? '' : 's'} do${others === 1 ? 'es' : ''} not pass flagd's checks: \`prodx flags list\` names them`,
    );
  return lines;
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
