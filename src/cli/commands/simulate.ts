// `prodx simulate …`: replays of recorded data (experiments, RUM beacons); another group may add
// its own verb to the same `simulate` command (it is looked up first).
import type { Command } from 'commander';
import type { RegisterCommands } from '../program.js';
import { scopeOf } from '../program.js';

export const registerSimulateCommands: RegisterCommands = (program, setExit) => {
  const simulate =
    program.commands.find((c) => c.name() === 'simulate') ??
    program.command('simulate').description('replay recorded or sample data to see what prodx would decide');
  simulate
    .command('experiment')
    .description('replay an experiment fixture in time order and show how the verdict develops, then the final analysis')
    .requiredOption(
      '--fixture <file>',
      'NDJSON of exposures and conversions; the first line names the flag and split (or a shipped fixture name)',
    )
    .option('--metric <name>', "the conversion event that counts (default: the fixture's)")
    .option('--control <variant>', 'the baseline variant (default: the fixture\'s, else "control")')
    .option('--steps <n>', 'checkpoints to show while replaying', '10')
    .addHelpText('after', '\nShipped fixtures: weather-radar-ship, weather-radar-flat, weather-radar-srm (fixtures/flags/experiments).')
    .action(async (opts: { fixture: string; metric?: string; control?: string; steps: string }, cmd: Command) => {
      const { o } = scopeOf(cmd);
      const { runSimulateExperiment } = await import('./flagsExperimentRun.js');
      setExit(runSimulateExperiment(o, opts));
    });
  simulate
    .command('rum')
    .description(
      'replay real-user events (web-vitals beacons, page views, conversions), shifted to now, through the collector or into the store',
    )
    .option('--fixture <file>', 'NDJSON of RUM events, or a shipped fixture name', 'weather')
    .option('--count <n>', 'events to send (default: the whole fixture; more repeats it with new ids and sessions)')
    .option('--rate <r>', 'events per second over HTTP (default: as fast as the collector answers)')
    .option('--to <url|state>', 'a collector URL (default: the running collector), or "state" to write the store directly')
    .addHelpText(
      'after',
      '\nShipped fixture: weather (six hours of a weather site: phones slower than desktops, a slow-3G tail,\nand release 4.3.0 regressing LCP on /radar). Exit 1 when the collector refused requests.',
    )
    .action(async (opts: { fixture?: string; count?: string; rate?: string; to?: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runSimulateRum } = await import('./rumRun.js');
      setExit(await runSimulateRum(await ctx(), o, opts));
    });
};
