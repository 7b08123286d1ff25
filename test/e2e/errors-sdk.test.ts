// Error tracking as an instrumented app meets it: the real @sentry/node (11) in its own process,
// its DSN pointed at the built `prodx collect` on a free loopback port, then `prodx errors report
// --json` reading the groups the collector made.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnProdx, type ProdxChild } from '../support/canary.js';
import { prodx } from '../support/cli.js';
import { rumProject } from '../support/rum.js';

const APP = fileURLToPath(new URL('../support/apps/sentry-node-app.mjs', import.meta.url));
const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

const running: ProdxChild[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) {
    c.child.kill('SIGKILL');
    await c.exited;
  }
});

interface Row {
  id: string;
  title: string;
  count: number;
  groupedBy: string;
  culprit: string;
}

describe('@sentry/node reports to prodx collect', () => {
  it('groups as Sentry does: one function two lines, another function, a message, a custom fingerprint', async () => {
    const p = rumProject({}, { errors: { sentryKeys: [KEY] } });
    const child = spawnProdx(['collect', '--json', '--config', p.config]);
    running.push(child);
    const url = (await child.waitForLine((l) => typeof l['url'] === 'string', 'the collector to listen'))['url'] as string;
    const dsn = url.replace('http://', `http://${KEY}@`) + '/42';
    const app = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
      execFile(process.execPath, [APP, dsn], { timeout: 30_000 }, (err, stdout, stderr) => done({ code: err ? 1 : 0, stdout, stderr })),
    );
    expect(app.stderr).toBe('');
    expect(JSON.parse(app.stdout)).toEqual({ flushed: true });

    const r = await prodx(['errors', 'report', '--json', '--config', p.config]);
    const report = JSON.parse(r.stdout) as { groups: Row[]; events: number; latestRelease: string };
    expect(report.events).toBe(7);
    expect(report.latestRelease).toBe('weather@2.1.0');
    const by = (pred: (g: Row) => boolean) => report.groups.filter(pred);
    // the three throws in checkCity (two lines, same source text) are one group
    const city = by((g) => g.title.startsWith('Error: unknown city'));
    expect(city).toHaveLength(1);
    expect(city[0]).toMatchObject({ count: 3, groupedBy: 'stacktrace' });
    expect(city[0]!.culprit).toContain('checkCity');
    expect(by((g) => g.title.startsWith('TypeError: forecast.days'))).toMatchObject([{ count: 1, groupedBy: 'stacktrace' }]);
    expect(by((g) => g.title.includes('Forecast cache is'))).toMatchObject([{ count: 1, groupedBy: 'message' }]);
    expect(by((g) => g.groupedBy === 'fingerprint')).toMatchObject([{ count: 2 }]);
    expect(report.groups).toHaveLength(4);

    // the same SDK with a key the collector does not know is refused
    const wrong = await new Promise<string>((done) =>
      execFile(
        process.execPath,
        [APP, url.replace('http://', 'http://0000000000000000000000000000dead@') + '/42'],
        { timeout: 30_000 },
        (_e, out) => done(out),
      ),
    );
    expect(JSON.parse(wrong)).toEqual({ flushed: true });
    const st = (await (await fetch(url)).json()) as { errors: { rejectedBy: Record<string, number> } };
    expect(st.errors.rejectedBy['auth-wrong-key']).toBeGreaterThan(0);
    const again = JSON.parse((await prodx(['errors', 'report', '--json', '--config', p.config])).stdout) as { events: number };
    expect(again.events).toBe(7);
  });
});
