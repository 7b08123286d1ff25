// `prodx deploy` and the original script's verbs under `prodx bluegreen`. The operations are
// imported when a command runs, so they cost `prodx status` nothing.
import { Option, type Command } from 'commander';
import { ExitCode, ProdxError } from '../../core/errors.js';
import type { OperationContext } from '../../operations/context.js';
import { out, paint, printJson, type OutputOptions } from '../output.js';
import { scopeOf, type RegisterCommands } from '../program.js';
import { runCanaryDeploy } from './canary.js';
import { runRollback } from './rollback.js';

interface DeployFlags {
  version?: string;
  strategy: 'blue-green' | 'standard';
  dryRun: boolean;
  resume: boolean;
  watch: boolean;
}

export async function runDeploy(ctx: OperationContext, o: OutputOptions, opts: DeployFlags): Promise<number> {
  const [{ deploy }, { runOperation }] = await Promise.all([import('../../operations/release.js'), import('../operation.js')]);
  const { value: r, exitOnSignal } = await runOperation(ctx, o, opts.watch, (rt) => deploy(ctx, rt, opts));
  if (o.json) printJson(r);
  else if (r.result === 'planned') {
    const d = r.deployment;
    out(
      `plan: ${d.version} → ${d.toColour} (${d.strategy}${d.fromColour ? `, ${d.fromColour} is live` : ''})\n${r.plan.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}\ndry run: nothing was changed\n`,
    );
  } else {
    const word = r.ok ? paint(o, 'green', 'deployed') : paint(o, 'red', r.result.replace('-', ' '));
    out(
      `${word} ${r.deployment.version} to ${r.deployment.toColour}${r.reason ? `: ${r.reason}` : ''} (${(r.durationMs / 1000).toFixed(1)}s)\n`,
    );
  }
  if (r.result === 'interrupted' && exitOnSignal !== null) return exitOnSignal;
  return r.ok ? ExitCode.ok : ExitCode.failed;
}

/** `deploy --resume` continues a canary when that is what was interrupted. */
async function unfinishedCanary(ctx: OperationContext): Promise<boolean> {
  const [{ localStateStore }, { isUnfinished }] = await Promise.all([
    import('../../adapters/state/stateFile.js'),
    import('../../core/canary/view.js'),
  ]);
  const s = await localStateStore(ctx.stateDir).read(ctx.envName);
  return !s.active && isUnfinished(s.canary);
}

const strategyOption = () =>
  new Option(
    '-s, --strategy <strategy>',
    'blue-green: release onto the idle colour and switch; canary: shift traffic to it step by step (see `prodx canary --help`); standard: release onto the live colour',
  )
    .choices(['blue-green', 'canary', 'standard'])
    .default('blue-green');

const deployHelp = `
Blue-green: release the version onto the idle colour (release.command), verify it (health.healthyThreshold
healthy probes running the new version, prePromotion.smokePath), switch all traffic to it through the router,
then watch it for postPromotion.window through the metrics provider; a failure there switches traffic back
once the old colour passes its health gate. Every phase is saved in .prodx/state.json first. Ctrl-C or
SIGTERM stops at a safe point (the release hook's processes too) and keeps the phase: \`prodx deploy --resume\`
finishes it, \`prodx rollback\` undoes it. With no state yet prodx learns the live colour from the router and
asks it which version it runs, so the first deploy can be rolled back.
Canary (--strategy canary): the same as \`prodx canary deploy\`; see \`prodx canary --help\`.
Exit 0 when deployed, 1 when it failed or was rolled back, 2 on bad input, 3 when another operation runs in
this environment, 130/143 when Ctrl-C/SIGTERM stopped it.`;

type DeployOpts = { strategy: 'blue-green' | 'standard' | 'canary'; dryRun?: boolean; resume?: boolean; watch?: boolean };

export const registerDeployCommands: RegisterCommands = (program: Command, setExit) => {
  const deployAction = (dryRunFixed?: boolean) => async (version: string | undefined, opts: DeployOpts, cmd: Command) => {
    const { o, ctx } = scopeOf(cmd);
    const flags = { ...(version ? { version } : {}), dryRun: dryRunFixed ?? !!opts.dryRun, resume: !!opts.resume, watch: !!opts.watch };
    if (opts.strategy === 'canary' || (opts.resume && (await unfinishedCanary(await ctx())))) {
      return setExit(await runCanaryDeploy(await ctx(), o, flags));
    }
    if (!version && !opts.resume) {
      throw new ProdxError(
        'usage',
        'name the version to deploy, e.g. `prodx deploy 1.4.2`, or pass --resume to finish an interrupted deploy.',
      );
    }
    setExit(await runDeploy(await ctx(), o, { ...flags, strategy: opts.strategy }));
  };

  program
    .command('deploy')
    .description(
      'release a version: blue-green (switch traffic after it proves healthy), canary (step by step, judged on metrics) or standard',
    )
    .argument('[version]', 'the version to release, e.g. 1.4.2')
    .addOption(strategyOption())
    .option('--dry-run', 'print the plan (colour, hook, checks, weights) and change nothing')
    .option('--resume', 'finish a deploy that was interrupted (prodx was killed or the machine restarted)')
    .option('-w, --watch', 'stream every phase, probe and check (one JSON object per line with --json)')
    .addHelpText('after', deployHelp)
    .action(deployAction());

  const bg = program
    .command('bluegreen')
    .description('the blue-green verbs of the original deployment script: deploy, dry-run, status, rollback, health');
  bg.command('deploy')
    .description('same as `prodx deploy <version> --strategy blue-green`')
    .argument('<version>')
    .option('-w, --watch', 'stream every phase')
    .action(deployAction(false));
  bg.command('dry-run').description('same as `prodx deploy <version> --dry-run`').argument('<version>').action(deployAction(true));
  bg.command('rollback')
    .description('same as `prodx rollback`')
    .option('-w, --watch', 'stream every step')
    .action(async (opts: { watch?: boolean }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      setExit(await runRollback(await ctx(), o, { watch: !!opts.watch }));
    });
  bg.command('status')
    .description('same as `prodx status`')
    .action(async (_opts, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runStatus } = await import('./status.js');
      setExit(await runStatus(await ctx(), o));
    });
  bg.command('health')
    .description('same as `prodx health`')
    .action(async (_opts, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runHealth } = await import('./health.js');
      setExit(await runHealth(await ctx(), o, { watch: false }));
    });
  for (const c of bg.commands) c.addOption(new Option('-s, --strategy <strategy>').default('blue-green').hideHelp());
};
