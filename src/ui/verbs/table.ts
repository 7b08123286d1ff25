// The one verb table and the keys bound to it: the screens' keys (declared by each screen) and
// the global ones. The key router, the footer, help and the `:` line all read these.
import { SCREENS, type ScreenId } from '../../store/types.js';
import type { UiCommand, UiContext } from '../context.js';
import { appVerbs, type ListOf } from './app.js';
import { abortVerb, pauseVerb, promoteVerb, resumeVerb } from './canary.js';
import { evaluateVerb, rolloutVerb, ROLLOUT_STEP, toggleVerb } from './flags.js';
import { canaryVerb, deployVerb, rollbackVerb } from './release.js';
import { rumMetricVerb, rumSegmentVerb, rumWindowVerb } from './rum.js';
import { errorsIgnoreVerb, errorsReopenVerb, errorsResolveVerb, errorsSortVerb, statusKey } from './errors.js';
import { currentView } from './state.js';
import type { KeyAction, Verb } from './types.js';

/** A session's own `:` verbs (the demo's fault injection) as verbs of the table. */
function commandVerb(c: UiCommand): Verb {
  return {
    name: c.name,
    group: 'App',
    summary: c.description,
    args: [{ name: c.usage ?? 'arguments', required: c.usage !== undefined, complete: () => c.complete?.(0) ?? [], rest: true }],
    run: (_ctx, args) => c.run(args),
  };
}

export interface VerbTable {
  verbs: Verb[];
  byName(name: string): Verb | undefined;
}

export function verbTable(ctx: Pick<UiContext, 'commands'>, listOf: ListOf, titleOf: (id: ScreenId) => string): VerbTable {
  const verbs = [
    deployVerb,
    canaryVerb,
    rollbackVerb,
    promoteVerb,
    pauseVerb,
    resumeVerb,
    abortVerb,
    toggleVerb,
    rolloutVerb,
    evaluateVerb,
    rumWindowVerb,
    rumSegmentVerb,
    rumMetricVerb,
    errorsSortVerb,
    errorsResolveVerb,
    errorsIgnoreVerb,
    errorsReopenVerb,
    ...appVerbs(listOf, titleOf),
    ...ctx.commands.map(commandVerb),
  ];
  const index = new Map<string, Verb>();
  for (const v of verbs) for (const n of [v.name, ...(v.aliases ?? [])]) if (!index.has(n)) index.set(n, v);
  return { verbs, byName: (name) => index.get(name) };
}

export const rollbackKey: KeyAction = { key: 'r', label: 'roll back', verb: 'rollback' };
export const deployKey: KeyAction = { key: 'd', label: 'deploy', verb: 'deploy' };
/** On the Dashboard: start a canary (the Canary screen opens to follow it). */
export const canaryKey: KeyAction = { key: 'c', label: 'canary', verb: 'canary' };

const paused = (v: Parameters<NonNullable<KeyAction['when']>>[0]) => currentView(v)?.phase === 'paused';

export const canaryKeys: KeyAction[] = [
  { key: 'c', label: 'new canary', verb: 'canary' },
  { key: 'p', label: 'next step', verb: 'promote' },
  { key: 'P', label: 'promote to 100%', verb: 'promote', args: ['full'] },
  { key: 'space', label: 'resume', verb: 'resume', when: paused },
  { key: 'space', label: 'pause', verb: 'pause' },
  { key: 'a', label: 'abort', verb: 'abort' },
  rollbackKey,
];

export const flagsKeys: KeyAction[] = [
  { key: 't', label: 'toggle', verb: 'toggle' },
  { key: '+', label: `rollout +${ROLLOUT_STEP}`, verb: 'rollout', args: [`+${ROLLOUT_STEP}`] },
  { key: '-', label: `rollout -${ROLLOUT_STEP}`, verb: 'rollout', args: [`-${ROLLOUT_STEP}`] },
  { key: 'e', label: 'evaluate', verb: 'evaluate' },
];

export const rumKeys: KeyAction[] = [
  { key: 'w', label: 'window', verb: 'rum-window' },
  { key: 's', label: 'segment', verb: 'rum-segment' },
  { key: 'm', label: 'trend metric', verb: 'rum-metric' },
];

export const errorsKeys: KeyAction[] = [
  { key: 'o', label: 'sort', verb: 'errors-sort' },
  statusKey('resolved'),
  statusKey('ignored'),
  statusKey('unresolved'),
];

/** The keys of every list: shown in help under Lists, left out of the footer. */
export const LIST_KEYS: KeyAction[] = [
  { key: 'down', label: 'down', verb: 'down', hidden: true },
  { key: 'j', label: 'down', verb: 'down', hidden: true },
  { key: 'up', label: 'up', verb: 'up', hidden: true },
  { key: 'k', label: 'up', verb: 'up', hidden: true },
  { key: 'pagedown', label: 'page down', verb: 'page-down', hidden: true },
  { key: 'pageup', label: 'page up', verb: 'page-up', hidden: true },
  { key: 'g', label: 'first row', verb: 'top', hidden: true },
  { key: 'G', label: 'last row', verb: 'end', hidden: true },
  { key: '/', label: 'filter', verb: 'filter', hidden: true },
  { key: 'enter', label: 'open the row', verb: 'open', hidden: true },
];

/** The keys of every screen. `:`, ctrl+c and q are the shell's own (keys.ts). */
export const GLOBAL_KEYS: KeyAction[] = [
  ...SCREENS.map((id, i) => ({ key: String(i + 1), label: 'screen', verb: 'screen', args: [id], hidden: true })),
  { key: 'tab', label: 'next screen', verb: 'next-screen', hidden: true },
  { key: 'shift+tab', label: 'previous screen', verb: 'previous-screen', hidden: true },
  { key: 'esc', label: 'back', verb: 'back', hidden: true },
  { key: 'ctrl+r', label: 'refresh', verb: 'refresh', hidden: true },
  { key: 'R', label: 'refresh', verb: 'refresh', hidden: true },
  { key: '?', label: 'help', verb: 'help' },
  { key: 'q', label: 'quit', verb: 'quit' },
];
