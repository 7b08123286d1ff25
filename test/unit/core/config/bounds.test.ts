// Config errors a user can make are caught when the config loads, each at its path, in one line.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/adapters/config/parse.js';

const load = (production: Record<string, unknown>) =>
  parseConfig(
    JSON.stringify({
      app: 'w',
      environments: {
        production: { targets: { blue: { url: 'http://127.0.0.1:1' }, green: { url: 'http://127.0.0.1:2' } }, ...production },
      },
    }),
    'prodx.config.json',
  );

describe('config bounds at load', () => {
  it.each([
    [{ health: { interval: '0s' } }, /environments\.production\.health\.interval: "0s" must be longer than zero/],
    [{ health: { timeout: '0ms' } }, /health\.timeout: "0ms" must be longer than zero/],
    [{ canary: { interval: '0s' } }, /canary\.interval: "0s" must be longer than zero/],
    [{ postPromotion: { window: '99999999999h' } }, /postPromotion\.window: "99999999999h" is too long: at most 24 days/],
    [{ release: { command: ['x'], timeout: '999h' } }, /release\.timeout: "999h" is too long/],
    [{ canary: { pause: '99999999999h' } }, /canary\.pause: expected a duration/],
    [{ canary: { steps: [5, 50, 25, 100] } }, /canary\.steps\[2\]: step 3 \(25\) is not greater than step 2 \(50\)/],
    [{ canary: { steps: [5, 10, 50] } }, /canary\.steps: the last step is 50, not 100/],
    [{ canary: { steps: [0, 100] } }, /canary\.steps\[0\]: a step is a percentage above 0/],
    [{ canary: { steps: [10, 100], pause: ['1s', '2s'] } }, /canary\.pause: the list has 2 pause\(s\) but there are 1 steps before 100/],
    [{ router: { type: 'builtin', listen: '127.0.0.1:8080', admin: '' } }, /router\.admin: "" is not host:port/],
    [
      { router: { type: 'builtin', listen: '127.0.0.1:99999', admin: '127.0.0.1:0' } },
      /router\.listen: "127\.0\.0\.1:99999" is not host:port/,
    ],
    [
      { router: { type: 'builtin', listen: '0.0.0.0:8080', admin: '10.0.0.5:8089' } },
      /router\.admin: "10\.0\.0\.5:8089" must be a loopback address/,
    ],
  ])('%j is refused: %s', (env, message) => {
    expect(() => load(env)).toThrow(message);
  });

  it('zero where it means none is fine: no pause, no scale-down delay', () => {
    const c = load({ canary: { pause: '0s' }, scaleDownDelay: '0s' });
    expect(c.environments['production']!.scaleDownDelay).toBe(0);
    expect(c.environments['production']!.canary.pause).toBe(0);
  });
});
