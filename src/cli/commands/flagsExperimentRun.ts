// `prodx flags experiment <flag>` and `prodx simulate experiment`: the results table and the
// verdict as text, or the whole analysis as JSON. Exit 1 when the sample ratio is off (the
// numbers cannot be trusted: a red gate), else 0.
import { ExitCode, ProdxError } from '../../core/errors.js';
import { formatP, type ExperimentResult } from '../../core/flags/experiment/analyze.js';
import { flagsSource } from '../../operations/flags.js';
import { runExperiment as analyse, simulateExperiment } from '../../operations/flagsExperiment.js';
import type { OperationContext } from '../../operations/context.js';
import { paint, printJson, type OutputOptions } from '../output.js';
import { table } from './flagsText.js';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const signed = (x: number, digits = 1) => `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(digits)}`;
const n = (x: number) => x.toLocaleString('en-US');

function confidenceArg(raw: string): number {
  const c = Number(raw);
  if (!(c > 0.5 && c < 1)) throw new ProdxError('usage', `--confidence is a level between 0.5 and 1, got "${raw}": pass e.g. 0.95.`);
  return c;
}

export function renderExperiment(r: ExperimentResult, o: OutputOptions): string {
  const level = Math.round(r.confidence * 100);
  const rows = r.variants.map((v) => {
    const c = v.comparison;
    return [
      v.variant === r.control ? `${v.variant} (baseline)` : v.variant,
      n(v.users),
      n(v.conversions),
      pct(v.rate, 2),
      c ? `${signed(c.absolute.estimate, 2)} pp (${signed(c.absolute.low, 2)} to ${signed(c.absolute.high, 2)})` : '—',
      c?.relative ? `${signed(c.relative.estimate)}% (${signed(c.relative.low)}% to ${signed(c.relative.high)}%)` : '—',
      c?.pValue != null ? (c.pValue < 0.001 ? '<0.001' : c.pValue.toFixed(3)) : '—',
      c?.chanceToBeat != null ? (c.chanceToBeat > 0.999 ? '>99.9%' : c.chanceToBeat < 0.001 ? '<0.1%' : pct(c.chanceToBeat)) : '—',
    ];
  });
  const [head, ...body] = table(
    ['VARIANT', 'USERS', 'CONVERTED', 'RATE', `ABSOLUTE (${level}% CI)`, `RELATIVE (${level}% CI)`, 'P-VALUE', 'CHANCE TO BEAT'],
    rows,
  );
  const srm = r.srm
    ? `sample ratio: χ² = ${r.srm.chiSquare.toFixed(2)}, ${formatP(r.srm.pValue)}${r.srmWarning ? '' : ' (matches the configured split)'}`
    : 'sample ratio: not checked (needs users in at least two variants of the split)';
  const lines = [
    `${paint(o, 'bold', r.flag)} · metric ${r.metric} · control ${r.control} · ${level}% confidence`,
    paint(o, 'gray', head!),
    ...body,
    r.srmWarning ? paint(o, 'red', `warning: ${r.srmWarning}`) : srm,
  ];
  if (r.excludedUsers > 0) lines.push(`${n(r.excludedUsers)} users saw more than one variant and are left out`);
  const colour = r.decision === 'ship' ? 'green' : r.decision === 'invalid' || r.decision === 'dont-ship' ? 'red' : 'yellow';
  lines.push(`verdict: ${paint(o, colour, r.verdict)}`);
  return lines.join('\n');
}

export function runExperiment(
  ctx: OperationContext,
  o: OutputOptions,
  flag: string,
  opts: { metric?: string; control?: string; events?: string; confidence: string },
): number {
  const r = analyse(flagsSource(ctx), flag, {
    confidence: confidenceArg(opts.confidence),
    ...(opts.metric ? { metric: opts.metric } : {}),
    ...(opts.control ? { control: opts.control } : {}),
    ...(opts.events ? { eventsFile: opts.events } : {}),
  });
  if (o.json) printJson({ ok: true, ...r });
  else process.stdout.write(`${renderExperiment(r, o)}\n`);
  return r.decision === 'invalid' ? ExitCode.failed : ExitCode.ok;
}

export function runSimulateExperiment(
  o: OutputOptions,
  opts: { fixture: string; metric?: string; control?: string; steps: string },
): number {
  const steps = Number(opts.steps);
  if (!Number.isInteger(steps) || steps < 1 || steps > 100)
    throw new ProdxError('usage', `--steps is a whole number from 1 to 100, got "${opts.steps}".`);
  const sim = simulateExperiment(opts.fixture, {
    steps,
    ...(opts.metric ? { metric: opts.metric } : {}),
    ...(opts.control ? { control: opts.control } : {}),
  });
  if (o.json) {
    printJson({
      ok: true,
      fixture: sim.fixture,
      events: sim.events,
      skipped: sim.skipped,
      checkpoints: sim.checkpoints,
      result: sim.final,
    });
  } else {
    const rows = sim.checkpoints.map((c) => [
      n(c.events),
      c.at !== null ? new Date(c.at).toISOString().slice(0, 16).replace('T', ' ') : '—',
      Object.values(c.users).map(n).join(' / '),
      c.pValue !== null ? formatP(c.pValue) : '—',
      c.decision,
    ]);
    const lines = [
      `replaying ${sim.fixture}: ${n(sim.events)} events`,
      ...table(['EVENTS', 'AT (UTC)', 'USERS', 'P', 'DECISION'], rows),
      '',
      renderExperiment(sim.final, o),
    ];
    if (sim.skipped.length) lines.push(`${sim.skipped.length} lines skipped (first: ${sim.skipped[0]})`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return sim.final.decision === 'invalid' ? ExitCode.failed : ExitCode.ok;
}
