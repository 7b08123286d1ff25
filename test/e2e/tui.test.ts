// The real built binary in a real terminal (tmux), as a new user meets it: `prodx demo`.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
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
const header = (screen: string) => screen.split('\n')[0]!;

/** The demo's folder, from its config path in help (the last rows). */
async function demoDir(t: TmuxSession): Promise<string> {
  t.keys('?');
  let screen = await t.waitFor((s) => /Help — lines/.test(s), 'help');
  let path: string | undefined;
  for (let i = 0; i < 12 && !(path = /config +(\/\S+prodx\.config\.json)/.exec(screen)?.[1]); i++) {
    const before = screen;
    t.keys('PageDown');
    screen = await t.waitFor((s) => s !== before || !/↓ \d+ more/.test(s), 'the next page of help');
  }
  t.keys('Escape');
  // an Esc followed at once by another key reads as Alt+key: let the app see it alone
  await t.waitFor((s) => !/Help — lines/.test(s), 'help closed');
  expect(path, 'help names the demo config').toBeDefined();
  return dirname(path!);
}

describe('prodx demo in a terminal', () => {
  it('shows the live dashboard at 80x24, reacts to keys and a fault, and follows a resize to 200x50', async () => {
    const t = demo(80, 24);
    const first = await t.waitFor(bothHealthy, 'both demo targets healthy on the dashboard');
    const lines = first.split('\n');
    // at 80 columns the header keeps the environment, both colours and production's health
    expect(lines[0]).toMatch(/^production · live blue 1\.0\.0 · idle green ● healthy +● healthy · \d+s ago$/);
    expect(first).toMatch(/\[1 Dashboard\] 2 Deploy {2}3 Canary {2}4 RUM {2}5 Errors {2}6 Flags/);
    expect(first).toMatch(/blue latency · \d+ probes?/);
    expect(lines.filter((l) => l.trim()).at(-1)).toMatch(/q quit/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    // the banner wraps instead of being cut, and says where to start
    expect(first).toMatch(/demo · d deploys, c canaries: 1\.1\.0 works/);
    expect(first).toMatch(/\? help/);

    t.keys('2');
    const deployScreen = await t.waitFor((s) => /History \(/.test(s), 'the Deploy screen');
    expect(deployScreen).toMatch(/blue LIVE/);
    t.keys('Tab');
    await t.waitFor((s) => /No canary is running/.test(s), 'Tab to the Canary screen');
    t.keys('Escape');
    await t.waitFor(bothHealthy, 'Esc back to the Dashboard');

    // a fault injected through the command line: green's health endpoint starts failing
    t.keys(':');
    await t.waitFor((s) => /enter run/.test(s), 'command mode');
    t.type('fault green health=fail');
    t.keys('Enter');
    const down = await t.waitFor((s) => /green\s+● down\s+503/.test(s), 'green reported down');
    // the idle colour down is not an outage: production's health is the live colour's
    expect(header(down)).toMatch(/idle green ● down +● healthy · \d+s ago$/);

    t.resize(200, 50);
    const wide = await t.waitFor((s) => /URL/.test(s) && s.split('\n').some((l) => l.length > 120), 'the wide layout');
    expect(wide).toMatch(/green\s+● down\s+503\s+\d+ms\s+1\.0\.0\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(wide.split('\n').filter((l) => /┤/.test(l)).length).toBeGreaterThan(20);
    expect(wide).toContain('✗'); // green's failed probes, drawn as failures
  });

  it('help is complete and readable at 80x24 and 60x20: it scrolls instead of dropping rows', async () => {
    for (const [w, h] of [
      [80, 24],
      [60, 20],
    ] as const) {
      const t = demo(w, h);
      await t.waitFor(bothHealthy, 'the dashboard');
      t.keys('3');
      await t.waitFor((s) => /No canary is running/.test(s), 'the Canary screen');
      t.keys('?');
      const seen = new Set<string>();
      let screen = await t.waitFor((s) => /Help — lines 1-/.test(s), 'help');
      for (let i = 0; i < 30; i++) {
        for (const l of screen.split('\n')) {
          expect(l.length).toBeLessThanOrEqual(w);
          seen.add(l.trim());
        }
        if (!/↓ \d+ more/.test(screen)) break;
        t.keys('PageDown');
        const before = screen;
        screen = await t.waitFor((s) => s !== before, 'the next page');
      }
      // a phrase may wrap at another word when a column widens: compare words, not lines
      const all = [...seen].join(' ').replace(/\s+/g, ' ');
      for (const want of [
        'Canary keys',
        'new canary',
        'promote to 100%',
        'abort',
        'Lists',
        'Everywhere',
        'Commands',
        ':deploy <version>',
        ':rollback',
        ':fault',
        'Demo',
        '1.2.0-broken never gets healthy',
      ]) {
        expect(all, `help at ${w}x${h} shows "${want}"`).toContain(want);
      }
      // the screen's keys come first, each once
      expect(all.indexOf('Canary keys')).toBeLessThan(all.indexOf('Everywhere'));
      expect([...seen].filter((l) => /^r +roll back/.test(l))).toHaveLength(1);
      t.kill();
    }
  });

  it('deploys with d (asking first: production is protected) and rolls back with r; the header follows the router', async () => {
    const t = demo(80, 24);
    await t.waitFor(bothHealthy, 'the dashboard');
    t.keys('2');
    await t.waitFor((s) => /No deploy running/.test(s), 'the Deploy screen');
    t.keys('d');
    await t.waitFor((s) => /Deploy which version\?/.test(s), 'the version prompt');
    t.type('1.1.0');
    t.keys('Enter');
    const ask = await t.waitFor((s) => /Deploy 1\.1\.0 to production\?/.test(s), 'the confirm of a protected environment');
    expect(ask).toMatch(/\[ Cancel \]/);
    t.keys('y');
    // while green is watched after the switch, the header already says green: the router does
    const monitoring = await t.waitFor((s) => /monitoring/.test(s) && /live green/.test(header(s)), 'the post-promotion window', 60_000);
    // the state still says blue until the window ends; the header says what the router does
    expect(header(monitoring)).toMatch(/live green 1\.1\.0/);
    expect(monitoring).toMatch(/monitoring/);
    const done = await t.waitFor((s) => /✓ complete/.test(s), 'the deploy to complete', 60_000);
    expect(header(done)).toMatch(/live green 1\.1\.0 · idle blue/);
    t.keys('r');
    const confirm = await t.waitFor((s) => /Put traffic back on the previous colour in production\?/.test(s), 'the rollback plan');
    expect(confirm).toMatch(/from {2}green 1\.1\.0/);
    expect(confirm).toMatch(/to {4}blue 1\.0\.0/);
    t.keys('y');
    const back = await t.waitFor(
      (s) => /rolled back: traffic on blue \(1\.0\.0\)/.test(s) && /live blue 1\.0\.0/.test(header(s)),
      'the rollback',
      30_000,
    );
    expect(back).toMatch(/1\.0\.0 +rollback +rolled back/);
  });

  it('q during a running canary asks, then ends within 8 s leaving no process or folder behind', async () => {
    const t = demo(100, 30);
    await t.waitFor(bothHealthy, 'the dashboard');
    const dir = await demoDir(t);
    expect(existsSync(dir)).toBe(true);
    t.keys('3');
    t.keys('c');
    await t.waitFor((s) => /Canary release which version\?/.test(s), 'the canary prompt');
    t.type('1.1.0');
    t.keys('Enter');
    await t.waitFor((s) => /Canary 1\.1\.0 in production\?/.test(s), 'the confirm');
    t.keys('y');
    // the header reads the router's weights on its own poll: wait for it too, not only the body
    const running = await t.waitFor(
      (s) => /progressing at 5%/.test(s) && /canary green 1\.1\.0 5%/.test(header(s)),
      'the canary at its first step, in the body and the header',
      30_000,
    );
    expect(header(running)).toMatch(/canary green 1\.1\.0 5%/);
    const prodx = t.panePid();
    const children = descendantPids(prodx);
    t.keys('q');
    await t.waitFor((s) => /canary 1\.1\.0 is still running/.test(s), 'the quit question');
    t.keys('Down');
    await t.waitFor((s) => /\[ Quit, leave it resumable \]/.test(s), 'the choice');
    const asked = Date.now();
    t.keys('Enter');
    await waitUntil(() => t.paneDead(), 'prodx to exit', 8_000);
    await waitUntil(() => children.every((pid) => !alive(pid)), 'every process it started to stop', 3_000);
    expect(Date.now() - asked).toBeLessThan(8_000);
    expect(existsSync(dir)).toBe(false);
    expect(t.screen().replace(/\s*\n\s*/g, ' ')).toMatch(/demo ended: its sandbox .* and every process it started are gone/);
  });

  it('q during a blue-green deploy can cancel it, and ends within 8 s', async () => {
    const t = demo(100, 30);
    await t.waitFor(bothHealthy, 'the dashboard');
    const dir = await demoDir(t);
    t.keys('2');
    t.keys('d');
    await t.waitFor((s) => /Deploy which version\?/.test(s), 'the version prompt');
    t.type('1.1.0');
    t.keys('Enter');
    await t.waitFor((s) => /Deploy 1\.1\.0 to production\?/.test(s), 'the confirm');
    t.keys('y');
    await t.waitFor((s) => /monitoring/.test(s), 'the deploy to monitor', 60_000);
    const children = descendantPids(t.panePid());
    t.keys('q');
    await t.waitFor((s) => /deploy 1\.1\.0 is still running/.test(s), 'the quit question');
    t.keys('Down');
    t.keys('Down');
    await t.waitFor((s) => /\[ Cancel it, then quit \]/.test(s), 'the choice');
    const asked = Date.now();
    t.keys('Enter');
    await waitUntil(() => t.paneDead(), 'prodx to exit', 8_000);
    expect(Date.now() - asked).toBeLessThan(8_000);
    await waitUntil(() => children.every((pid) => !alive(pid)), 'every process it started to stop', 3_000);
    expect(existsSync(dir)).toBe(false);
  });

  it('quits on q and on Ctrl-C, and leaves nothing behind when the terminal goes away (SIGHUP)', async () => {
    for (const key of ['q', 'C-c', 'hangup']) {
      const t = demo(100, 30);
      await t.waitFor(bothHealthy, 'the dashboard');
      const dir = await demoDir(t);
      const prodx = t.panePid();
      const children = descendantPids(prodx);
      expect(children.length).toBeGreaterThanOrEqual(2); // the sample targets and the router
      if (key === 'hangup') t.kill();
      else t.keys(key);
      // a dead pane's process may linger as a zombie until tmux reaps it: ask tmux while it lives
      await waitUntil(() => (key === 'hangup' ? !alive(prodx) : t.paneDead()), `prodx to exit on ${key}`, 8_000);
      await waitUntil(() => children.every((pid) => !alive(pid)), `its children to exit on ${key}`, 8_000);
      await waitUntil(() => !existsSync(dir), `the demo folder to be removed on ${key}`, 3_000);
      t.kill();
    }
  });
});
