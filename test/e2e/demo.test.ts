import { describe, expect, it } from 'vitest';
import { alive } from '../support/tmux.js';
import { prodx } from '../support/cli.js';

describe('prodx demo --json', () => {
  it('runs the sandbox headless, observes healthy targets and clean traffic, and leaves nothing behind', async () => {
    const r = await prodx(['demo', '--json', '--duration', '3s'], { env: { APP_VERSION: '2.3.4' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, app: 'weather', environment: 'production' });
    expect(out.rounds).toBeGreaterThanOrEqual(2);
    expect(out.targets.map((t: { name: string }) => t.name)).toEqual(['blue', 'green']);
    for (const t of out.targets) {
      expect(t).toMatchObject({ status: 'healthy', version: '2.3.4' }); // APP_VERSION is what the demo deploys
      expect(t.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(t.healthyRounds).toBe(out.rounds);
    }
    expect(out.targets[0].live).toBe(true);
    expect(out.traffic.sent).toBeGreaterThan(20);
    expect(out.traffic.ok).toBe(out.traffic.sent - out.traffic.inFlight);
    expect(out.traffic.failed).toBe(0);
    expect(out.stateDir).toBeUndefined();
    // the sample targets it started are gone once it has exited
    for (const t of out.targets) expect(alive(t.pid)).toBe(false);
    expect(out.router.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(alive(out.router.pid)).toBe(false);
  });

  it('two demos side by side pick different free ports and both succeed', async () => {
    const [a, b] = await Promise.all([prodx(['demo', '--json', '--duration', '1s']), prodx(['demo', '--json', '--duration', '1s'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const urls = [...JSON.parse(a.stdout).targets, ...JSON.parse(b.stdout).targets].map((t: { url: string }) => t.url);
    expect(new Set(urls).size).toBe(4);
  });
});
