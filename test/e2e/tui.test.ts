// The real built binary in a real terminal (tmux), as a new user meets it: `prodx demo`.
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { alive, descendantPids, TmuxSession, waitUntil } from '../support/tmux.js';

const sessions: TmuxSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

function demo(width: number, height: number): TmuxSession {
  const s = new TmuxSession('prodx', width, height);
  sessions.push(s);
  // a person's terminal: no CI variable, UTF-8
  s.start(`env -u CI LANG=C.UTF-8 ${process.execPath} ${BIN} demo`);
  return s;
}

const bothHealthy = (screen: string) => /blue\s+● healthy/.test(screen) && /green\s+● healthy/.test(screen);

describe('prodx demo in a terminal', () => {
  it('shows the live dashboard at 80x24, reacts to keys and a fault, and follows a resize to 200x50', async () => {
    const t = demo(80, 24);
    const first = await t.waitFor(bothHealthy, 'both demo targets healthy on the dashboard');
    const lines = first.split('\n');
    expect(lines[0]).toMatch(/^prodx weather · production · live: blue 1\.0\.0 .*● healthy · refreshed/);
    expect(first).toMatch(/1 Dashboard {2}2 Deploy {2}3 Canary {2}4 RUM {2}5 Errors {2}6 Flags/);
    expect(first).toMatch(/blue latency ms/);
    expect(lines.filter((l) => l.trim()).at(-1)).toMatch(/q quit/); // the key hints are the last line
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);

    // the state the dashboard reads: the demo wrote blue as live, and the version is probed
    expect(first).toMatch(/blue\s+● healthy\s+200\s+\d+ms\s+1\.0\.0/);

    t.keys('2');
    const deployScreen = await t.waitFor((s) => /History \(/.test(s), 'the Deploy screen');
    expect(deployScreen).toMatch(/blue[\s\S]*LIVE/); // both colours side by side, blue live
    expect(deployScreen).toMatch(/green/);
    t.keys('Tab');
    await t.waitFor((s) => /No canary release in/.test(s), 'Tab to the Canary screen');
    t.keys('Escape');
    await t.waitFor(bothHealthy, 'Esc back to the Dashboard');

    t.keys('?');
    const help = await t.waitFor((s) => /Help — esc/.test(s), 'the help overlay');
    expect(help).toMatch(/:fault +demo only/); // operations' commands are listed with the built-in ones
    expect(help).toMatch(/ctrl\+r\/R +refresh now/);
    t.keys('Escape');
    await t.waitFor(bothHealthy, 'help closed');

    // a fault injected through the command line: green's health endpoint starts failing
    t.keys(':');
    await t.waitFor((s) => /enter run/.test(s), 'command mode');
    t.type('fault green health=fail');
    await t.waitFor((s) => /:fault green health=fail/.test(s), 'the typed command');
    t.keys('Enter');
    const down = await t.waitFor((s) => /green\s+● down\s+503/.test(s), 'green reported down');
    expect(down).toMatch(/HTTP 503 \(\d+ consecutive failures\)/);
    expect(down.split('\n')[0]).toMatch(/● down/);

    t.resize(200, 50);
    const wide = await t.waitFor((s) => /URL/.test(s) && s.split('\n').some((l) => l.length > 120), 'the wide layout');
    expect(wide).toMatch(/green\s+● down\s+503\s+\d+ms\s+1\.0\.0\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(wide.split('\n').filter((l) => /┤/.test(l)).length).toBeGreaterThan(20); // the charts take the height
  });

  it('deploys with d and rolls back with r, y on the Deploy screen', async () => {
    const t = demo(80, 24);
    await t.waitFor(bothHealthy, 'the dashboard');
    t.keys('2');
    await t.waitFor((s) => /No deploy running/.test(s), 'the Deploy screen');
    t.keys('d');
    await t.waitFor((s) => /enter submit/.test(s), 'the version prompt');
    t.type('1.1.0');
    await t.waitFor((s) => /1\.1\.0/.test(s), 'the typed version');
    t.keys('Enter');
    // the header follows the state file (polled every second), so wait for both
    const done = await t.waitFor(
      (s) => /✓ complete/.test(s) && /live: green 1\.1\.0/.test(s.split('\n')[0]!),
      'the deploy to complete',
      60_000,
    );
    expect(done).toMatch(/green LIVE 1\.1\.0/);
    expect(done).toMatch(/1\.1\.0 +deploy +succeeded/);
    t.keys('r');
    const confirm = await t.waitFor((s) => /Roll back production\?/.test(s), 'the rollback confirmation');
    expect(confirm).toMatch(/from +green 1\.1\.0/);
    expect(confirm).toMatch(/to +blue 1\.0\.0/);
    t.keys('y');
    const back = await t.waitFor(
      (s) => /rolled back: traffic on blue \(1\.0\.0\)/.test(s) && /live: blue 1\.0\.0/.test(s),
      'the rollback',
      30_000,
    );
    expect(back).toMatch(/1\.0\.0 +rollback +succeeded/);
  });

  it('quits on q and on Ctrl-C, leaving no process behind', async () => {
    for (const key of ['q', 'C-c']) {
      const t = demo(100, 30);
      await t.waitFor(bothHealthy, 'the dashboard');
      const prodx = t.panePid();
      const children = descendantPids(prodx);
      expect(children.length).toBeGreaterThanOrEqual(2); // the two sample targets
      t.keys(key);
      await waitUntil(() => t.paneDead(), `prodx to exit on ${key}`);
      await waitUntil(() => children.every((pid) => !alive(pid)), `the demo targets to stop after ${key}`);
      t.kill();
    }
  });

  it('leaves no process behind when the terminal goes away (SIGHUP)', async () => {
    const t = demo(100, 30);
    await t.waitFor(bothHealthy, 'the dashboard');
    const prodx = t.panePid();
    const children = descendantPids(prodx);
    t.kill();
    await waitUntil(() => !alive(prodx) && children.every((pid) => !alive(pid)), 'prodx and its targets to exit');
  });
});
