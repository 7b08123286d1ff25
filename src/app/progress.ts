// Folds the events of a deploy or rollback into what the Deploy screen shows. Pure.
import { say } from '../core/words.js';
import { oneLine } from '../core/text.js';
import type { OperationEvent as DeployEvent } from '../operations/events.js';
import type { DeployProgress } from '../store/types.js';

const LOG_LINES = 50;

export function startProgress(operation: DeployProgress['operation'], version: string | null, now: number): DeployProgress {
  return {
    operation,
    version,
    fromColour: null,
    toColour: null,
    phase: operation === 'deploy' ? 'planning' : 'rolling-back',
    startedAt: now,
    phaseStartedAt: now,
    running: true,
    plan: [],
    log: [],
  };
}

// a hook's long line is one bounded log line, never a wall of text on the screen
const push = (log: string[], line: string) => [...log, oneLine(line, 500)].slice(-LOG_LINES);

export function foldEvent(p: DeployProgress, e: DeployEvent): DeployProgress {
  switch (e.type) {
    case 'plan':
      return { ...p, version: e.deployment.version, fromColour: e.deployment.fromColour, toColour: e.deployment.toColour, plan: e.steps };
    case 'phase':
      return { ...p, phase: e.phase, phaseStartedAt: e.at, log: e.reason ? push(p.log, `${say(e.phase)}: ${e.reason}`) : p.log };
    case 'hook':
      return { ...p, log: push(p.log, `| ${e.line}`) };
    case 'probe':
      return { ...p, log: push(p.log, `probe ${e.colour}: ${e.verdict.reason}`) };
    case 'check':
      return { ...p, log: push(p.log, `check ${e.check.verdict}: ${e.check.reason}`) };
    case 'warning':
      return { ...p, log: push(p.log, `warning: ${e.message}`) };
    case 'transition':
      return { ...p, phase: e.state.phase, phaseStartedAt: e.at, log: push(p.log, `${say(e.state.phase)}: ${e.cause}`) };
    case 'interval':
      return { ...p, log: push(p.log, `step ${e.interval.step + 1} (${e.interval.weight}%): ${e.interval.action} — ${e.interval.reason}`) };
    case 'canary-plan':
      return { ...p, version: e.plan.version, fromColour: e.plan.stableColour, toColour: e.plan.canaryColour, plan: e.plan.lines };
    case 'rollback-plan':
      return { ...p, fromColour: e.plan.from.colour, toColour: e.plan.to.colour, log: push(p.log, `rollback: ${e.plan.reason}`) };
  }
}

export function endProgress(p: DeployProgress, ok: boolean, text: string): DeployProgress {
  return { ...p, running: false, outcome: { ok, text } };
}
