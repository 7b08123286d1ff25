// The canary in text, for `prodx canary deploy|status` and `--watch`: the plan, one line per
// analysis interval (with its rules in detail), and the run's status.
import type { CanaryView } from '../core/canary/view.js';
import type { CanaryInterval, CanaryRun } from '../core/state/schema.js';
import type { CanaryPlan } from '../operations/canary/plan.js';
import { paint, type OutputOptions } from './output.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const time = (at: number) => new Date(at).toISOString().slice(11, 19);

function side(o: CanaryInterval['canary'] | null): string {
  if (!o) return 'no data';
  if ('missing' in o) return `no data (${o.missing})`;
  const rate = o.requests > 0 ? pct(o.errors / o.requests) : '-';
  return `${o.requests} req, ${rate} errors, p95 ${o.p95Ms === null ? '-' : `${Math.round(o.p95Ms)}ms`}`;
}

export type RunColours = Pick<CanaryRun, 'steps' | 'canaryColour' | 'stableColour'>;

/** One analysis interval as a line (and its rules, when `detail`). */
export function intervalText(i: CanaryInterval, run: RunColours, o: OutputOptions, detail: boolean): string {
  const colour = i.action === 'abort' ? 'red' : i.action === 'advance' ? 'green' : 'yellow';
  const head = `${time(i.at)} step ${i.step + 1}/${run.steps.length} ${i.weight}%  ${run.canaryColour}: ${side(i.canary)} | ${run.stableColour}: ${side(i.stable)}  ${paint(o, colour, i.action)}`;
  if (!detail) return `${head}\n    ${paint(o, 'gray', i.reason)}`;
  const rules = i.results.map((r) => {
    const c = r.verdict === 'fail' ? 'red' : r.verdict === 'pass' ? 'green' : 'yellow';
    return `    ${r.rule.padEnd(10)} ${paint(o, c, r.verdict.padEnd(12))} ${r.reason}`;
  });
  return [head, ...rules].join('\n');
}

export function planText(plan: CanaryPlan): string {
  return [
    `plan: canary ${plan.version} on ${plan.canaryColour}, stable ${plan.stableColour}${plan.stableVersion ? ` (${plan.stableVersion})` : ''}`,
    ...plan.lines.map((l, i) => `  ${i + 1}. ${l}`),
  ].join('\n');
}

/** The step bar: ✓ passed, ▶ current, plain pending. */
function stepBar(v: CanaryView, o: OutputOptions): string {
  const current = v.phase === 'promoted' || v.phase === 'promoting' ? v.steps.length : (v.step ?? -1);
  return v.steps
    .map((p, i) =>
      i < current
        ? paint(o, 'green', `✓${p}`)
        : i === current
          ? paint(o, v.phase === 'aborted' ? 'red' : 'bold', `▶${p}`)
          : paint(o, 'gray', ` ${p}`),
    )
    .join('  ');
}

export function statusText(run: CanaryRun, v: CanaryView, o: OutputOptions, runner: string | null): string {
  const reason = v.reason && (v.phase === 'aborted' || v.phase === 'rolled-back') ? `\n  reason: ${paint(o, 'red', v.reason)}` : '';
  const last = run.analysis.at(-1);
  const rev = v.revision !== null ? `#${v.revision} ` : '';
  return [
    `canary ${rev}${run.version} on ${run.canaryColour}, stable ${run.stableColour}${run.stableVersion ? ` (${run.stableVersion})` : ''}: ${paint(o, 'bold', v.words)}${reason}`,
    `  steps  ${stepBar(v, o)}   ✔${v.intervals.passed} ✖${v.intervals.failed}`,
    `  started ${new Date(run.startedAt).toISOString()} by ${run.by}; ${run.analysis.length} interval(s) analysed${runner ? `; ${runner}` : ''}`,
    ...(last ? ['  last interval:', intervalText(last, run, o, true)] : []),
  ].join('\n');
}
