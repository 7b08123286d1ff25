// The Flags screen's verbs: toggle the selected flag, move its rollout, evaluate it. Changes run
// the same operation as `prodx flags enable|disable|set-rollout` (lock, validation, audit), with
// the hash of the file on screen so a change made from a stale view is refused; in a protected
// environment they ask first.
import { nudgeOf, type FlagSummary } from '../../core/flags/types.js';
import { parseContextPairs } from '../../core/flags/contextArgs.js';
import type { Verb, VerbState } from './types.js';
import { listRowsOf } from './lists.js';

/** the step of `+` and `-`, in percentage points */
export const ROLLOUT_STEP = 5;

export function selectedFlag(v: VerbState): FlagSummary | null {
  const rows = listRowsOf('flags', v);
  const cursor = Math.min(v.s.lists['flags']?.cursor ?? 0, rows.length - 1);
  const key = rows[cursor]?.key;
  return v.s.flags.flags.find((f) => f.key === key) ?? null;
}

const noFlag = (v: VerbState): string | null =>
  v.s.flags.loadedAt === null ? 'the flags file is not loaded yet' : selectedFlag(v) ? null : 'no flag is selected (the list is empty)';

const guard = (v: VerbState, title: string, line: string, label: string) =>
  v.s.protected ? { title, lines: [`${v.s.environment} is protected.`, line], confirmLabel: label } : null;

export const toggleVerb: Verb = {
  name: 'toggle',
  group: 'Flags',
  summary: 'enable or disable the selected flag (as `prodx flags enable|disable`)',
  disabledReason: noFlag,
  confirm: (v) => {
    const f = selectedFlag(v)!;
    const enable = f.state === 'DISABLED';
    return guard(
      v,
      `${enable ? 'Enable' : 'Disable'} ${f.key} in ${v.s.environment}?`,
      `every app reading ${v.s.flags.source?.file ?? 'the flags file'} ${enable ? 'applies its targeting again' : 'gets its code default, for every user'}`,
      enable ? 'enable' : 'disable',
    );
  },
  run: async (ctx, _args, v) => {
    const f = selectedFlag(v)!;
    const r = await ctx.app.changeFlag(f.key, { kind: f.state === 'DISABLED' ? 'enable' : 'disable' }, v.s.flags.hash);
    ctx.store.getState().actions.flash(r.changed ? 'success' : 'info', `${f.key}: ${r.summary}`);
  },
};

export const rolloutVerb: Verb = {
  name: 'rollout',
  group: 'Flags',
  summary: `move the selected flag's rollout by ±${ROLLOUT_STEP} points (\`:rollout +10\`)`,
  args: [{ name: '±points', required: true, complete: () => [`+${ROLLOUT_STEP}`, `-${ROLLOUT_STEP}`] }],
  validate: ([delta]) =>
    /^[+-]\d{1,3}(\.\d+)?$/.test(delta ?? '') ? null : `"${delta ?? ''}" is not a change of points: use e.g. +5 or -10`,
  disabledReason: (v) => {
    const missing = noFlag(v);
    if (missing) return missing;
    const plan = nudgeOf(selectedFlag(v)!, ROLLOUT_STEP);
    return typeof plan === 'string' ? plan : null;
  },
  confirm: (v, [delta]) => {
    const f = selectedFlag(v)!;
    const plan = nudgeOf(f, Number(delta));
    const target = typeof plan === 'string' || plan.kind !== 'set-rollout' ? '?' : `${plan.percent}%`;
    return guard(
      v,
      `Set ${f.key} to ${target} in ${v.s.environment}?`,
      `the weights of ${f.key}'s fractional rule change for every app`,
      `set ${target}`,
    );
  },
  // computed when the change runs, from the flag as the previous change left it
  run: async (ctx, [delta], v) => {
    const f = selectedFlag(v)!;
    const r = await ctx.app.changeFlag(f.key, { kind: 'nudge', delta: Number(delta) }, null);
    ctx.store.getState().actions.flash(r.changed ? 'success' : 'info', `${f.key}: ${r.summary}`);
  },
};

export const evaluateVerb: Verb = {
  name: 'evaluate',
  aliases: ['eval'],
  group: 'Flags',
  summary: 'evaluate the selected flag for a user: a targeting key, then key=value context',
  args: [
    { name: 'targeting-key', required: true },
    { name: 'key=value…', required: false, rest: true },
  ],
  prompt: {
    title: (v) => `Evaluate ${selectedFlag(v)?.key ?? 'the flag'} for whom?`,
    hint: () => 'a targeting key, then context as key=value, e.g.  user-42 country=DE plan=pro appVersion=3.2.1',
  },
  validate: ([key, ...pairs]) => {
    if (!key) return 'type a targeting key (the user id) first, e.g. user-42';
    const bad = pairs.find((p) => !/^[^=\s]+=/.test(p));
    return bad ? `"${bad}" is not key=value` : null;
  },
  disabledReason: noFlag,
  run: async (ctx, [targetingKey, ...pairs], v) => {
    const f = selectedFlag(v)!;
    const context = { ...parseContextPairs(pairs), targetingKey: targetingKey! };
    const result = await ctx.app.evaluateFlag(f.key, context);
    const { actions } = ctx.store.getState();
    actions.updateFlags({ lastEvaluation: { context, result, at: Date.now() } });
    const what =
      result.variant !== undefined
        ? `${JSON.stringify(result.value)} (${result.variant}, ${result.reason})`
        : `code default (${result.errorCode ?? result.reason})`;
    actions.flash(result.reason === 'ERROR' ? 'error' : 'success', `${f.key} for ${targetingKey}: ${what}`);
  },
};
