// `prodx rollback`: the one rollback plan (src/core/rollback/plan.ts), shown with --dry-run and
// executed otherwise: an unfinished canary or deploy is undone, else the previous colour gets
// the traffic back, once it passes its health gate. The operation and the state file (with its
// schema) are imported when it runs.
import type { Command } from 'commander';
import { describeRollback } from '../../core/rollback/plan.js';
import { planFor } from '../../operations/rollbackPlan.js';
import { ExitCode } from '../../core/errors.js';
import type { OperationContext } from '../../operations/context.js';
import { out, paint, printJson, type OutputOptions } from '../output.js';
import { scopeOf, type RegisterCommands } from '../program.js';

async function dryRun(ctx: OperationContext, o: OutputOptions): Promise<number> {
  const { localStateStore } = await import('../../adapters/state/stateFile.js');
  const plan = planFor(ctx, await localStateStore(ctx.stateDir).read(ctx.envName));
  const d = describeRollback(plan);
  if (o.json) printJson({ ok: plan.kind !== 'nothing', plan, description: d });
  else out(`${paint(o, 'bold', d.title)}\n${d.lines.map((l) => `  ${l}`).join('\n')}\ndry run: nothing was changed\n`);
  return plan.kind === 'nothing' ? ExitCode.failed : ExitCode.ok;
}

export async function runRollback(
  ctx: OperationContext,
  o: OutputOptions,
  opts: { watch: boolean; dryRun?: boolean; reason?: string },
): Promise<number> {
  if (opts.dryRun) return dryRun(ctx, o);
  const [{ rollback }, { runOperation }] = await Promise.all([import('../../operations/release.js'), import('../operation.js')]);
  const { value: r, exitOnSignal } = await runOperation(ctx, o, opts.watch, (rt) =>
    rollback(ctx, rt, opts.reason ? { reason: opts.reason } : {}),
  );
  if (o.json) printJson(r);
  else if (r.ok)
    out(
      `${paint(o, 'green', 'rolled back')}: traffic on ${r.to.colour} (${r.to.version ?? 'version unknown'}) again, from ${r.from.colour} (${r.from.version ?? '?'}), in ${(r.recoveryMs / 1000).toFixed(1)}s\n`,
    );
  else out(`${paint(o, 'red', 'rollback failed')}: ${r.reason ?? 'see the log'}\n`);
  if (!r.ok && exitOnSignal !== null) return exitOnSignal;
  return r.ok ? ExitCode.ok : ExitCode.failed;
}

export const registerRollbackCommand: RegisterCommands = (program: Command, setExit) => {
  program
    .command('rollback')
    .description('put traffic back on the colour that was live before (undoes an unfinished deploy or canary first)')
    .option('--dry-run', 'print what the rollback would do (from, to, weights) and change nothing')
    .option('--reason <text>', 'why, for the history')
    .option('-w, --watch', 'stream every step (one JSON object per line with --json)')
    .addHelpText(
      'after',
      `
One plan decides where a rollback goes: an unfinished canary gives the stable colour all traffic back; an
unfinished deploy gets its weights from before the switch back; otherwise the colour that was live before
the last release takes the traffic again. The colour that gets the traffic passes its health gate (running
the version it ran) first; if it does not, traffic stays where it is and the failed rollback is recorded in
the history. The dashboard's r key shows and runs the same plan.
Exit 0 rolled back, 1 nothing to roll back or the rollback failed, 3 another operation holds the lock.`,
    )
    .action(async (opts: { watch?: boolean; dryRun?: boolean; reason?: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      setExit(
        await runRollback(await ctx(), o, { watch: !!opts.watch, dryRun: !!opts.dryRun, ...(opts.reason ? { reason: opts.reason } : {}) }),
      );
    });
};
