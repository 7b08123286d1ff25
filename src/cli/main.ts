// The prodx command line. Parses arguments with commander, builds the operation context and
// runs one command. Each command's module, and Ink and React
// on the interactive path (see ui.ts), are imported when used, so `--json` start-up stays fast.
import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { ExitCode, ProdxError } from '../core/errors.js';
import { closest } from '../core/config/issues.js';
import { reportError } from './output.js';
import { durationArg, isInteractive, scopeOf, type RegisterCommands } from './program.js';
import { registerDeployCommands } from './commands/deploy.js';
import { registerRollbackCommand } from './commands/rollback.js';
import { registerCanaryCommands } from './commands/canary.js';
import { registerRouterCommands } from './commands/router.js';
import { registerFlagsCommands } from './commands/flags.js';
import { registerSimulateCommands } from './commands/simulate.js';
import { registerRumCommands } from './commands/rum.js';
import { registerErrorsCommands } from './commands/errors.js';

/** Command modules that register their own subcommands (keep their heavy imports lazy). */
const COMMAND_GROUPS: RegisterCommands[] = [
  registerDeployCommands,
  registerRollbackCommand,
  registerCanaryCommands,
  registerRouterCommands,
  registerFlagsCommands,
  registerRumCommands,
  registerErrorsCommands,
  registerSimulateCommands,
];

type SetExit = (code: number) => void;

/** The global options and help, and `prodx` alone: the dashboard at a terminal, else the status summary. */
function defineRoot(program: Command, setExit: SetExit): void {
  program
    .description('Ship a web app safely from the terminal: live health of every target, state of each environment, and a dashboard.')
    .version(pkg.version, '-V, --version', 'print the prodx version')
    .option('--json', 'print one JSON object on stdout (one per line with --watch); failures as {"ok":false,"error":…}')
    .option('-c, --config <path>', 'the config file (default: $PRODX_CONFIG, else ./prodx.config.json)')
    .option('-e, --env <name>', 'the environment (default: $PRODX_ENV, else $NODE_ENV if the config has it, else production)')
    .option('--no-color', 'plain text without colours (also NO_COLOR=1)')
    .showHelpAfterError('(run `prodx --help` for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      `
Exit codes: 0 ok · 1 the operation failed or a gate is red (e.g. a target down) · 2 bad input
(usage, config) · 3 another operation holds this environment's lock · 130/143 Ctrl-C/SIGTERM stopped
an operation at a safe point (resumable).

Without a command, prodx opens the interactive dashboard in a terminal, and prints the status
summary when stdout is not a terminal or CI is set. In the dashboard \`?\` lists every key and \`:\`
runs any verb (\`:deploy 1.5.0\`, \`:rollback\`). Try \`prodx demo\` with nothing installed.`,
    )
    .allowExcessArguments(true)
    .action(async (_opts, cmd: Command) => {
      const [word] = cmd.args;
      if (word !== undefined) {
        const guess = closest(
          word,
          cmd.commands.map((c) => c.name()),
        );
        throw new ProdxError(
          'usage',
          `unknown command '${word}'${guess ? ` (did you mean '${guess}'?)` : ''}: run \`prodx --help\` for the list.`,
        );
      }
      const { o, ctx } = scopeOf(cmd);
      if (isInteractive() && !o.json) {
        const { runDashboard } = await import('./ui.js');
        setExit(await runDashboard(await ctx()));
      } else {
        const { runStatus } = await import('./commands/status.js');
        setExit(await runStatus(await ctx(), o));
      }
    });
}

/** status and health: what is deployed where, and is it up */
function addStatusCommands(program: Command, setExit: SetExit): void {
  program
    .command('status')
    .description('show what is deployed where: live colour and version, targets, last deploy, lock (reads state only, no network)')
    .action(async (_opts, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runStatus } = await import('./commands/status.js');
      setExit(await runStatus(await ctx(), o));
    });

  program
    .command('health')
    .description('probe every target of the environment; exit 1 when any target is down')
    .option('-w, --watch', 'keep probing every health interval and print each round (Ctrl-C stops)')
    .addHelpText(
      'after',
      '\nA failing target is re-probed until health.unhealthyThreshold decides it is down, so one blip does not fail a pipeline.',
    )
    .action(async (opts: { watch?: boolean }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      // HTTP (got) is loaded only by the commands that probe: `status` stays fast
      const { runHealth } = await import('./commands/health.js');
      setExit(await runHealth(await ctx(), o, { watch: !!opts.watch }));
    });
}

/** init and demo: getting started, with a config of your own or with nothing installed */
function addStartCommands(program: Command, setExit: SetExit): void {
  program
    .command('init')
    .description('write a starter prodx.config.json, every field explained in comments')
    .option('--app <name>', 'the app name', 'my-app')
    .option('--path <file>', 'where to write it', 'prodx.config.json')
    .option('--force', 'replace an existing file')
    .action(async (opts: { app: string; path: string; force?: boolean }, cmd: Command) => {
      const { o } = scopeOf(cmd);
      const { runInit } = await import('./commands/init.js');
      setExit(runInit(o, { app: opts.app, path: opts.path, force: !!opts.force }));
    });

  program
    .command('demo')
    .description('a self-contained sandbox: two sample targets on loopback, synthetic traffic, and the dashboard')
    .addOption(
      new Option('-d, --duration <time>', 'with --json or without a terminal: how long to observe (e.g. 10s)').argParser(durationArg),
    )
    .addHelpText(
      'after',
      `
Everything runs on 127.0.0.1 on free ports, in a temporary folder: its config path is in the
dashboard's ? help (so \`prodx status --config …\` works on it from another shell) and is printed
when the demo ends. The folder and every process the demo started are removed however it ends
(q, Ctrl-C, SIGTERM, a closed terminal). Its production is protected like a real one: every change
from the dashboard asks first.`,
    )
    .action(async (opts: { duration?: number }, cmd: Command) => {
      const { o } = scopeOf(cmd);
      const { runDemo } = await import('./commands/demo.js');
      setExit(await runDemo(o, { durationMs: opts.duration, interactive: isInteractive() && !o.json }));
    });
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('prodx');
  defineRoot(program, setExit);
  addStatusCommands(program, setExit);
  addStartCommands(program, setExit);

  // command groups that live in their own modules register here, one line each
  for (const register of COMMAND_GROUPS) register(program, setExit);
  for (const group of program.commands) needsSubcommand(group);

  return program;
}

/** `prodx canary` alone (or `prodx canary deplyo`): one usage line naming the subcommands, in text and --json alike. */
function needsSubcommand(group: Command): void {
  if (group.commands.length === 0) return;
  for (const sub of group.commands) needsSubcommand(sub);
  const names = group.commands.map((c) => c.name());
  const path = (c: Command): string => (c.parent ? `${path(c.parent)} ${c.name()}` : c.name());
  group.allowExcessArguments(true).action((_opts, cmd: Command) => {
    const [word] = cmd.args;
    const guess = word === undefined ? undefined : closest(word, names);
    const what = word === undefined ? 'needs a subcommand' : `has no subcommand '${word}'${guess ? ` (did you mean '${guess}'?)` : ''}`;
    throw new ProdxError(
      'usage',
      `\`${path(group)}\` ${what}: one of ${names.join(', ')}. Run \`${path(group)} --help\` for what each does.`,
    );
  });
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((c) => (exitCode = c));
  const json = argv.includes('--json');
  // every (sub)command: errors come back here as exceptions, printed our way
  const override = (c: Command): void => {
    c.exitOverride();
    c.configureOutput({
      writeErr: (s) => (json ? undefined : process.stderr.write(s)),
      outputError: (s, write) => (json ? undefined : write(s.replace(/^error: /, 'prodx: '))),
    });
    c.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return ExitCode.ok;
      if (json) reportError({ json, color: false }, new ProdxError('usage', err.message.replace(/^error: /, '')));
      return ExitCode.badInput;
    }
    const color = !argv.includes('--no-color') && !process.env['NO_COLOR'] && !!process.stderr.isTTY;
    return reportError({ json, color }, err);
  }
}

process.exitCode = await main(process.argv);
// the command is done: a handle something left open (a keep-alive socket, a timer of an operation
// that did not stop in time) must not keep prodx alive; output still in flight gets a moment
setTimeout(() => process.exit(), 2_000).unref();
