// `prodx canary …` and `prodx deploy --strategy canary`. The operations are imported when a
// command runs, so they cost `prodx status` nothing.
import type { Command } from 'commander';
import { ExitCode, ProdxError } from '../../core/errors.js';
import type { CanaryRequestType } from '../../core/canary/control.js';
import type { CanaryInterval, CanaryRun } from '../../core/state/schema.js';
import type { DeployEvent } from '../../operations/deployRuntime.js';
import type { CanaryOptions, CanaryPlan } from '../../operations/canary.js';
import type { OperationContext } from '../../operations/context.js';
import { paint, printJson, type OutputOptions } from '../output.js';
import { eventPrinter as deployEvents } from './deploy.js';
import { durationArg, scopeOf, type RegisterCommands } from '../program.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const time = (at: number) => new Date(at).toISOString().slice(11, 19);

function side(o: CanaryInterval['canary'] | null): string {
  if (!o) return 'no data';
  if ('missing' in o) return `no data (${o.missing})`;
  const rate = o.requests > 0 ? pct(o.errors / o.requests) : '-';
  return `${o.requests} req, ${rate} errors, p95 ${o.p95Ms === null ? '-' : `${Math.round(o.p95Ms)}ms`}`;
}

/** One analysis interval as a line (and its rules, when `detail`). */
export function intervalText(
  i: CanaryInterval,
  run: Pick<CanaryRun, 'steps' | 'canaryColour' | 'stableColour'>,
  o: OutputOptions,
  detail: boolean,
): string {
  const colour = i.action === 'abort' ? 'red' : i.action === 'advance' ? 'green' : 'yellow';
  const head = `${time(i.at)} step ${i.step + 1}/${run.steps.length} ${i.weight}%  ${run.canaryColour}: ${side(i.canary)} | ${run.stableColour}: ${side(i.stable)}  ${paint(o, colour, i.action)}`;
  if (!detail) return `${head}\n    ${paint(o, 'gray', i.reason)}`;
  const rules = i.results.map((r) => {
    const c = r.verdict === 'fail' ? 'red' : r.verdict === 'pass' ? 'green' : 'yellow';
    return `    ${r.rule.padEnd(10)} ${paint(o, c, r.verdict.padEnd(12))} ${r.reason}`;
  });
  return [head, ...rules].join('\n');
}

function planText(plan: CanaryPlan): string {
  return [
    `plan: canary ${plan.version} on ${plan.canaryColour}, stable ${plan.stableColour}${plan.stableVersion ? ` (${plan.stableVersion})` : ''}`,
    ...plan.lines.map((l, i) => `  ${i + 1}. ${l}`),
  ].join('\n');
}

/** the plan of the canary being run, for naming the colours in interval lines */
let lastPlan: Pick<CanaryRun, 'steps' | 'canaryColour' | 'stableColour'> | undefined;

function eventPrinter(o: OutputOptions, watch: boolean): (e: DeployEvent) => void {
  const common = deployEvents(o, watch);
  return (e) => {
    if (o.json) return common(e);
    const out = (s: string) => process.stderr.write(`${s}\n`);
    switch (e.type) {
      case 'canary-plan':
        return out(planText(e.plan));
      case 'interval':
        return out(intervalText(e.interval, lastPlan ?? { steps: [], canaryColour: 'canary', stableColour: 'stable' }, o, watch));
      case 'transition': {
        const w = Object.entries(e.weights)
          .map(([c, n]) => `${c} ${n}%`)
          .join(', ');
        const colour = e.state.phase === 'aborted' || e.state.phase === 'rolled-back' ? 'red' : 'bold';
        return out(`${paint(o, colour, e.state.phase)} (${w}): ${e.cause}`);
      }
      default:
        // phases, hook output, probes and warnings read the same as in a blue-green deploy
        return common(e);
    }
  };
}

export async function runCanaryDeploy(ctx: OperationContext, o: OutputOptions, opts: CanaryOptions & { watch: boolean }): Promise<number> {
  const [{ canaryDeploy, systemCanaryDeps }, { systemDeployDeps }] = await Promise.all([
    import('../../operations/canary.js'),
    import('../../operations/deployRuntime.js'),
  ]);
  const print = eventPrinter(o, opts.watch);
  // Ctrl-C stops the analysis between two steps of work and leaves the canary where it is
  // (weights and state), to be resumed or aborted; a second Ctrl-C exits at once
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const deps = {
    ...systemCanaryDeps(
      systemDeployDeps((e) => {
        if (e.type === 'canary-plan') lastPlan = e.plan;
        print(e);
      }),
    ),
    signal: controller.signal,
  };
  const r = await canaryDeploy(ctx, opts, deps);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (o.json) printJson(r);
  else if (r.result === 'planned') process.stdout.write(`${planText(r.plan)}\ndry run: nothing was changed\n`);
  else {
    const word = r.ok ? paint(o, 'green', 'promoted') : paint(o, 'red', r.result);
    process.stdout.write(
      `${word} canary ${r.plan.version} on ${r.plan.canaryColour}${r.reason ? `: ${r.reason}` : ''} (${(r.durationMs / 1000).toFixed(1)}s)\n`,
    );
  }
  return r.ok ? ExitCode.ok : ExitCode.failed;
}

function statusText(run: CanaryRun, o: OutputOptions, describe: (r: CanaryRun) => string, runner: string | null): string {
  const s = run.state;
  const current =
    s.phase === 'progressing' || s.phase === 'paused'
      ? s.step
      : s.phase === 'aborted'
        ? s.step
        : s.phase === 'promoted' || s.phase === 'promoting'
          ? run.steps.length
          : -1;
  const bar = run.steps
    .map((p, i) =>
      i < current
        ? paint(o, 'green', `✓${p}`)
        : i === current && s.phase !== 'promoted'
          ? paint(o, s.phase === 'aborted' ? 'red' : 'bold', `▶${p}`)
          : paint(o, 'gray', ` ${p}`),
    )
    .join('  ');
  const reason = s.phase === 'aborted' || s.phase === 'rolled-back' ? `\n  reason: ${paint(o, 'red', s.reason)}` : '';
  const last = run.analysis.at(-1);
  return [
    `canary ${run.version} on ${run.canaryColour}, stable ${run.stableColour}${run.stableVersion ? ` (${run.stableVersion})` : ''}: ${paint(o, 'bold', describe(run))}${reason}`,
    `  steps  ${bar}`,
    `  started ${new Date(run.startedAt).toISOString()} by ${run.by}; ${run.analysis.length} interval(s) analysed${runner ? `; ${runner}` : ''}`,
    ...(last ? ['  last interval:', intervalText(last, run, o, true)] : []),
  ].join('\n');
}

/** The interval a line of `status --watch --json` carries. */
const intervalLine = (i: CanaryInterval, run: CanaryRun) => ({ event: 'interval', phase: run.state.phase, ...i });

async function runCanaryStatus(ctx: OperationContext, o: OutputOptions, watch: boolean, pollMs: number): Promise<number> {
  const [{ readState }, { envStateOf }, { describeState, isTerminal, isUnfinished }, { readLock, pidAlive }, { hostname }] =
    await Promise.all([
      import('../../adapters/state/stateFile.js'),
      import('../../operations/deployRuntime.js'),
      import('../../operations/canary.js'),
      import('../../adapters/state/lock.js'),
      import('node:os'),
    ]);
  const read = () => envStateOf(ctx, readState(ctx.stateDir)).canary ?? null;
  const runnerOf = (): string | null => {
    const lock = readLock(ctx.stateDir);
    if (!lock || !lock.operation.startsWith('canary ')) return null;
    if (lock.host === hostname() && !pidAlive(lock.pid)) return null;
    return `run by pid ${lock.pid} on ${lock.host}`;
  };
  const verdictOf = (run: CanaryRun) => (run.state.phase === 'promoted' ? 'promoted' : isTerminal(run.state) ? run.state.phase : null);
  const exitOf = (run: CanaryRun | null) =>
    run?.state.phase === 'promoted' ? ExitCode.ok : run && isTerminal(run.state) ? ExitCode.failed : ExitCode.ok;
  if (!watch) {
    const run = read();
    if (o.json)
      printJson({
        ok: true,
        environment: ctx.envName,
        canary: run,
        state: run ? describeState(run) : null,
        verdict: run ? verdictOf(run) : null,
        runner: runnerOf(),
      });
    else
      process.stdout.write(
        run
          ? `${statusText(run, o, describeState, runnerOf())}\n`
          : `no canary has run in ${ctx.envName}. Start one with \`prodx canary deploy <version>\`.\n`,
      );
    return run && isTerminal(run.state) && run.state.phase !== 'promoted' ? ExitCode.failed : ExitCode.ok;
  }
  // --watch: a line per analysis interval and per change of phase, until the canary ends
  const say = (line: object, text: string) => (o.json ? printJson(line) : process.stdout.write(`${text}\n`));
  let seenId: string | null = null;
  let seenIntervals = 0;
  let seenPhase = '';
  let orphanSince: number | null = null;
  let waiting = false;
  for (;;) {
    const run = read();
    if (!run) {
      if (!waiting && !o.json) process.stderr.write(`waiting for a canary to start in ${ctx.envName}…\n`);
      waiting = true;
    } else {
      if (run.id !== seenId) {
        seenId = run.id;
        seenPhase = '';
        // a run that is already under way: show its last interval, not all of them
        seenIntervals = Math.max(0, run.analysis.length - 1);
        say(
          {
            event: 'canary',
            id: run.id,
            version: run.version,
            canaryColour: run.canaryColour,
            stableColour: run.stableColour,
            steps: run.steps,
            intervalMs: run.intervalMs,
          },
          `canary ${run.version} on ${run.canaryColour}, stable ${run.stableColour}, steps ${run.steps.join(' → ')}`,
        );
      }
      // intervals beyond what the state keeps were trimmed: start from what is there
      seenIntervals = Math.min(seenIntervals, run.analysis.length);
      for (const i of run.analysis.slice(seenIntervals)) say(intervalLine(i, run), intervalText(i, run, o, false));
      seenIntervals = run.analysis.length;
      const phase = describeState(run);
      // a change of phase, step or setup; not the seconds a pause has left
      const key = JSON.stringify([run.setup, run.state.phase, 'step' in run.state ? run.state.step : null, run.endedAt ?? null]);
      if (key !== seenPhase) {
        seenPhase = key;
        const s = run.state;
        say(
          { event: 'phase', phase: s.phase, state: s, description: phase },
          `${paint(o, 'bold', phase)}${'reason' in s ? `: ${s.reason}` : ''}`,
        );
      }
      if (!isUnfinished(run) && isTerminal(run.state)) {
        const verdict = verdictOf(run);
        const reason = 'reason' in run.state ? run.state.reason : undefined;
        say(
          { event: 'end', verdict, ...(reason ? { reason } : {}), intervals: run.analysis.length },
          `${verdict}${reason ? `: ${reason}` : ''}`,
        );
        return exitOf(run);
      }
      // nobody analyses it (its prodx was killed): say so instead of waiting for ever
      if (!runnerOf()) {
        orphanSince ??= Date.now();
        if (Date.now() - orphanSince > Math.max(3_000, 2 * pollMs)) {
          throw new ProdxError(
            'canary-orphaned',
            `no prodx is running the canary of ${run.version} (${phase}): continue it with \`prodx canary deploy --resume\` or end it with \`prodx canary abort\`.`,
            ExitCode.failed,
          );
        }
      } else orphanSince = null;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export async function runControl(ctx: OperationContext, o: OutputOptions, type: CanaryRequestType, reason?: string): Promise<number> {
  const [{ canaryControl }, { systemDeployDeps }] = await Promise.all([
    import('../../operations/canary.js'),
    import('../../operations/deployRuntime.js'),
  ]);
  const r = await canaryControl(ctx, systemDeployDeps(), type, reason);
  if (o.json) printJson({ ok: r.ok, request: type, message: r.message, canary: r.run });
  else if (r.ok) process.stdout.write(`${r.message}\n`);
  else process.stderr.write(`${paint(o, 'red', 'prodx:')} ${r.message}\n`);
  return r.ok ? ExitCode.ok : ExitCode.failed;
}

export const registerCanaryCommands: RegisterCommands = (program: Command, setExit) => {
  const canary = program
    .command('canary')
    .description('progressive release: 5 → 10 → 25 → 50 → 100% of traffic with metric analysis and automatic abort')
    .addHelpText(
      'after',
      `
The version goes onto the idle colour (the canary); the live colour is the stable one it is compared with.
Every canary.interval the metric provider (metrics.type: scrape, prometheus or builtin) is read for both;
each rule (error rate, p95, optional p99, and a one-sided two-proportion test against stable) passes, fails
or is inconclusive (fewer than analysis.minRequests requests: the step holds and keeps collecting, it never
passes on missing data). More failed intervals than analysis.failureLimit abort: the canary weight goes to 0
at once. Every transition is saved in .prodx/state.json first; after prodx was killed, \`prodx canary deploy
--resume\` goes on from the same step. Exit 0 promoted, 1 aborted or rolled back, 2 bad input, 3 locked.`,
    );

  const deployAction = async (
    version: string | undefined,
    opts: { resume?: boolean; watch?: boolean; dryRun?: boolean },
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
      await runCanaryDeploy(ctx(), o, {
        ...(version ? { version } : {}),
        resume: !!opts.resume,
        dryRun: !!opts.dryRun,
        watch: !!opts.watch,
        ...fixed,
      }),
    );
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
      setExit(await runCanaryStatus(ctx(), o, !!opts.watch, opts.poll));
    });
  canary
    .command('abort')
    .description('stop the canary now: its weight goes to 0 and the stable colour takes all traffic')
    .option('--reason <text>', 'why, for the history')
    .action(async (opts: { reason?: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      setExit(await runControl(ctx(), o, 'abort', opts.reason));
    });
  canary
    .command('promote')
    .description('skip the rest of this step’s analysis and go to the next step')
    .option('--full', 'skip every remaining step and its analysis: 100% to the canary now')
    .action(async (opts: { full?: boolean }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      setExit(await runControl(ctx(), o, opts.full ? 'promote-full' : 'promote'));
    });
  canary
    .command('pause')
    .description('hold the current step’s weight and stop analysing until resumed')
    .action(async (_opts: object, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      setExit(await runControl(ctx(), o, 'pause'));
    });
  canary
    .command('resume')
    .description('end a pause (yours, or the pause after a step): analysis goes on')
    .action(async (_opts: object, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      setExit(await runControl(ctx(), o, 'resume'));
    });
  canary
    .command('retry')
    .description('start an aborted or rolled-back canary again from the first step (the version stays installed)')
    .option('-w, --watch', 'print every rule of every interval')
    .action((opts: { watch?: boolean }, cmd: Command) => deployAction(undefined, opts, cmd, { retry: true }));
};
