// The Flags screen in a real terminal (tmux) with the built binary: it fits 80x24, uses
// 200x50, and a key press changes the file through the audited operation.
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { TmuxSession } from '../support/tmux.js';
import { flagsProject } from '../support/flags.js';

const sessions: TmuxSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

describe('the Flags screen in a terminal', () => {
  it('fits 80x24, toggles a flag with t, and shows the detail beside the table at 200x50', async () => {
    const p = flagsProject();
    const t = new TmuxSession('prodx-flags', 80, 24);
    sessions.push(t);
    t.start(`env -u CI LANG=C.UTF-8 MONITORING_ENABLED=true ${process.execPath} ${BIN} --config ${p.config} --env staging`);
    await t.waitFor((s) => /6 Flags/.test(s), 'the dashboard');
    t.keys('6');
    const list = await t.waitFor((s) => /› dark-theme-v2/.test(s), 'the Flags screen');
    const lines = list.replace(/\n$/, '').split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(list).toMatch(/› dark-theme-v2 +● on +on, off +███░░░░░░░ +25%/);
    expect(list).toMatch(/units-default/); // every flag of the fixture is on screen
    expect(lines.filter((l) => l.trim()).at(-1)).toMatch(/^t toggle .* q quit/);

    t.keys('t');
    await t.waitFor((s) => /✓ dark-theme-v2: disabled/.test(s), 'the toggle');
    expect(JSON.parse(p.read()).flags['dark-theme-v2'].state).toBe('DISABLED');

    t.resize(200, 50);
    t.keys('Down');
    const wide = await t.waitFor((s) => /› weather-radar .* Targeting\s*$/m.test(s), 'the detail beside the table');
    expect(Math.max(...wide.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(200);
    expect(wide).toMatch(/Recent changes \(all flags, newest first\)/);
    expect(wide).toMatch(/dark-theme-v2 disabled by .* in staging/);
    expect(wide).toMatch(/Rules \(flagd JsonLogic, as in the file\)/);
    t.keys('q');
  });
});
