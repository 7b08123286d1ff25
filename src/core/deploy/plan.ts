// Which colour a deploy goes to and which weights it ends with. Pure: the caller passes what
// it knows (the state, the router's weights when the state has none, the clock).
import { ProdxError } from '../errors.js';
import type { ActiveDeployment, EnvironmentState } from '../state/schema.js';
import { allTo, liveColourOf, type Weights } from './router.js';

export type Strategy = 'blue-green' | 'standard';

export interface PlanInput {
  envState: EnvironmentState;
  /** the environment's target names, in config order */
  colours: readonly string[];
  version: string;
  strategy: Strategy;
  /** the router's weights: where traffic really goes (the state is the fallback when they are unknown) */
  routerWeights: Weights | null;
  /** what the live colour reported it runs, when the state does not know (adopting an environment) */
  probedLiveVersion?: string | null;
  id: string;
  by: string;
  now: number;
}

// Versions end up in environment variables, file names and log lines: keep them to the
// characters versions are made of, so nothing a user types can reach a shell.
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

export function validateVersion(version: string): void {
  if (!VERSION.test(version)) {
    throw new ProdxError(
      'invalid-version',
      `version ${JSON.stringify(version)} is not allowed: use letters, digits, dots, dashes, underscores and plus (at most 64), starting with a letter or digit, e.g. 1.4.2 or 2026.11.28-rc1.`,
    );
  }
}

/** The live colour: the router's, where its weights can be read (it is where traffic goes), else the state's. */
export function liveColour(envState: EnvironmentState, routerWeights: Weights | null): string | null {
  return liveColourOf(routerWeights) ?? envState.live?.colour ?? null;
}

/** What the live colour runs, as far as prodx knows: the state's record of it; null when unknown. */
export function knownVersion(envState: EnvironmentState, colour: string): string | null {
  return envState.colours[colour]?.version ?? (envState.live?.colour === colour ? envState.live.version : null);
}

export function planDeploy(input: PlanInput): ActiveDeployment {
  validateVersion(input.version);
  const { colours, envState } = input;
  if (colours.length === 0)
    throw new ProdxError('no-targets', 'the environment has no targets: add them under environments.<env>.targets.');
  const live = liveColour(envState, input.routerWeights);
  if (live !== null && !colours.includes(live)) {
    throw new ProdxError(
      'unknown-live-colour',
      `the live colour "${live}" is not a target of this environment (${colours.join(', ')}): fix the config or the state.`,
    );
  }
  let toColour: string;
  if (input.strategy === 'standard') toColour = live ?? colours[0]!;
  else {
    if (colours.length < 2) {
      throw new ProdxError(
        'blue-green-needs-two',
        `blue-green needs two targets (e.g. blue and green); this environment has only "${colours[0]}". Add one, or use --strategy standard.`,
      );
    }
    toColour = colours.find((c) => c !== live) ?? colours[0]!;
  }
  const weightsBefore = input.routerWeights ?? (live ? allTo(live, colours) : allTo(toColour, colours));
  return {
    id: input.id,
    version: input.version,
    strategy: input.strategy,
    by: input.by,
    startedAt: input.now,
    fromColour: live,
    fromVersion: live ? (knownVersion(envState, live) ?? input.probedLiveVersion ?? null) : null,
    toColour,
    weightsBefore,
    weightsAfter: allTo(toColour, colours),
    phase: 'releasing',
    phaseStartedAt: input.now,
  };
}

/** The steps a deploy will take, in words, for --dry-run and the Deploy screen. */
export function describePlan(
  a: ActiveDeployment,
  opts: { hook: string[] | null; healthyThreshold: number; smokePath: string | null; windowMs: number; maxErrorRate: number },
): string[] {
  const steps: string[] = [];
  steps.push(
    opts.hook
      ? `release ${a.version} onto ${a.toColour}: run ${JSON.stringify(opts.hook)} with PRODX_VERSION=${a.version} PRODX_TARGET=${a.toColour}`
      : `no release hook: expect ${a.toColour} to be running ${a.version} already`,
  );
  steps.push(
    `verify ${a.toColour}: ${opts.healthyThreshold} healthy probes in a row and the version endpoint reports ${a.version}${opts.smokePath ? `, then GET ${opts.smokePath} answers 2xx` : ''}`,
  );
  if (a.strategy === 'standard') {
    steps.push(`no traffic switch (standard strategy: ${a.toColour} keeps its traffic)`);
    return steps;
  }
  const fmt = (w: Record<string, number>) =>
    Object.entries(w)
      .map(([c, p]) => `${c} ${p}%`)
      .join(', ');
  steps.push(`switch traffic: ${fmt(a.weightsBefore)} → ${fmt(a.weightsAfter)}`);
  steps.push(
    `watch ${a.toColour} for ${Math.round(opts.windowMs / 1000)}s: healthy, error rate at most ${(opts.maxErrorRate * 100).toFixed(1)}%; otherwise switch back to ${a.fromColour ?? 'the previous weights'}`,
  );
  if (a.fromColour) steps.push(`keep ${a.fromColour} (${a.fromVersion ?? 'unknown version'}) up for an instant rollback`);
  return steps;
}
