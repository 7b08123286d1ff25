// `prodx canary …` and `prodx deploy --strategy canary`. The operations are imported when a
// command runs, so they cost `prodx status` nothing.
import type { Command } from 'commander';
import { ExitCode, ProdxError } from '../../core/errors.js';
import type { OperationContext } from '../../operations/context.js';
import type { CanaryOptions } from '../../operations/canary/deploy.js';
import type { ControlRequest } from '../../operations/canary/control.js';
import type { WatchEvent } from '../../operations/canary/watch.js';
import { intervalText, planText, statusText } from '../canaryText.js';
import { err, out, paint, printJson, printJsonLine, type OutputOptions } from '../output.js';
import { durationArg, scopeOf, type RegisterCommands } from '../program.js';

export async function runCanaryDeploy(ctx: OperationContext, o: OutputOptions, opts: CanaryOptions & { watch: boolean }): Promise<number> {
  const [{ canaryDeploy }, { runOperation }] = await Promise.all([import('../../operations/release.js'), import('../operation.js')]);
  const { value: r, exitOnSignal } = await runOperation(ctx, o, opts.watch, (rt) => canaryDeploy(ctx, rt, opts));
  if (o.json) printJson(r);
  else if (r.result === 'planned') out(`${planText(r.plan)}\ndry run: nothing was changed\n`);
  else {
    const word = r.ok ? paint(o, 'green', 'promoted') : paint(o, 'red', r.result.replace('-', ' '));
    out(
      `${word} canary ${r.plan.version} on ${r.plan.canaryColour}${r.reason ? `: ${r.reason}` : ''} (${(r.durationMs / 1000).toFixed(1)}s)\n`,
    );
  }
  if (r.result === 'interrupted' && exitOnSignal !== null) return exitOnSignal;
  return r.ok ? ExitCode.ok : ExitCode.failed;
}

function printWatchEvent(o: OutputOptions, e: WatchEvent): void {
  if (o.json) {
    const line: Record<string, unknown> =
      e.event === 'waiting'
        ? { event: 'waiting' }
        : e.event === 'canary'
          ? {
              event: 'canary',
              id: e.run.id,
              revision: e.run.revision ?? null,
              version: e.run.version,
              canaryColour: e.run.canaryColour,
              stableColour: e.run.stableColour,
              steps: e.run.steps,
              intervalMs: e.run.intervalMs,
            }
          : e.event === 'interval'
            ? { event: 'interval', phase: e.run.state.phase, ...e.interval }
            : e.event === 'phase'
              ? { event: 'phase', phase: e.run.state.phase, state: e.run.state, description: e.description }
              : { event: 'end', verdict: e.verdict, ...(e.reason ? { reason: e.reason } : {}), intervals: e.run.analysis.length };
    return printJsonLine(line, !(e.event === 'end' && e.verdict !== 'promoted'));
  }
  switch (e.event) {
    case 'waiting':
      return err(`waiting for a canary to start…\n`);
    case 'canary':
      return out(`canary ${e.run.version} on ${e.run.canaryColour}, stable ${e.run.stableColour}, steps ${e.run.steps.join(' → ')}\n`);
    case 'interval':
      return out(`${intervalText(e.interval, e.run, o, false)}\n`);
    case 'phase': {
      const s = e.run.state;
      return out(`${paint(o, 'bold', e.description)}${'reason' in s ? `: ${s.reason}` : ''}\n`);
    }
    case 'end':
      return out(`${e.verdict.replace('-', ' ')}${e.reason ? `: ${e.reason}` : ''}\n`);
  }
}

async function runCanaryStatus(ctx: OperationContext, o: OutputOptions, watch: boolean, pollMs: number): Promise<number> {
  const [{ systemRuntime }, { canaryView, isTerminal }, { liveRunner }] = await Promise.all([
    import('../../app/system.js'),
    import('../../core/canary/view.js'),
    import('../../core/state/lock.js'),
  ]);
  if (!watch) {
    const rt = systemRuntime(ctx);
    const run = (await rt.store.read(ctx.envName)).canary ?? null;
    const now = Date.now();
    const runner = liveRunner(await rt.locks.read(ctx.envName), rt.locks.liveness(now));
    const runnerText = runner ? `run by pid ${runner.pid} on ${runner.host}` : null;
    const view = run ? canaryView(run, now) : null;
    const verdict = run ? (isTerminal(run.state) ? run.state.phase : null) : null;
    if (o.json)
      printJson({ ok: true, environment: ctx.envName, canary: run, view, state: view?.words ?? null, verdict, runner: runnerText });
    else
      out(
        run && view
          ? `${statusText(run, view, o, runnerText)}\n`
          : `no canary has run in ${ctx.envName}. Start one with \`prodx canary deploy <version>\`.\n`,
      );
    return run && isTerminal(run.state) && run.state.phase !== 'promoted' ? ExitCode.failed : ExitCode.ok;
  }
  const [{ watchCanary }, { runOperation }] = await Promise.all([import('../../operations/release.js'), import('../operation.js')]);
  const { value: end, exitOnSignal } = await runOperation(ctx, o, false, (rt) =>
    watchCanary(ctx, rt, (e) => printWatchEvent(o, e), { pollMs }),
  );
  if (end === 'stopped') return exitOnSignal ?? ExitCode.failed;
  return end === 'promoted' ? ExitCode.ok : ExitCode.failed;
}

export async function runControl(ctx: OperationContext, o: OutputOptions, type: ControlRequest, reason?: string): Promise<number> {
  const [{ canaryControl }, { runOperation }] = await Promise.all([import('../../operations/release.js'), import('../operation.js')]);
  const { value: r } = await runOperation(ctx, o, false, (rt) => canaryControl(ctx, rt, type, reason));
  if (o.json) printJson({ ok: r.ok, request: type, message: r.message, canary: r.run });
  else if (r.ok) out(`${r.message}\n`);
  else err(`${paint(o, 'red', 'prodx:')} ${r.message}\n`);
  return r.ok ? ExitCode.ok : ExitCode.failed;
}

const canaryHelp = `
The version goes onto the idle colour (the canary); the live colour is the stable one it is compared with.
Every canary.interval the metric provider (metrics.type: scrape, prometheus or builtin) is read for both;
each rule (error rate, p95, optional p99, and a one-sided two-proportion test against stable) passes, fails
or is inconclusive (fewer than analysis.minRequests requests: the step holds and keeps collecting, it never
passes on missing data). More failed intervals than analysis.failureLimit abort: the canary weight goes to 0
at once. Every transition is saved in .prodx/state.json first; after prodx was killed, \`prodx canary deploy
--resume\` goes on from the same step. \`prodx rollback\` undoes a canary (stable gets all traffic back).
Exit 0 promoted, 1 aborted or rolled back, 2 bad input, 3 locked, 130/143 stopped by Ctrl-C/SIGTERM.`;

export const registerCanaryCommands: RegisterCommands = (program: Command, setExit) => {
  const canary = program
    .command('canary')
    .description(
      'progressive release: traffic moved step by step (by default 5 → 10 → 25 → 50 → 100%) with metric analysis and automatic abort',
    )
    .addHelpText('after', canaryHelp);

  const deployAction = async (
    version: string | undefined,
    opts: { resume?: boolean; watch?: boolean },
    cmd: Command,
    fixed: Partial<CanaryOptions> = {},
  ) => {
    const { o, ctx } = scopeOf(cmd);
    if (!version && !opts.resume && !fixed.retry) {
      throw new ProdxError(
        'usage',
        'name the version to release, e.g. `prodx canary deploy 1.4.2`, or pass --resume to continue an interrupted canary.',
      );
    }
    setExit(
      await runCanaryDeploy(await ctx(), o, { ...(version ? { version } : {}), resume: !!opts.resume, watch: !!opts.watch, ...fixed }),
    );
  };
  const control = (type: ControlRequest) => async (opts: { reason?: string; full?: boolean }, cmd: Command) => {
    const { o, ctx } = scopeOf(cmd);
    setExit(await runControl(await ctx(), o, type === 'promote' && opts.full ? 'promote-full' : type, opts.reason));
  };

  canary
    .command('deploy')
    .description('release a version as a canary and walk it through the steps (stays in the foreground until it ends)')
    .argument('[version]', 'the version to release, e.g. 1.4.2')
    .option('--resume', 'continue the canary a killed prodx left, on the step it was on')
    .option('-w, --watch', 'print every rule of every interval (one JSON object per event with --json)')
    .action((version: string | undefined, opts: { resume?: boolean; watch?: boolean }, cmd: Command) => deployAction(version, opts, cmd));
  canary
    .command('dry-run')
    .description('print the plan: colours, steps with their router weights, interval and analysis rules; change nothing')
    .argument('<version>')
    .action((version: string, _opts: object, cmd: Command) => deployAction(version, {}, cmd, { dryRun: true }));
  canary
    .command('status')
    .description('the canary in progress (or the last one): step, weights, last analysis and verdict')
    .option('-w, --watch', 'a line per analysis interval until the canary ends; exit 0 promoted, 1 aborted (a CI gate)')
    .option('--poll <duration>', 'how often --watch reads the state', durationArg, 250)
    .action(async (opts: { watch?: boolean; poll: number }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      setExit(await runCanaryStatus(await ctx(), o, !!opts.watch, opts.poll));
    });
  canary
    .command('abort')
    .description('stop the canary now: its weight goes to 0 and the stable colour takes all traffic')
    .option('--reason <text>', 'why, for the history')
    .action(control('abort'));
  canary
    .command('promote')
    .description('skip the rest of this step’s analysis and go to the next step')
    .option('--full', 'skip every remaining step and its analysis: 100% to the canary now')
    .action(control('promote'));
  canary.command('pause').description('hold the current step’s weight and stop analysing until resumed').action(control('pause'));
  canary.command('resume').description('end a pause (yours, or the pause after a step): analysis goes on').action(control('resume'));
  canary
    .command('retry')
    .description('start an aborted or rolled-back canary again from the first step (the version stays installed)')
    .option('-w, --watch', 'print every rule of every interval')
    .action((opts: { watch?: boolean }, cmd: Command) => deployAction(undefined, opts, cmd, { retry: true }));
};
