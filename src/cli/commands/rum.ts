// `prodx collect` and `prodx rum …`: registers the subcommands only; each action imports its
// implementation (node:http, the sketches, the store) when it runs.
import type { Command } from 'commander';
import type { RegisterCommands } from '../program.js';
import { scopeOf } from '../program.js';

const REPORT_HELP = `
Windows are whole hours: 1h, 24h (the default), 7d, or 28d (CrUX's window); --since/--until take
ISO times (2026-12-01T10:00Z). p50/p75/p95 come from DDSketches (within 0.5%); every rating and
the Core Web Vitals verdict (per page and form factor: LCP, INP and CLS at p75, or LCP and CLS
where no INP was measured) come from exact counts at the web-vitals thresholds. Fewer samples than
rum.minSamples is "not enough data". Exit 1 when a page fails Core Web Vitals.`;

/** `start`, `stop` and `status` of the one collector, under `rum` and under `errors` alike */
export function registerCollectorVerbs(parent: Command, setExit: (code: number) => void, also = ''): void {
  parent
    .command('start')
    .description(`start the collector in the background${also} (record and log in .prodx/collector.json and collector.log)`)
    .option('-p, --port <port>', "port (default: the config's collector.port)")
    .action(async (opts: { port?: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runRumStart } = await import('./rumRun.js');
      setExit(await runRumStart(await ctx(), o, opts.port));
    });
  parent
    .command('stop')
    .description('stop the background collector (it writes its last rollups first)')
    .action(async (_opts, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runRumStop } = await import('./rumRun.js');
      setExit(await runRumStop(await ctx(), o));
    });
  parent
    .command('status')
    .description('is the collector running: pid, address, RUM events and error events stored and refused by reason, last event, disk used')
    .action(async (_opts, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runRumStatus } = await import('./rumRun.js');
      setExit(await runRumStatus(await ctx(), o));
    });
}

export const registerRumCommands: RegisterCommands = (program, setExit) => {
  program
    .command('collect')
    .description(
      'run the collector in the foreground (for systemd or a container): RUM beacons, Sentry envelopes, /v1/errors, CSP reports; SIGTERM stops it',
    )
    .option('-p, --port <port>', "port (default: the config's collector.port, 8790; 0 picks a free one)")
    .action(async (opts: { port?: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runCollect } = await import('./rumRun.js');
      setExit(await runCollect(await ctx(), o, opts.port));
    });
  const rum = program
    .command('rum')
    .description('real-user monitoring: Core Web Vitals from the web-vitals library, by page, device, connection, version and country');
  registerCollectorVerbs(rum, setExit);
  rum
    .command('report')
    .description(
      'what real users experience: p75 per metric with good/NI/poor shares, pages failing Core Web Vitals, engagement, conversions',
    )
    .option('-w, --window <window>', '1h, 24h, 7d or 28d', '24h')
    .option('--since <time>', 'from this ISO time (instead of --window)')
    .option('--until <time>', 'up to this ISO time (default: now)')
    .option('--by <dimension>', 'segment by device, connection, page, version or country')
    .option('--metric <name>', 'the trend series: LCP (default), INP, CLS, FCP, TTFB', 'LCP')
    .addHelpText('after', REPORT_HELP)
    .action(async (opts: { window: string; since?: string; until?: string; by?: string; metric: string }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runRumReport } = await import('./rumRun.js');
      setExit(runRumReport(await ctx(), o, opts));
    });
  rum
    .command('snippet')
    .description('print the lines a page adds to send Core Web Vitals to the collector (uses the web-vitals package)')
    .option('--collector <url>', "the collector's public URL (default: the config's collector host and port)")
    .option('--app-version <version>', 'the version the page reports (default: "unknown")')
    .option('--soft-navs', "also report soft navigations (web-vitals' reportSoftNavs)")
    .action(async (opts: { collector?: string; appVersion?: string; softNavs?: boolean }, cmd: Command) => {
      const { o, ctx } = scopeOf(cmd);
      const { runRumSnippet } = await import('./rumRun.js');
      setExit(runRumSnippet(await ctx(), o, opts));
    });
};
