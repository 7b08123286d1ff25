// `prodx deploy`, `prodx rollback`, and the original script's verbs under `prodx bluegreen`.
// The operations are imported when a command runs, so they cost `prodx status` nothing.
import { Option, type Command } from 'commander';
import { ExitCode } from '../../core/errors.js';
import type { DeployEvent } from '../../operations/deployRuntime.js';
import type { DeployResult } from '../../operations/deploy.js';
import type { RollbackResult } from '../../operations/rollback.js';
import type { OperationContext } from '../../operations/context.js';
import { paint, printJson, type OutputOptions } from '../output.js';
import { scopeOf, type RegisterCommands } from '../program.js';

/** Prints deploy events as they come: JSON lines with --watch --json, else text on stderr. */
export function eventPrinter(o: OutputOptions, watch: boolean): (e: DeployEvent) => void {
  return (e) => {
    if (o.json) {
      if (watch) printJson({ event: e.type, ...e });
      return;
    }
    const out = (s: string) => process.stderr.write(`${s}\n`);
    switch (e.type) {
      case 'plan':
        if (!watch) return;
        return out(
          `plan: ${e.deployment.version} → ${e.deployment.toColour} (${e.deployment.strategy})\n${e.steps.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}`,
        );
      case 'phase':
        return out(`${paint(o, 'bold', e.phase)}${e.reason ? `: ${e.reason}` : ''}`);
      case 'hook':
        return out(paint(o, 'gray', `  | ${e.line}`));
      case 'probe':
        return watch ? out(`  probe ${e.colour}: ${e.verdict.reason}`) : undefined;
      case 'check':
        return out(`  check: ${e.check.verdict} — ${e.check.reason}`);
      case 'warning':
        return out(paint(o, 'yellow', `warning: ${e.message}`));
    }
  };
}

export async function runDeploy(
  ctx: OperationContext,
  o: OutputOptions,
  opts: { version?: string; strategy: 'blue-green' | 'standard'; dryRun: boolean; resume: boolean; watch: boolean },
): Promise<number> {
  const [{ deploy }, { systemDeployDeps }] = await Promise.all([
    import('../../operations/deploy.js'),
    import('../../operations/deployRuntime.js'),
  ]);
  const result: DeployResult = await deploy(ctx, opts, systemDeployDeps(eventPrinter(o, opts.watch)));
  if (o.json) printJson(result);
  else if (result.result === 'planned') {
    const d = result.deployment;
    process.stdout.write(
      `plan: ${d.version} → ${d.toColour} (${d.strategy}${d.fromColour ? `, ${d.fromColour} is live` : ''})\n${result.plan.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}\ndry run: nothing was changed\n`,
    );
  } else
    process.stdout.write(
      `${result.ok ? paint(o, 'green', 'deployed') : paint(o, 'red', result.result)} ${result.deployment.version} to ${result.deployment.toColour}${result.reason ? `: ${result.reason}` : ''} (${(result.durationMs / 1000).toFixed(1)}s)\n`,
    );
  return result.ok ? ExitCode.ok : ExitCode.failed;
}

export async function runRollback(ctx: OperationContext, o: OutputOptions, watch: boolean): Promise<number> {
  if (await unfinishedCanary(ctx)) {
    // a canary under way is undone by giving the stable colour all traffic back
    const { runControl } = await import('./canary.js');
    return runControl(ctx, o, 'rollback');
  }
  const [{ rollback }, { systemDeployDeps }] = await Promise.all([
    import('../../operations/rollback.js'),
    import('../../operations/deployRuntime.js'),
  ]);
  const r: RollbackResult = await rollback(ctx, systemDeployDeps(eventPrinter(o, watch)));
  if (o.json) printJson(r);
  else
    process.stdout.write(
      `${paint(o, 'green', 'rolled back')}: traffic on ${r.to.colour} (${r.to.version}) again, from ${r.from?.colour ?? '?'} (${r.from?.version ?? '?'}), in ${(r.recoveryMs / 1000).toFixed(1)}s\n`,
    );
  return r.ok ? ExitCode.ok : ExitCode.failed;
}

/** `deploy --resume` continues a canary when that is what was interrupted. */
async function unfinishedCanary(ctx: OperationContext): Promise<boolean> {
  const [{ readState }, { envStateOf }, { isUnfinished }] = await Promise.all([
    import('../../adapters/state/stateFile.js'),
    import('../../operations/deployRuntime.js'),
    import('../../operations/canary.js'),
  ]);
  const s = envStateOf(ctx, readState(ctx.stateDir));
  return !s.active && isUnfinished(s.canary);
}

const strategyOption = () =>
  new Option(
    '-s, --strategy <strategy>',
    'blue-green: release onto the idle colour and switch; canary: shift traffic to it step by step (see `prodx canary --help`); standard: release onto the live colour',
  )
    .choices(['blue-green', 'canary', 'standard'])
    .default('blue-green');

export const registerDeployCommands: RegisterCommands = (program: Command, setExit) => {
  const deployAction =
    (dryRunFixed?: boolean) =>
    async (
      version: string | undefined,
      opts: { strategy: 'blue-green' | 'standard' | 'canary'; dryRun?: boolean; resume?: boolean; watch?: boolean },
      cmd: Command,
    ) => {
      const { o, ctx } = scopeOf(cmd);
      if (opts.strategy === 'canary' || (opts.resume && (await unfinishedCanary(ctx())))) {
        const { runCanaryDeploy } = await import('./canary.js');
        setExit(
          await runCanaryDeploy(ctx(), o, {
            ...(version ? { version } : {}),
            dryRun: dryRunFixed ?? !!opts.dryRun,
            resume: !!opts.resume,
            watch: !!opts.watch,
          }),
        );
        return;
      }
      if (!version && !opts.resume) {
        const { ProdxError } = await import('../../core/errors.js');
        throw new ProdxError(
          'usage',
          'name the version to deploy, e.g. `prodx deploy 1.4.2`, or pass --resume to finish an interrupted deploy.',
        );
      }
      setExit(
        await runDeploy(ctx(), o, {
          ...(version ? { version } : {}),
          strategy: opts.strategy as 'blue-green' | 'standard',
          dryRun: dryRunFixed ?? !!opts.dryRun,
          resume: !!opts.resume,
          watch: !!opts.watch,
        }),
      );
    };
  const deployHelp = `
Blue-green: release the version onto the idle colour (release.command), verify it (health.healthyThreshold
healthy probes running the new version, prePromotion.smokePath), switch all traffic to it through the router,
then watch it for postPromotion.window; a failure there switches traffic back. Every phase is saved in
.prodx/state.json first, so after an interruption \`prodx deploy --resume\` or \`prodx rollback\` finishes safely.
Canary (--strategy canary): the same as \`prodx canary deploy\`; see \`prodx canary --help\`.
Exit 0 when deployed, 1 when it failed or was rolled back, 2 on bad input, 3 when another operation runs.`;

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

  program
    .command('rollback')
    .description('put traffic back on the colour that was live before (undoes a running or interrupted deploy too)')
    .option('-w, --watch', 'stream every step (one JSON object per line with --json)')
    .addHelpText('after', '\nThe previous colour must pass its health gate (running the version it ran) before it gets the traffic back.')
    .action(async (opts: { watch?: boolean }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      setExit(await runRollback(ctx(), o, !!opts.watch));
    });

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
      setExit(await runRollback(ctx(), o, !!opts.watch));
    });
  bg.command('status')
    .description('same as `prodx status`')
    .action(async (_opts, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runStatus } = await import('./status.js');
      setExit(runStatus(ctx(), o));
    });
  bg.command('health')
    .description('same as `prodx health`')
    .action(async (_opts, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runHealth } = await import('./health.js');
      setExit(await runHealth(ctx(), o, { watch: false }));
    });
  for (const c of bg.commands) c.addOption(new Option('-s, --strategy <strategy>').default('blue-green').hideHelp());
};
