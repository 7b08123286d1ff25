// `prodx errors …`: registers the subcommands only; each action imports its implementation when
// it runs. The collector is the one `prodx collect` runs (shared with RUM).
import type { Command } from 'commander';
import type { RegisterCommands } from '../program.js';
import { scopeOf } from '../program.js';
import { registerCollectorVerbs } from './rum.js';

const REPORT_HELP = `
Groups follow Sentry's grouping: a client fingerprint (or an errors.fingerprintRules match) wins;
else the app's frames (not node_modules, node: internals, CDNs or /vendor/) by function, module and
source line, never line numbers; else the exception's type and value; else the message with
numbers, ids, URLs and dates replaced. A resolved group seen again in a newer release is a
regression. Exit 1 when the newest release has new or regressed unresolved groups.`;

const SIMULATE_HELP = `
Shipped fixture: weather (six hours of a weather app: one radar TypeError from Chrome, Firefox and
Safari stacks, Node errors in Sentry envelopes, a captureMessage, a business error, CSP reports;
4.3.0 brings a new RangeError and brings back a TypeError 4.2.0 had fixed). Exit 1 when the
collector refused deliveries.`;

export const registerErrorsCommands: RegisterCommands = (program, setExit) => {
  const errors = program
    .command('errors')
    .description('error tracking any Sentry SDK reports to: groups, categories, releases, regressions');
  registerCollectorVerbs(errors, setExit, ', the same one as `prodx rum start`');
  errors
    .command('report')
    .description('the error groups of a window: count, users, last seen, category, status, new and regressed')
    .option('-w, --window <window>', '1h, 24h, 7d or 28d', '24h')
    .option('--since <time>', 'from this ISO time (instead of --window)')
    .option('--until <time>', 'up to this ISO time (default: now)')
    .option('--release <release>', 'only events of this release')
    .option('--category <category>', 'javascript, network, security or business')
    .addHelpText('after', REPORT_HELP)
    .action(async (opts: { window: string; since?: string; until?: string; release?: string; category?: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runErrorsReport } = await import('./errorsRun.js');
      setExit(runErrorsReport(await ctx(), o, opts));
    });
  errors
    .command('show <group>')
    .description('one group: the stack with the app frames marked, releases, tags, trend and its latest events')
    .action(async (group: string, _opts, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runErrorsShow } = await import('./errorsRun.js');
      setExit(runErrorsShow(await ctx(), o, group));
    });
  for (const [verb, to, text] of [
    ['resolve', 'resolved', 'mark a group resolved (seen again in a newer release, it is a regression)'],
    ['ignore', 'ignored', 'ignore a group: it no longer fails the exit code of `errors report`'],
    ['reopen', 'unresolved', 'make a resolved or ignored group unresolved again'],
  ] as const)
    errors
      .command(`${verb} <group>`)
      .description(text)
      .action(async (group: string, _opts, cmd: Command) => {
        const { o, ctx } = scopeOf(cmd);
        const { runErrorsStatus } = await import('./errorsRun.js');
        setExit(runErrorsStatus(await ctx(), o, group, to));
      });
  errors
    .command('simulate')
    .description('replay fixture errors, shifted to now, through the collector (Sentry envelopes, /v1/errors, /v1/csp) or into the store')
    .option('--fixture <file>', 'NDJSON of deliveries, or a shipped fixture name', 'weather')
    .option('--count <n>', 'deliveries to send (default: the whole fixture; more repeats it with new event ids)')
    .option('--to <url|state>', 'a collector URL (default: the running collector), or "state" to write the store directly')
    .option('--project <name>', 'the Sentry project in the envelope URL', 'weather')
    .addHelpText('after', SIMULATE_HELP)
    .action(async (opts: { fixture?: string; count?: string; to?: string; project?: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runErrorsSimulate } = await import('./errorsRun.js');
      setExit(await runErrorsSimulate(await ctx(), o, opts));
    });
};
