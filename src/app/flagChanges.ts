// Flag changes from the dashboard run one after another, each from the file as the previous one
// left it: a second `+` pressed before the first is written moves the rollout on from there.
import { ProdxError } from '../core/errors.js';
import { nudgeOf, type FlagChange, type FlagNudge } from '../core/flags/types.js';
import type { OperationContext } from '../operations/context.js';

export function flagChanger(ctx: OperationContext, refresh: () => Promise<void>) {
  let queue: Promise<unknown> = Promise.resolve();
  return (key: string, change: FlagChange | FlagNudge, ifMatch: string | null): Promise<{ changed: boolean; summary: string }> => {
    const task = async () => {
      const { changeFlag, flagsSource, listFlags } = await import('../operations/flags.js');
      const src = flagsSource(ctx);
      let planned: FlagChange | string = change as FlagChange;
      if (change.kind === 'nudge') {
        const flag = listFlags(src).flags.find((f) => f.key === key);
        planned = flag ? nudgeOf(flag, change.delta) : `there is no flag "${key}" in ${src.file} any more`;
      }
      if (typeof planned === 'string') throw new ProdxError('flag-change', planned);
      try {
        const r = await changeFlag(src, key, planned, { confirmed: true, ...(ifMatch ? { ifMatch } : {}) });
        return { changed: r.changed, summary: r.summary };
      } finally {
        // a refused change (a conflict) means the view is stale: show the file as it is now
        await refresh();
      }
    };
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };
}
