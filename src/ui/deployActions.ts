// The deploy and rollback keys, shared by the Deploy screen and the Dashboard: `d` asks for a
// version, `r` shows what a rollback would move (from → to) and waits for `y`. The work itself
// is ctx.operations (the same code as `prodx deploy` / `prodx rollback`).
import type { EnvironmentState } from '../core/state/schema.js';
import type { UiContext } from './context.js';
import { errorMessage } from './safeRun.js';
import type { ScreenKey } from './screens/types.js';

export interface RollbackSide {
  colour: string;
  version: string | null;
  /** why this colour, in a few words: `live`, `deploying, phase verifying` */
  note: string;
}

/** What a rollback would do, from the state alone, or why there is nothing to roll back. */
export type RollbackRoute =
  { ok: true; from: RollbackSide | null; to: RollbackSide | null; undoing: string | null } | { ok: false; reason: string };

/**
 * Mirrors what the rollback operation does: an unfinished deploy is undone (traffic goes back to
 * the colour it came from); otherwise the live colour hands traffic back to the previous one.
 */
export function rollbackRoute(deployment: EnvironmentState | null, environment: string): RollbackRoute {
  const active = deployment?.active;
  if (active) {
    return {
      ok: true,
      from: { colour: active.toColour, version: active.version, note: `deploying, phase ${active.phase}` },
      to: active.fromColour ? { colour: active.fromColour, version: active.fromVersion, note: 'live before the deploy' } : null,
      undoing: `the unfinished deploy of ${active.version}`,
    };
  }
  const live = deployment?.live;
  const previous = deployment?.previous;
  if (!live || !previous) {
    return {
      ok: false,
      reason: `nothing to roll back in ${environment}: no earlier colour is recorded (prodx records one when a blue-green deploy completes)`,
    };
  }
  return {
    ok: true,
    from: { colour: live.colour, version: live.version, note: 'live' },
    to: { colour: previous.colour, version: previous.version, note: 'previous' },
    undoing: null,
  };
}

const side = (s: RollbackSide | null, fallback: string) => (s ? `${s.colour} ${s.version ?? '(version unknown)'} (${s.note})` : fallback);

/** The confirm dialog's body: FROM and TO on their own lines. */
export function rollbackBody(route: Extract<RollbackRoute, { ok: true }>): string {
  return [
    route.undoing ? `Undoes ${route.undoing}.` : 'Puts traffic back on the colour that was live before.',
    `from  ${side(route.from, 'the current weights')}`,
    `to    ${side(route.to, 'the weights before the deploy')}`,
  ].join('\n');
}

function noRouter(ctx: UiContext): string {
  const { environment } = ctx.store.getState();
  return `this environment has no router configured: set environments.${environment}.router in the config to deploy and roll back from prodx`;
}

/** `r`: the rollback confirm dialog, or a flash saying why there is nothing to confirm. */
export function confirmRollback(ctx: UiContext): void {
  const { actions, deployment, environment } = ctx.store.getState();
  const operations = ctx.operations;
  if (!operations) return actions.flash('error', noRouter(ctx));
  const route = rollbackRoute(deployment, environment);
  if (!route.ok) return actions.flash('error', route.reason);
  actions.openModal({
    kind: 'confirm',
    title: `Roll back ${environment}?`,
    body: rollbackBody(route),
    confirmLabel: 'roll back',
    onConfirm: () => operations.rollback(),
  });
}

/** `d`: asks which version to deploy, then runs the deploy. */
export function promptDeploy(ctx: UiContext): void {
  const { actions, environment } = ctx.store.getState();
  const operations = ctx.operations;
  if (!operations) return actions.flash('error', noRouter(ctx));
  actions.openModal({
    kind: 'prompt',
    title: 'Deploy which version?',
    hint: `to ${environment}, blue-green: it is released onto the idle colour, verified, then given the traffic`,
    text: '',
    onSubmit: async (text) => {
      const version = text.trim();
      if (version === '') throw new Error('deploy: no version was typed: press d and type one, e.g. 1.4.2');
      try {
        await operations.deploy(version);
      } catch (error) {
        throw new Error(`deploy ${version} failed: ${errorMessage(error)}`, { cause: error });
      }
    },
  });
}

export const rollbackKey: ScreenKey = { key: 'r', label: 'roll back', run: confirmRollback };
export const deployKey: ScreenKey = { key: 'd', label: 'deploy', run: promptDeploy };
