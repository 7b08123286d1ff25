// Folds the events of a deploy or rollback into what the Deploy screen shows. Pure.
import type { DeployEvent } from '../operations/deployRuntime.js';
import type { DeployProgress } from './types.js';

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

const push = (log: string[], line: string) => [...log, line].slice(-LOG_LINES);

export function foldEvent(p: DeployProgress, e: DeployEvent): DeployProgress {
  switch (e.type) {
    case 'plan':
      return { ...p, version: e.deployment.version, fromColour: e.deployment.fromColour, toColour: e.deployment.toColour, plan: e.steps };
    case 'phase':
      return { ...p, phase: e.phase, phaseStartedAt: e.at, log: e.reason ? push(p.log, `${e.phase}: ${e.reason}`) : p.log };
    case 'hook':
      return { ...p, log: push(p.log, `| ${e.line}`) };
    case 'probe':
      return { ...p, log: push(p.log, `probe ${e.colour}: ${e.verdict.reason}`) };
    case 'check':
      return { ...p, log: push(p.log, `check ${e.check.verdict}: ${e.check.reason}`) };
    case 'warning':
      return { ...p, log: push(p.log, `warning: ${e.message}`) };
    case 'transition':
      return { ...p, phase: e.state.phase, phaseStartedAt: e.at, log: push(p.log, `${e.state.phase}: ${e.cause}`) };
    case 'interval':
      return { ...p, log: push(p.log, `step ${e.interval.step + 1} (${e.interval.weight}%): ${e.interval.action} — ${e.interval.reason}`) };
    case 'canary-plan':
      return { ...p, version: e.plan.version, fromColour: e.plan.stableColour, toColour: e.plan.canaryColour, plan: e.plan.lines };
  }
}

export function endProgress(p: DeployProgress, ok: boolean, text: string): DeployProgress {
  return { ...p, running: false, outcome: { ok, text } };
}
