// Prints an operation's events as they come: JSON lines with --watch --json (each with `ok`),
// else text on stderr (stdout keeps the result). One printer for deploys, rollbacks and canaries.
import { say } from '../core/words.js';
import type { OperationEvent } from '../operations/events.js';
import { intervalText, planText, type RunColours } from './canaryText.js';
import { err, paint, printJsonLine, type OutputOptions } from './output.js';

export function eventPrinter(o: OutputOptions, watch: boolean): (e: OperationEvent) => void {
  // the plan of the canary being run, for naming the colours in interval lines
  let colours: RunColours = { steps: [], canaryColour: 'canary', stableColour: 'stable' };
  return (e) => {
    if (e.type === 'canary-plan') colours = e.plan;
    if (o.json) {
      if (watch) printJsonLine({ event: e.type, ...e }, !(e.type === 'phase' && (e.phase === 'failed' || e.phase === 'rolled-back')));
      return;
    }
    const line = (s: string) => err(`${s}\n`);
    switch (e.type) {
      case 'plan':
        if (!watch) return;
        return line(
          `plan: ${e.deployment.version} → ${e.deployment.toColour} (${e.deployment.strategy})\n${e.steps.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}`,
        );
      case 'phase':
        return line(`${paint(o, 'bold', say(e.phase))}${e.reason ? `: ${e.reason}` : ''}`);
      case 'hook':
        return line(paint(o, 'gray', `  | ${e.line}`));
      case 'probe':
        return watch ? line(`  probe ${e.colour}: ${e.verdict.reason}`) : undefined;
      case 'check':
        return line(`  check: ${e.check.verdict} — ${e.check.reason}`);
      case 'warning':
        return line(paint(o, 'yellow', `warning: ${e.message}`));
      case 'rollback-plan':
        return line(`rollback: ${e.plan.from.colour} → ${e.plan.to.colour}: ${e.plan.reason}`);
      case 'canary-plan':
        return line(planText(e.plan));
      case 'interval':
        return line(intervalText(e.interval, colours, o, watch));
      case 'transition': {
        const w = Object.entries(e.weights)
          .map(([c, n]) => `${c} ${n}%`)
          .join(', ');
        const colour = e.state.phase === 'aborted' || e.state.phase === 'rolled-back' ? 'red' : 'bold';
        return line(`${paint(o, colour, say(e.state.phase))} (${w}): ${e.cause}`);
      }
    }
  };
}
