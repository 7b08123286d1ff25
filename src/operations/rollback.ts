// `prodx rollback`: put traffic back on the colour that was live before. With a deploy in
// progress (or one that a killed prodx left behind) it restores that deploy's weights; after a
// completed deploy it switches back to the previous colour, once that colour proves healthy.
import { readState } from '../adapters/state/stateFile.js';
import { allTo } from '../core/deploy/router.js';
import { ExitCode, ProdxError } from '../core/errors.js';
import type { HistoryEntry } from '../core/state/schema.js';
import type { OperationContext } from './context.js';
import { enterPhase, envStateOf, takeLock, updateEnvState, waitForGate, whoAmI, type DeployDeps } from './deployRuntime.js';

export interface RollbackResult {
  ok: boolean;
  from: { colour: string; version: string | null } | null;
  to: { colour: string; version: string };
  /** what was rolled back: an interrupted or running deploy, or the last completed one */
  undid: 'active-deploy' | 'last-deploy';
  recoveryMs: number;
}

export async function rollback(ctx: OperationContext, deps: DeployDeps): Promise<RollbackResult> {
  const started = deps.now();
  const lock = takeLock(ctx, deps, 'rollback', started);
  try {
    const envState = envStateOf(ctx, readState(ctx.stateDir));
    const router = await deps.router(ctx);
    const routerOpts = deps.signal ? { signal: deps.signal } : {};
    const record = async (
      entry: Omit<HistoryEntry, 'id' | 'by' | 'startedAt' | 'endedAt' | 'strategy' | 'kind'>,
      live: { colour: string; version: string },
      clearActive: boolean,
    ) => {
      const now = deps.now();
      await updateEnvState(ctx, (s) => ({
        ...s,
        ...(clearActive ? { active: null } : {}),
        live: { ...live, since: now },
        previous:
          s.live && s.live.colour !== live.colour
            ? { colour: s.live.colour, version: s.live.version, until: now + ctx.env.scaleDownDelay }
            : s.previous,
        history: [
          ...s.history,
          {
            id: `rb-${started.toString(36)}`,
            kind: 'rollback' as const,
            strategy: 'rollback',
            by: whoAmI(),
            startedAt: started,
            endedAt: now,
            recoveryMs: now - started,
            ...entry,
          },
        ].slice(-200),
      }));
      return now - started;
    };

    const a = envState.active;
    if (a) {
      // an unfinished deploy: its weights before are the truth to go back to
      const to = a.fromColour ?? a.toColour;
      const toVersion = a.fromVersion ?? envState.live?.version ?? 'unknown';
      await enterPhase(ctx, deps, a, 'rolling-back', 'rollback requested');
      if (router) await router.apply(a.weightsBefore, routerOpts);
      const deployEntry: HistoryEntry = {
        id: a.id,
        kind: 'deploy',
        version: a.version,
        strategy: a.strategy,
        by: a.by,
        startedAt: a.startedAt,
        endedAt: deps.now(),
        result: 'rolled-back',
        reason: `rolled back by ${whoAmI()} in phase ${a.phase}`,
        toColour: a.toColour,
        ...(a.fromColour ? { fromColour: a.fromColour } : {}),
      };
      await updateEnvState(ctx, (s) => ({ ...s, history: [...s.history, deployEntry] }));
      deps.onEvent({ type: 'phase', phase: 'rolled-back', at: deps.now() });
      const recoveryMs = await record(
        { version: toVersion, result: 'succeeded', fromColour: a.toColour, toColour: to },
        { colour: to, version: toVersion },
        true,
      );
      return {
        ok: true,
        from: { colour: a.toColour, version: a.version },
        to: { colour: to, version: toVersion },
        undid: 'active-deploy',
        recoveryMs,
      };
    }

    const live = envState.live;
    const prev = envState.previous;
    if (!live || !prev) {
      throw new ProdxError(
        'nothing-to-roll-back',
        `nothing to roll back in ${ctx.envName}: no earlier colour is recorded (prodx records one when a blue-green deploy completes). Run prodx status to see the state.`,
        ExitCode.failed,
      );
    }
    if (!router) {
      throw new ProdxError(
        'no-router',
        `environments.${ctx.envName}.router is not set: a rollback switches traffic, so it needs the traffic router. Configure one.`,
      );
    }
    // the previous colour must still serve its version before it gets the traffic back
    const gate = await waitForGate(ctx, deps, prev.colour, prev.version, ctx.env.prePromotion.timeout);
    if (gate.status !== 'pass') {
      throw new ProdxError(
        'rollback-target-unhealthy',
        `cannot roll back to ${prev.colour}: ${gate.reason}. Traffic stays on ${live.colour}.`,
        ExitCode.failed,
      );
    }
    await router.apply(allTo(prev.colour, Object.keys(ctx.env.targets)), routerOpts);
    const recoveryMs = await record(
      { version: prev.version, result: 'succeeded', fromColour: live.colour, toColour: prev.colour },
      { colour: prev.colour, version: prev.version },
      false,
    );
    deps.onEvent({ type: 'phase', phase: 'rolled-back', at: deps.now() });
    return {
      ok: true,
      from: { colour: live.colour, version: live.version },
      to: { colour: prev.colour, version: prev.version },
      undid: 'last-deploy',
      recoveryMs,
    };
  } finally {
    lock.release();
  }
}
