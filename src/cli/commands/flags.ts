// `prodx flags …`: registers the subcommands only. Every action imports its implementation
// (flagd-core, node:http, the statistics) when it runs, so this module costs `prodx status`
// nothing but a few commander objects.
import type { Command } from 'commander';
import type { RegisterCommands } from '../program.js';
import type { EvaluateOptions } from './flagsRun.js';
import { scopeOf } from '../program.js';

const CHANGE_HELP = `
A change is written atomically, recorded in .prodx/flags/audit.ndjson (who, when, before,
after) and refused when the result would be an invalid flags file. In an environment marked
"protected" in the config it needs --yes. --if-match takes the hash \`prodx flags list --json\`
printed, and refuses the change if the file changed since (exit 3).`;

const EVALUATE_HELP = `
Context values that read as numbers, booleans or null become those (age=42, beta=true); quote
to keep a string: --context zip='"0123"' or --default '"42"' (the shell takes one pair of
quotes, JSON the other). --default without quotes that is not JSON is a string (--default bye).
With --default and no --type, the default's type is the call's, as in an SDK: a flag of another
type answers TYPE_MISMATCH.

Exit 1 when an evaluation is an error (FLAG_NOT_FOUND, TYPE_MISMATCH, PARSE_ERROR …): the app
would get its code default. A flag that does not pass flagd's checks is warned about and
evaluated as flagd evaluates it.`;

/** `flags.command(spec).description(description)`: one subcommand of `prodx flags` */
type Sub = (spec: string, description: string) => Command;
type SetExit = (code: number) => void;

/** list and evaluate: read the flags file, change nothing */
function addReadCommands(sub: Sub, setExit: SetExit): void {
  sub('list', 'every flag: state, type, variants, rollout and targeting in words').action(async (_o, cmd: Command) => {
    const { o, ctx } = scopeOf(cmd);
    const { runList } = await import('./flagsRun.js');
    setExit(runList(await ctx(), o));
  });

  sub('evaluate [flag] [targetingKey]', 'evaluate a flag as an SDK would, with flagd-core: value, variant, reason, error code')
    .option('--context <key=value...>', 'evaluation context, e.g. --context country=DE plan=pro appVersion=2.4.0')
    .option('--context-json <json>', 'evaluation context as a JSON object, for nested and typed values')
    .option('--default <json>', 'the code default: the value for DISABLED, for DEFAULT without a variant and for errors')
    .option('--type <type>', "the type the app asks for: boolean, string, number or object (default: the flag's own)")
    .option('--batch <file>', 'evaluate every line of an NDJSON file (- for stdin): {"flag", "targetingKey", "context", "default", "type"}')
    .addHelpText('after', EVALUATE_HELP)
    .action(async (flag: string | undefined, targetingKey: string | undefined, opts: EvaluateOptions, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runEvaluate } = await import('./flagsRun.js');
      setExit(runEvaluate(await ctx(), o, flag, targetingKey, opts));
    });
}

/** enable, disable and set-rollout: audited changes to the flags file */
function addChangeCommands(sub: Sub, setExit: SetExit): void {
  for (const [verb, what] of [
    ['enable', 'turn a flag on: its targeting applies again'],
    ['disable', 'turn a flag off: every app gets its code default'],
  ] as const) {
    sub(`${verb} <flag>`, what)
      .option('-y, --yes', 'confirm a change in a protected environment')
      .option('--if-match <hash>', 'refuse if the file is no longer the version with this hash')
      .addHelpText('after', CHANGE_HELP)
      .action(async (flag: string, opts: { yes?: boolean; ifMatch?: string }, cmd: Command) => {
        const { o, ctx } = scopeOf(cmd);
        const { runChange } = await import('./flagsRun.js');
        setExit(await runChange(await ctx(), o, flag, { kind: verb }, opts));
      });
  }

  sub('set-rollout <flag> <percent>', "set the share of users a flag's fractional rule gives a variant (0–100)")
    .option('--variant <name>', 'the variant that gets the percentage (default: the true one, or the one that is not the default)')
    .option('-y, --yes', 'confirm a change in a protected environment')
    .option('--if-match <hash>', 'refuse if the file is no longer the version with this hash')
    .addHelpText('after', `${CHANGE_HELP}\nOnly the weights of that flag's "fractional" buckets change; the other variants share the rest.`)
    .action(async (flag: string, percent: string, opts: { variant?: string; yes?: boolean; ifMatch?: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runChange, percentArg } = await import('./flagsRun.js');
      setExit(
        await runChange(
          await ctx(),
          o,
          flag,
          { kind: 'set-rollout', percent: percentArg(percent), ...(opts.variant ? { variant: opts.variant } : {}) },
          opts,
        ),
      );
    });
}

/** report and experiment: what the recorded evaluations, exposures and conversions say */
function addAnalysisCommands(sub: Sub, setExit: SetExit): void {
  sub('report', 'per flag: state, variants, rollout split, evaluations served and exposures recorded').action(async (_o, cmd: Command) => {
    const { o, ctx } = scopeOf(cmd);
    const { runReport } = await import('./flagsRun.js');
    setExit(runReport(await ctx(), o));
  });

  sub(
    'experiment <flag>',
    'A/B results: conversion per variant, uplift with 95% CI, p-value, chance to beat control, sample-ratio check, verdict',
  )
    .option('--metric <name>', 'the conversion event that counts (default: the flag\'s metadata "metric", or the only one recorded)')
    .option('--control <variant>', 'the baseline variant (default: metadata "control", else "control", else the default variant)')
    .option('--events <file>', 'read exposures and conversions from this NDJSON file instead of .prodx/flags')
    .option('--confidence <level>', 'confidence level for intervals and the verdict', '0.95')
    .action(async (flag: string, opts: { metric?: string; control?: string; events?: string; confidence: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runExperiment } = await import('./flagsExperimentRun.js');
      setExit(runExperiment(await ctx(), o, flag, opts));
    });
}

/** serve, start, stop and status: the OFREP endpoint */
function addEndpointCommands(sub: Sub, setExit: SetExit): void {
  const portOption = (c: Command) =>
    c.option('-p, --port <port>', "loopback port (default: the config's flags.port, 8016 like flagd; 0 picks a free one)");
  portOption(sub('serve', 'run the OFREP endpoint in the foreground (Ctrl-C stops it)')).action(
    async (opts: { port?: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runServe } = await import('./flagsServerRun.js');
      setExit(await runServe(await ctx(), o, opts.port));
    },
  );
  portOption(sub('start', 'start the OFREP endpoint in the background on 127.0.0.1'))
    .addHelpText(
      'after',
      "\nApps evaluate through any OpenFeature SDK's OFREP provider at the printed URL; each user's first evaluation of a variant is recorded as an exposure, and the app can POST conversion events to /events.",
    )
    .action(async (opts: { port?: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runStart } = await import('./flagsServerRun.js');
      setExit(await runStart(await ctx(), o, opts.port));
    });
  sub('stop', 'stop the background OFREP endpoint').action(async (_o, cmd: Command) => {
    const { o, ctx } = scopeOf(cmd);
    const { runStop } = await import('./flagsServerRun.js');
    setExit(await runStop(await ctx(), o));
  });
  sub('status', 'is the OFREP endpoint running: URL, flags served, reload errors, evaluations and exposures').action(
    async (_o, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runStatus } = await import('./flagsServerRun.js');
      setExit(await runStatus(await ctx(), o));
    },
  );
}

export const registerFlagsCommands: RegisterCommands = (program, setExit) => {
  const flags = program
    .command('flags')
    .description('feature flags in the OpenFeature flagd format: list, evaluate, roll out, serve OFREP, analyse experiments')
    .addHelpText('after', '\nThe flags file is the config\'s "flags.file" (default flags.json beside the config), in flagd\'s format.');
  const sub: Sub = (spec, description) => flags.command(spec).description(description);
  // in this order in `prodx flags --help`
  for (const add of [addReadCommands, addChangeCommands, addAnalysisCommands, addEndpointCommands]) add(sub, setExit);
};
