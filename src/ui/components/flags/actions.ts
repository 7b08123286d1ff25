// What the Flags screen's keys do. Changes run the same operation as `prodx flags enable|
// disable|set-rollout` (lock, validation, audit), pass the hash of the version on screen so a
// change made from a stale view is refused, ask first in a protected environment, and run one
// at a time (a second `+` waits for the first and starts from its result).
import { parseContextPairs } from '../../../core/flags/contextArgs.js';
import { summarizeFlags } from '../../../core/flags/summary.js';
import type { FlagSummary } from '../../../core/flags/types.js';
import type { FlagsSource } from '../../../core/flags/view.js';
import { flagsDirOf, readAudit } from '../../../adapters/flags/audit.js';
import { loadFlags } from '../../../adapters/flags/file.js';
import { changeFlag, evaluateFlag, type FlagChange } from '../../../operations/flags.js';
import { AUDIT_TAIL } from '../../../app/flagsPoller.js';
import type { AppStore } from '../../../store/createAppStore.js';
import type { UiContext } from '../../context.js';
import { errorMessage } from '../../safeRun.js';

/** the step of `+` and `-`, in percentage points */
export const ROLLOUT_STEP = 5;

let queue: Promise<unknown> = Promise.resolve();
/** Runs changes one after another; each starts from the store as the previous one left it. */
function serially(task: () => Promise<void>): Promise<void> {
  const next = queue.then(task, task);
  queue = next.catch(() => {});
  return next;
}

export function selectedFlag(store: AppStore): FlagSummary | undefined {
  const { flags, cursor } = store.getState().flags;
  return flags[Math.min(cursor, flags.length - 1)];
}

export function moveCursor(store: AppStore, delta: number): void {
  const { flags, cursor } = store.getState().flags;
  if (flags.length === 0) return;
  store.getState().actions.updateFlags({ cursor: Math.max(0, Math.min(flags.length - 1, cursor + delta)) });
}

/** Re-reads the file and the audit now, so the screen shows a change without waiting for the poller. */
export function reloadFlags(store: AppStore, src: FlagsSource): void {
  const loaded = loadFlags(src.file, { compile: false, cacheDir: flagsDirOf(src.stateDir) });
  store.getState().actions.updateFlags({
    flags: summarizeFlags(loaded.doc),
    hash: loaded.hash,
    loadedAt: Date.now(),
    error: null,
    audit: readAudit(flagsDirOf(src.stateDir), { limit: AUDIT_TAIL }),
  });
}

function apply(ctx: UiContext, src: FlagsSource, key: string, change: FlagChange | (() => FlagChange | string)): Promise<void> {
  const { actions } = ctx.store.getState();
  return serially(async () => {
    const c = typeof change === 'function' ? change() : change;
    if (typeof c === 'string') return actions.flash('error', c);
    try {
      const hash = ctx.store.getState().flags.hash;
      const r = await changeFlag(src, key, c, { confirmed: true, ...(hash ? { ifMatch: hash } : {}) });
      reloadFlags(ctx.store, src);
      actions.flash(r.changed ? 'success' : 'info', `${key}: ${r.summary}`);
    } catch (err) {
      actions.flash('error', `${key}: ${errorMessage(err)}`);
      try {
        reloadFlags(ctx.store, src); // a conflict means the view is stale: show the file as it is now
      } catch {
        /* the file itself is broken: the poller reports that */
      }
    }
  });
}

/** Asks first in a protected environment, like `--yes` on the command line. */
function confirmThen(ctx: UiContext, src: FlagsSource, title: string, body: string, label: string, run: () => Promise<void>): void {
  if (!src.protected) return void run();
  ctx.store.getState().actions.openModal({ kind: 'confirm', title, body, confirmLabel: label, onConfirm: run });
}

function withSelection(ctx: UiContext): { src: FlagsSource; flag: FlagSummary } | null {
  const { source } = ctx.store.getState().flags;
  const flag = selectedFlag(ctx.store);
  if (!source || !flag) {
    ctx.store.getState().actions.flash('error', source ? 'no flags in the file yet' : 'the flags file is not loaded yet');
    return null;
  }
  return { src: source, flag };
}

/** `t`: enable or disable the selected flag. */
export function toggleSelected(ctx: UiContext): void {
  const s = withSelection(ctx);
  if (!s) return;
  const enable = s.flag.state === 'DISABLED';
  const verb = enable ? 'enable' : 'disable';
  confirmThen(
    ctx,
    s.src,
    `${enable ? 'Enable' : 'Disable'} ${s.flag.key} in ${s.src.environment}?`,
    `${s.src.environment} is protected. ${enable ? 'Its targeting applies again' : 'Every app gets its code default'} for all users reading ${s.src.file}.`,
    verb,
    () => apply(ctx, s.src, s.flag.key, { kind: verb }),
  );
}

/** `+` / `-`: moves the selected flag's rollout by `delta` points (clamped to 0–100). */
export function nudgeRollout(ctx: UiContext, delta: number): void {
  const s = withSelection(ctx);
  if (!s) return;
  const { key } = s.flag;
  // computed when the change runs, from the flag as the previous change left it
  const plan = (): FlagChange | string => {
    const flag = ctx.store.getState().flags.flags.find((f) => f.key === key);
    const r = flag?.rollout;
    if (!r) return `${key} has no fractional rule of its own: a rollout needs "fractional" buckets in its targeting`;
    if (r.rolloutVariant === undefined)
      return `${key} splits users between ${Object.keys(r.percent).join(', ')}: set its rollout with \`prodx flags set-rollout ${key} <percent> --variant <name>\``;
    const percent = Math.max(0, Math.min(100, Math.round(((r.percent[r.rolloutVariant] ?? 0) + delta) * 100) / 100));
    return { kind: 'set-rollout', percent, variant: r.rolloutVariant };
  };
  const preview = plan();
  if (typeof preview === 'string') return ctx.store.getState().actions.flash('error', preview);
  const target = preview.kind === 'set-rollout' ? preview.percent : 0;
  confirmThen(
    ctx,
    s.src,
    `Set ${key} to ${target}% in ${s.src.environment}?`,
    `${s.src.environment} is protected. The weights of ${key}'s fractional rule change for every app reading ${s.src.file}.`,
    `set ${target}%`,
    () => apply(ctx, s.src, key, plan),
  );
}

/** `e`: asks for a targeting key and key=value context, then evaluates the selected flag. */
export function promptEvaluate(ctx: UiContext): void {
  const s = withSelection(ctx);
  if (!s) return;
  const { actions } = ctx.store.getState();
  actions.openModal({
    kind: 'prompt',
    title: `Evaluate ${s.flag.key}`,
    hint: 'a targeting key, then context as key=value, e.g.  user-42 country=DE plan=pro appVersion=3.2.1',
    text: '',
    onSubmit: (text) => {
      const [targetingKey, ...pairs] = text.trim().split(/\s+/).filter(Boolean);
      if (!targetingKey) throw new Error('type a targeting key (the user id) first, e.g. user-42');
      const context = { ...parseContextPairs(pairs), targetingKey };
      const result = evaluateFlag(s.src, s.flag.key, context);
      actions.updateFlags({ lastEvaluation: { context, result, at: Date.now() } });
      const what =
        result.variant !== undefined
          ? `${JSON.stringify(result.value)} (${result.variant}, ${result.reason})`
          : `code default (${result.errorCode ?? result.reason})`;
      actions.flash(result.reason === 'ERROR' ? 'error' : 'success', `${s.flag.key} for ${targetingKey}: ${what}`);
    },
  });
}

/** Enter opens the detail of the selected flag; Esc closes it, else goes back to the Dashboard. */
export function openDetail(store: AppStore): void {
  if (store.getState().flags.flags.length > 0) store.getState().actions.updateFlags({ detail: true });
}

export function back(store: AppStore): void {
  const { flags, actions } = store.getState();
  if (flags.detail) actions.updateFlags({ detail: false });
  else actions.setScreen('dashboard');
}
