// Where a rollback goes, decided once. `prodx rollback`, its --json, the dashboard's confirm
// dialog and the rollback operation itself all render or execute this one plan, so what a user
// is asked to confirm is exactly what happens. Pure: the state and the clock are passed in.
import { allTo, type Weights } from '../deploy/router.js';
import type { CanaryRun, EnvironmentState } from '../state/schema.js';

export interface RollbackSide {
  colour: string;
  /** what it runs; null when prodx never learned it */
  version: string | null;
}

interface Moves {
  /** the colour that has (or is getting) the traffic, and the one that gets it back */
  from: RollbackSide;
  to: RollbackSide;
  /** the router weights the rollback sets */
  weights: Weights;
  /**
   * false when traffic never left `to` (a deploy stopped before its switch, a canary still in
   * setup): the rollback only cancels, so there is no health gate to pass first
   */
  trafficMoves: boolean;
  /** why this plan, in a sentence */
  reason: string;
}

export type RollbackPlan =
  /** an unfinished canary (running, or left by a killed prodx): the stable colour gets all traffic back */
  | ({ kind: 'undo-canary'; runId: string; canaryVersion: string } & Moves)
  /** an unfinished deploy: its weights from before the switch come back */
  | ({ kind: 'undo-deploy'; deployId: string; phase: string } & Moves)
  /** the last completed release: the colour that was live before takes the traffic again */
  | ({ kind: 'previous-colour' } & Moves)
  | { kind: 'nothing'; reason: string };

export type ActionablePlan = Exclude<RollbackPlan, { kind: 'nothing' }>;

export interface PlanRollbackInput {
  environment: string;
  /** the environment's target names, in config order */
  colours: readonly string[];
}

const isUnfinished = (run: CanaryRun | null | undefined): run is CanaryRun & { endedAt: undefined } => !!run && run.endedAt === undefined;

function undoCanary(run: CanaryRun, colours: readonly string[]): RollbackPlan {
  const weights = Object.keys(run.weightsBefore).length > 0 ? run.weightsBefore : allTo(run.stableColour, colours);
  const moved = run.setup === 'ready';
  return {
    kind: 'undo-canary',
    runId: run.id,
    canaryVersion: run.version,
    from: { colour: run.canaryColour, version: run.version },
    to: { colour: run.stableColour, version: run.stableVersion },
    weights,
    trafficMoves: moved,
    reason: moved
      ? `the canary of ${run.version} on ${run.canaryColour} is ${run.state.phase}: ${run.stableColour} gets all traffic back`
      : `the canary of ${run.version} is still being set up on ${run.canaryColour}: it is cancelled before it takes traffic`,
  };
}

function undoDeploy(s: EnvironmentState, environment: string): RollbackPlan {
  const a = s.active!;
  if (a.strategy === 'standard' || !a.fromColour || a.fromColour === a.toColour) {
    return {
      kind: 'nothing',
      reason: `the unfinished ${a.strategy} deploy of ${a.version} in ${environment} has no other colour to go back to: finish it with \`prodx deploy --resume\`, or deploy the version you want`,
    };
  }
  const moved = a.phase === 'switching' || a.phase === 'monitoring' || a.phase === 'rolling-back';
  return {
    kind: 'undo-deploy',
    deployId: a.id,
    phase: a.phase,
    from: { colour: a.toColour, version: a.version },
    to: { colour: a.fromColour, version: a.fromVersion ?? s.colours[a.fromColour]?.version ?? null },
    weights: a.weightsBefore,
    trafficMoves: moved,
    reason: moved
      ? `the deploy of ${a.version} to ${a.toColour} stopped in phase ${a.phase}: ${a.fromColour} gets its traffic back`
      : `the deploy of ${a.version} to ${a.toColour} stopped in phase ${a.phase}, before traffic moved: it is cancelled`,
  };
}

/** What `prodx rollback` would do in this environment now. */
export function planRollback(s: EnvironmentState, o: PlanRollbackInput): RollbackPlan {
  if (s.active) return undoDeploy(s, o.environment);
  if (isUnfinished(s.canary)) return undoCanary(s.canary, o.colours);
  const { live, previous } = s;
  if (live && !previous) {
    // A release onto the idle colour after the switch (a canary, aborted or not) replaced what ran there.
    const reinstalled = o.colours.find((c) => c !== live.colour && (s.colours[c]?.updatedAt ?? -1) >= live.since);
    if (reinstalled)
      return {
        kind: 'nothing',
        reason: `nothing to roll back in ${o.environment}: ${reinstalled} now runs ${s.colours[reinstalled]!.version} (installed after ${live.colour} took over), so what ran before ${live.version} is no longer installed anywhere`,
      };
  }
  if (!live || !previous) {
    return {
      kind: 'nothing',
      reason: `nothing to roll back in ${o.environment}: no earlier colour is recorded (prodx records one when a blue-green deploy or a canary completes)`,
    };
  }
  const installedThere = s.colours[previous.colour]?.version;
  if (installedThere !== undefined && installedThere !== previous.version) {
    return {
      kind: 'nothing',
      reason: `nothing to roll back in ${o.environment}: ${previous.colour} now runs ${installedThere}, so ${previous.version} is no longer installed anywhere`,
    };
  }
  return {
    kind: 'previous-colour',
    from: { colour: live.colour, version: live.version },
    to: { colour: previous.colour, version: previous.version },
    weights: allTo(previous.colour, o.colours),
    trafficMoves: true,
    reason: `${previous.colour} ran ${previous.version} before ${live.colour} took over with ${live.version}`,
  };
}

const side = (s: RollbackSide) => `${s.colour} ${s.version ?? '(version unknown)'}`;

/** The plan in words: a title and its lines, the same on the CLI, in --json and in the confirm dialog. */
export function describeRollback(plan: RollbackPlan): { title: string; lines: string[] } {
  if (plan.kind === 'nothing') return { title: 'Nothing to roll back', lines: [plan.reason] };
  const what =
    plan.kind === 'undo-canary'
      ? `Undo the canary of ${plan.canaryVersion}`
      : plan.kind === 'undo-deploy'
        ? `Undo the deploy of ${plan.from.version ?? '?'} (stopped in ${plan.phase})`
        : 'Put traffic back on the previous colour';
  const weights = Object.entries(plan.weights)
    .map(([c, w]) => `${c} ${w}%`)
    .join(', ');
  return {
    title: what,
    lines: [
      `from  ${side(plan.from)}`,
      `to    ${side(plan.to)}`,
      `weights  ${weights}`,
      plan.trafficMoves
        ? `${plan.to.colour} must pass its health gate${plan.to.version ? ` running ${plan.to.version}` : ''} first`
        : 'traffic never moved: nothing is switched',
    ],
  };
}
