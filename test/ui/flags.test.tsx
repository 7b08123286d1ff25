// The Flags screen with ink-testing-library: real flags files under a temp folder, keys
// written to stdin, and waits on the frame (never sleeps).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { FlagdCore } from '@openfeature/flagd-core';
import { afterEach, describe, expect, it } from 'vitest';
import { flagsPoller } from '../../src/app/flagsPoller.js';
import { flagsDirOf } from '../../src/adapters/flags/audit.js';
import { fixturePath } from '../../src/adapters/paths.js';
import type { FlagsSource } from '../../src/core/flags/view.js';
import { tempDir } from '../support/cli.js';
import { createContext } from '../../src/app/context.js';
import { createAppOperations } from '../../src/app/appOperations.js';
import { systemRuntime } from '../../src/app/system.js';
import { KEYS, makeCtx, makeStore, renderApp, waitFor, widestLine } from './helpers.js';

afterEach(() => cleanup());

async function setup(o: { protected?: boolean; events?: boolean; size?: { columns: number; rows: number } } = {}) {
  const dir = tempDir('prodx-flags-ui-');
  const src: FlagsSource = {
    file: join(dir, 'flags.json'),
    stateDir: join(dir, '.prodx'),
    environment: o.protected ? 'production' : 'staging',
    protected: !!o.protected,
  };
  copyFileSync(fixturePath('flags', 'flags.json'), src.file);
  if (o.events) {
    mkdirSync(flagsDirOf(src.stateDir), { recursive: true });
    const lines = readFileSync(fixturePath('flags', 'experiments', 'weather-radar-ship.ndjson'), 'utf8')
      .split('\n')
      .slice(1)
      .join('\n');
    writeFileSync(join(flagsDirOf(src.stateDir), 'events-2026-03-02T00.ndjson'), lines);
  }
  // a real config, so the keys run the real app operations (lock, validation, audit) on the real file
  const configPath = join(dir, 'prodx.config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      app: 'weather',
      flags: { file: 'flags.json' },
      environments: { [src.environment]: { protected: !!o.protected, targets: { blue: { url: 'http://127.0.0.1:1' } } } },
    }),
  );
  const opCtx = await createContext({ config: configPath, env: src.environment });
  const store = makeStore();
  store.setState({ protected: !!o.protected, environment: src.environment });
  const poller = flagsPoller(store, src, { intervalMs: 1000 });
  const poll = async () => poller.apply(await poller.run(new AbortController().signal));
  await poll();
  const ctx = makeCtx([], store);
  ctx.app = createAppOperations({
    ctx: opCtx,
    store,
    runtime: (r) => systemRuntime(opCtx, r),
    refresh: async (name) => (name === undefined || name === 'flags' ? poll() : undefined),
  }) as never;
  const app = await renderApp(ctx, o.size ?? { columns: 80, rows: 24 });
  const frame = await app.press('6', (f) => f.includes('dark-theme-v2'));
  const read = () => readFileSync(src.file, 'utf8');
  return { ...app, src, store, poll, frame, read };
}

const lines = (frame: string) => frame.split('\n');

describe('the Flags screen', () => {
  it('lists every flag with state, variants, a rollout bar and targeting in words, within 80x24', async () => {
    const { frame } = await setup();
    for (const key of ['dark-theme-v2', 'weather-radar', 'hourly-forecast-beta', 'forecast-days', 'units-default'])
      expect(frame).toContain(key);
    expect(frame).toMatch(/› dark-theme-v2 +● on +on, off +███░░░░░░░ +25% 25% on, 75% off/);
    expect(frame).toMatch(/maintenance-banner +○ off/);
    expect(frame).toContain('if country is one…');
    expect(widestLine(frame)).toBeLessThanOrEqual(80);
    expect(lines(frame).length).toBeLessThanOrEqual(24);
    expect(frame).toContain('t toggle  + rollout +5  - rollout -5  e evaluate  ? help  q quit');
  });

  it('moves the selection and shows the selected flag’s rules under the table', async () => {
    const { press } = await setup();
    const f = await press('\x1b[B', (fr) => fr.includes('› weather-radar'));
    expect(f).toContain('weather-radar ● enabled · string · default control');
    expect(f).toContain('50% control, 50% treatment');
  });

  it('t disables and enables the selected flag through the audited operation', async () => {
    const { press, read } = await setup();
    let f = await press('t', (fr) => fr.includes('✓ dark-theme-v2: disabled'));
    expect(f).toMatch(/› dark-theme-v2 +○ off/);
    expect(JSON.parse(read()).flags['dark-theme-v2'].state).toBe('DISABLED');
    f = await press('t', (fr) => fr.includes('✓ dark-theme-v2: enabled'));
    expect(f).toMatch(/› dark-theme-v2 +● on/);
    expect(f).toContain('History (2 changes, newest first)');
    expect(JSON.parse(read()).flags['dark-theme-v2'].state).toBe('ENABLED');
  });

  it('+ and - move the rollout by 5 points, one change after the other', async () => {
    const { stdin, lastFrame, read } = await setup();
    stdin.write('+');
    stdin.write('+');
    await waitFor(
      () => JSON.parse(read()).flags['dark-theme-v2'].targeting.fractional,
      (w) =>
        JSON.stringify(w) ===
        JSON.stringify([
          ['on', 35],
          ['off', 65],
        ]),
      'two steps of +5',
    );
    stdin.write('-');
    await waitFor(
      () => lastFrame() ?? '',
      (f) => f.includes('rollout 35% → 30% on'),
      'the flash of the third change',
    );
    expect(JSON.parse(read()).flags['dark-theme-v2'].targeting.fractional).toEqual([
      ['on', 30],
      ['off', 70],
    ]);
    expect(lastFrame()).toMatch(/30% on, 70% off/);
  });

  it('+ on a flag without a rollout explains why, and changes nothing', async () => {
    const { press, read } = await setup();
    const before = read();
    await press('\x1b[B', (f) => f.includes('› weather-radar'));
    await press('\x1b[B', (f) => f.includes('› hourly-forecast-beta'));
    await press('+', (f) => f.includes('✗ rollout: hourly-forecast-beta has no fractional rule of its own'));
    expect(read()).toBe(before);
  });

  it('e asks for a key and context and shows what flagd-core resolves', async () => {
    const { press, read } = await setup();
    await press('\x1b[B', (f) => f.includes('› weather-radar'));
    await press('\x1b[B', (f) => f.includes('› hourly-forecast-beta'));
    await press('e', (f) => f.includes('Evaluate hourly-forecast-beta'));
    await press('user-7 country=AT', (f) => f.includes('› user-7 country=AT'));
    const f = await press(KEYS.enter, (fr) => fr.includes('hourly-forecast-beta for user-7'));
    const direct = new FlagdCore();
    direct.setConfigurations(read());
    const want = direct.resolveBooleanEvaluation('hourly-forecast-beta', false, { targetingKey: 'user-7', country: 'AT' });
    expect(f).toContain(`✓ hourly-forecast-beta for user-7: ${want.value} (${want.variant}, ${want.reason})`);
    expect(f).toContain(`last evaluation user-7 {"country":"AT"} → ${want.value} (${want.variant}, ${want.reason})`);
  });

  it('enter opens the detail with the experiment results and the history; esc closes it', async () => {
    const { press, src } = await setup({ events: true });
    await press('\x1b[B', (f) => f.includes('› weather-radar'));
    const detail = await press(KEYS.enter, (f) => f.includes('Experiment radar_opened'));
    expect(detail).not.toContain('FLAG ');
    expect(detail).toMatch(/control\* +1,219 +126 +10\.34%/);
    expect(detail).toMatch(/treatment +1,181 +177 +14\.99% +\+45\.0% \(\+14\.0% to \+76\.0%\) +0\.004/);
    expect(detail).toContain(': ship');
    expect(detail).toContain('History (no changes recorded by prodx yet)');
    expect(src.protected).toBe(false);
    await press(KEYS.escape, (f) => f.includes('FLAG ') && f.includes('› weather-radar'));
  });

  it('in a protected environment a change waits for confirmation', async () => {
    const { press, read } = await setup({ protected: true });
    const before = read();
    await press('t', (f) => f.includes('Disable dark-theme-v2 in production?'));
    await press('n', (f) => !f.includes('Disable dark-theme-v2 in production?'));
    expect(read()).toBe(before);
    await press('+', (f) => f.includes('Set dark-theme-v2 to 30% in production?'));
    await press('y', (f) => f.includes('✓ dark-theme-v2: rollout 25% → 30% on'));
    expect(JSON.parse(read()).flags['dark-theme-v2'].targeting.fractional).toEqual([
      ['on', 30],
      ['off', 70],
    ]);
  });

  it('a file that is no longer JSON keeps the last good flags on screen and says why', async () => {
    const { poll, lastFrame, src, read } = await setup();
    writeFileSync(src.file, read().replace('"state": "ENABLED",', '"state": "ENABLED"'));
    await poll();
    const f = await waitFor(
      () => lastFrame() ?? '',
      (fr) => fr.includes('showing the last good flags'),
      'the reload error',
    );
    expect(f).toMatch(/not valid JSON at line \d+/);
    expect(f).toContain('weather-radar');
  });

  it('a flag that does not validate is marked ⚠ in the list and its detail says why; the others are as before', async () => {
    const { poll, lastFrame, src, read, press } = await setup();
    writeFileSync(src.file, read().replace('"defaultVariant": "control"', '"defaultVariant": "ctrl"'));
    await poll();
    const f = await waitFor(
      () => lastFrame() ?? '',
      (fr) => fr.includes('⚠ weather-radar'),
      'the warning mark',
    );
    expect(f).not.toContain('showing the last good flags');
    expect(f).toContain('dark-theme-v2');
    expect(f.match(/⚠/g)).toHaveLength(1);
    const detail = await press('\x1b[B', (fr) => fr.includes("flagd's checks fail"));
    expect(detail.replace(/\n/g, ' ')).toMatch(
      /⚠ flags\.weather-radar\.defaultVariant: "ctrl" is not one of the variants \(control, treatment\) +\(flagd's checks fail; served as flagd serves it\)/,
    );
  });

  it('at 200x50 the detail sits beside the table and the extra room shows rules and recent changes', async () => {
    const { press, frame } = await setup({ events: true, size: { columns: 200, rows: 50 } });
    expect(widestLine(frame)).toBeLessThanOrEqual(200);
    expect(lines(frame).length).toBeLessThanOrEqual(50);
    const row = lines(frame).find((l) => l.includes('› dark-theme-v2'))!;
    expect(row).toMatch(/25% on, 75% off +variants on = true · off = false/);
    expect(frame).toContain('Recent changes (none recorded by prodx yet)');
    const radar = await press('\x1b[B', (f) => f.includes('Experiment radar_opened'));
    expect(radar).toContain('Rules (flagd JsonLogic, as in the file)');
    expect(radar).toContain('{"fractional":[["control",50],["treatment",50]]}');
    expect(lines(radar).find((l) => l.includes('› weather-radar'))).toMatch(/50% control, 50% treatment +Targeting$/);
    expect(radar).toMatch(/^ {20,}treatment \+45\.0% \(95% CI \+14\.0% to \+76\.0%\), p = 0\.004: ship$/m);
  });
});
