// The verbs that move traffic: deploy, canary and rollback. What each would do comes from core
// (the rollback plan, the deploy plan's rules), so the confirm names exactly what the operation
// then does; in a protected environment every one of them asks first.
import { validateVersion } from '../../core/deploy/plan.js';
import { liveColourOf } from '../../core/deploy/router.js';
import { describeRollback, type RollbackPlan } from '../../core/rollback/plan.js';
import type { AppState } from '../../store/types.js';
import type { Confirm, Verb, VerbState } from './types.js';
import { rollbackPlanOf, startReason } from './state.js';

function versionProblem(args: string[]): string | null {
  const version = args[0]?.trim() ?? '';
  if (version === '') return 'type a version, e.g. 1.4.2';
  try {
    validateVersion(version);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The live colour as the router has it (the state as the fallback) and the idle one a release goes onto. */
function colours(s: AppState): { live: string | null; liveVersion: string | null; idle: string | null } {
  const live = liveColourOf(s.weights) ?? s.deployment?.live?.colour ?? null;
  const idle = s.targetOrder.find((c) => c !== live) ?? null;
  const liveVersion = live ? (s.deployment?.colours[live]?.version ?? s.targets[live]?.health.version ?? null) : null;
  return { live, liveVersion, idle };
}

/** Versions worth completing: what ran here before, newest first. */
function knownVersions({ s }: VerbState): string[] {
  const seen = (s.deployment?.history ?? []).map((h) => h.version).reverse();
  return [...new Set(seen)].filter((v) => v !== 'unknown');
}

function protectedConfirm(v: VerbState, title: string, lines: string[], label: string): Confirm | null {
  return v.s.protected ? { title, lines: [`${v.s.environment} is protected.`, ...lines], confirmLabel: label } : null;
}

const versionArg = [{ name: 'version', required: true, complete: knownVersions }];

type Colours = ReturnType<typeof colours>;

/** What tells one version-releasing verb from the other: its words and the operation it starts. */
interface ReleaseVerbSpec {
  name: 'deploy' | 'canary';
  summary: string;
  promptTitle: string;
  promptHint(env: string, c: Colours): string;
  confirmTitle(version: string, env: string): string;
  confirmLines(version: string, c: Colours): string[];
  confirmLabel(version: string): string;
  run: Verb['run'];
}

/** A verb that releases a version: asks for it, checks it, and in a protected environment confirms. */
function releaseVerb(spec: ReleaseVerbSpec): Verb {
  return {
    name: spec.name,
    group: 'Release',
    summary: spec.summary,
    args: versionArg,
    prompt: { title: spec.promptTitle, hint: ({ s }) => spec.promptHint(s.environment, colours(s)) },
    validate: (args) => versionProblem(args),
    disabledReason: startReason,
    confirm: (v, [version = '']) =>
      protectedConfirm(
        v,
        spec.confirmTitle(version, v.s.environment),
        spec.confirmLines(version, colours(v.s)),
        spec.confirmLabel(version),
      ),
    run: spec.run,
  };
}

export const deployVerb = releaseVerb({
  name: 'deploy',
  summary: 'blue-green deploy of a version: release onto the idle colour, verify, switch, watch',
  promptTitle: 'Deploy which version?',
  promptHint: (env, c) =>
    `to ${env}, blue-green: released onto ${c.idle ?? 'the idle colour'}, verified, then given the traffic${c.live ? ` from ${c.live}` : ''}`,
  confirmTitle: (version, env) => `Deploy ${version} to ${env}?`,
  confirmLines: (version, c) => [
    `release ${version} onto ${c.idle ?? 'the idle colour'}, verify it, then move all traffic to it`,
    c.live ? `from ${c.live} ${c.liveVersion ?? ''}`.trimEnd() : 'no colour is live yet',
  ],
  confirmLabel: (version) => `deploy ${version}`,
  run: (ctx, [version]) => ctx.app.deploy(version!),
});

export const canaryVerb = releaseVerb({
  name: 'canary',
  summary: 'canary release of a version: traffic moved to it step by step (canary.steps), judged every interval',
  promptTitle: 'Canary release which version?',
  promptHint: (env, c) =>
    `to ${env}: released onto ${c.idle ?? 'the idle colour'}, then given more of the traffic step by step while its error rate and latency are analysed`,
  confirmTitle: (version, env) => `Canary ${version} in ${env}?`,
  confirmLines: (version, c) => [
    `release ${version} onto ${c.idle ?? 'the idle colour'}, then shift traffic to it step by step from ${c.live ?? 'the live colour'}`,
  ],
  confirmLabel: () => 'start the canary',
  run: (ctx, [version]) => ctx.app.canary(version!),
});

export const rollbackVerb: Verb = {
  name: 'rollback',
  aliases: ['rb'],
  group: 'Release',
  summary: 'put traffic back: undo an unfinished canary or deploy, else the previous colour (as `prodx rollback`)',
  disabledReason: (v) => {
    const { s } = v;
    if (!s.canOperate)
      return `no router is configured for ${s.environment}: set environments.${s.environment}.router to roll back from here`;
    if (s.inFlight?.kind === 'rollback') return 'a rollback is already running from this dashboard';
    const plan = rollbackPlanOf(v);
    if (plan.kind === 'nothing') return plan.reason;
    // another process's deploy holds the lock; a canary runner answers a rollback itself
    const lock = s.lock;
    if (!s.inFlight && lock && !lock.stale && lock.role !== 'canary-runner')
      return `${lock.operation} is running in pid ${lock.pid} on ${lock.host}: wait for it to end, or stop it there`;
    return null;
  },
  confirm: (v) => {
    const plan = rollbackPlanOf(v);
    const d = describeRollback(plan);
    const stopsFirst = v.s.inFlight?.kind === 'deploy' ? [`stops the running ${v.s.inFlight.label} first`] : [];
    // the plan shown is the plan run: the operation refuses it if the state moved on since
    return {
      title: `${d.title} in ${v.s.environment}?`,
      lines: [...stopsFirst, ...d.lines],
      confirmLabel: 'roll back',
      args: [JSON.stringify(plan)],
    };
  },
  run: (ctx, [shown], v) => ctx.app.rollback(shown ? (JSON.parse(shown) as RollbackPlan) : rollbackPlanOf(v)),
};
