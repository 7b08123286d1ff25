// The flag verbs against real files: audit history, protected environments, stale views, the
// lock, and the store's flags poller (reload on outside edits; an invalid edit keeps the last
// good flags and says why).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeFlag, flagsReport, listFlags } from '../../src/operations/flags.js';
import { flagsPoller } from '../../src/app/flagsPoller.js';
import { acquireLock } from '../../src/adapters/state/lock.js';
import { flagsDirOf, readAudit } from '../../src/adapters/flags/audit.js';
import { fixturePath } from '../../src/adapters/paths.js';
import { evaluatorFor, hashText, loadFlags, writeFlagsAtomically } from '../../src/adapters/flags/file.js';
import type { FlagsSource } from '../../src/core/flags/view.js';
import { ProdxError } from '../../src/core/errors.js';
import { makeStore } from '../ui/helpers.js';
import { tempDir } from '../support/cli.js';

function source(protectedEnv = false): FlagsSource {
  const dir = tempDir('prodx-flags-ops-');
  const file = join(dir, 'flags.json');
  copyFileSync(fixturePath('flags', 'flags.json'), file);
  return { file, stateDir: join(dir, '.prodx'), environment: protectedEnv ? 'production' : 'staging', protected: protectedEnv };
}

async function rejection(p: Promise<unknown>): Promise<ProdxError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProdxError) return err;
    throw err;
  }
  throw new Error('expected a ProdxError');
}

describe('changeFlag', () => {
  it('writes the change and records who, when, before and after', async () => {
    const src = source();
    const r = await changeFlag(src, 'dark-theme-v2', { kind: 'set-rollout', percent: 40 }, { actor: 'ana@laptop', now: 1_700_000_000_000 });
    expect(r).toMatchObject({ changed: true, summary: 'rollout 25% → 40% on' });
    expect(r.hash).toBe(listFlags(src).hash);
    const [entry] = readAudit(flagsDirOf(src.stateDir));
    expect(entry).toMatchObject({
      at: 1_700_000_000_000,
      by: 'ana@laptop',
      action: 'set-rollout',
      flag: 'dark-theme-v2',
      environment: 'staging',
    });
    expect(entry!.before.targeting).toEqual({
      fractional: [
        ['on', 25],
        ['off', 75],
      ],
    });
    expect(entry!.after.targeting).toEqual({
      fractional: [
        ['on', 40],
        ['off', 60],
      ],
    });
  });

  it('a change that changes nothing writes nothing and records nothing', async () => {
    const src = source();
    const before = readFileSync(src.file, 'utf8');
    expect((await changeFlag(src, 'dark-theme-v2', { kind: 'enable' })).changed).toBe(false);
    expect(readFileSync(src.file, 'utf8')).toBe(before);
    expect(readAudit(flagsDirOf(src.stateDir))).toEqual([]);
  });

  it('a protected environment needs confirmation; without it the file is untouched', async () => {
    const src = source(true);
    const before = readFileSync(src.file, 'utf8');
    const err = await rejection(changeFlag(src, 'dark-theme-v2', { kind: 'disable' }));
    expect(err).toMatchObject({ code: 'confirmation-required', exitCode: 2 });
    expect(err.message).toBe('production is protected: disabled for "dark-theme-v2" needs confirmation. Re-run with --yes to apply it.');
    expect(readFileSync(src.file, 'utf8')).toBe(before);
    expect((await changeFlag(src, 'dark-theme-v2', { kind: 'disable' }, { confirmed: true })).changed).toBe(true);
  });

  it('refuses a change made from a stale view (ifMatch), leaving the newer file as it is', async () => {
    const src = source();
    const seen = listFlags(src).hash;
    await changeFlag(src, 'weather-radar', { kind: 'disable' });
    const now = readFileSync(src.file, 'utf8');
    const err = await rejection(changeFlag(src, 'dark-theme-v2', { kind: 'disable' }, { ifMatch: seen }));
    expect(err).toMatchObject({ code: 'flags-conflict', exitCode: 3 });
    expect(readFileSync(src.file, 'utf8')).toBe(now);
  });

  it('waits for nobody: a held lock is reported with its owner, exit 3', async () => {
    const src = source();
    const lock = acquireLock(flagsDirOf(src.stateDir), 'flags set-rollout weather-radar', 'staging');
    try {
      const err = await rejection(changeFlag(src, 'dark-theme-v2', { kind: 'disable' }));
      expect(err).toMatchObject({ code: 'lock-held', exitCode: 3 });
      expect(err.message).toMatch(/holds the lock of staging: flags set-rollout weather-radar by pid \d+/);
    } finally {
      lock.release();
    }
  });

  it('edits a sound flag of a file with a bad one, and refuses to write the bad one, leaving the file as it is', async () => {
    const src = source();
    const broken = readFileSync(src.file, 'utf8').replace('"defaultVariant": "off"', '"defaultVariant": "offf"');
    writeFileSync(src.file, broken);
    // the bad flag was there before and is its own: another flag's edit goes through
    const ok = await changeFlag(src, 'weather-radar', { kind: 'disable' });
    expect(ok.changed).toBe(true);
    const edited = readFileSync(src.file, 'utf8');
    expect(edited).toContain('"defaultVariant": "offf"');
    const err = await rejection(changeFlag(src, 'dark-theme-v2', { kind: 'disable' }));
    expect(err.code).toBe('flags-change-refused');
    expect(err.message).toMatch(
      /"dark-theme-v2" would not pass flagd's checks \(flags\.dark-theme-v2\.defaultVariant: "offf" is not one of the variants \(on, off\)/,
    );
    expect(readFileSync(src.file, 'utf8')).toBe(edited);
  });
});

describe('loadFlags with a cache of validated texts', () => {
  it('remembers a text that passed in full, and still checks any other text in full', () => {
    const src = source();
    const dir = flagsDirOf(src.stateDir);
    const first = loadFlags(src.file, { cacheDir: dir, compile: false });
    const remembered = JSON.parse(readFileSync(join(dir, 'validated.json'), 'utf8')) as { flagdCore: string; hashes: string[] };
    expect(remembered.hashes).toEqual([first.hash]);
    // the same bytes again: same flags, served from the fast path
    const again = loadFlags(src.file, { cacheDir: dir, compile: false });
    expect(evaluatorFor(again).evaluate('forecast-days', { plan: 'pro' })).toEqual(
      evaluatorFor(first).evaluate('forecast-days', { plan: 'pro' }),
    );
    // an operator flagd does not have passes prodx's own structure checks, so only the full check catches it
    writeFileSync(src.file, readFileSync(src.file, 'utf8').replace('"ends_with"', '"ends_wth"'));
    const warned = loadFlags(src.file, { cacheDir: dir, compile: false });
    expect(warned.warnings[0]).toMatchObject({
      flag: 'staff-tools',
      message: expect.stringMatching(/"ends_wth" is not a JsonLogic or flagd operator/),
    });
    // a text with a warning is not remembered: the next load finds the warning again
    expect(loadFlags(src.file, { cacheDir: dir, compile: false }).warnings).toHaveLength(1);
    expect((JSON.parse(readFileSync(join(dir, 'validated.json'), 'utf8')) as { hashes: string[] }).hashes).toEqual([first.hash]);
  });
});

describe('writeFlagsAtomically', () => {
  it('replaces the file only if it still has the expected content, and leaves no temp file either way', () => {
    const src = source();
    const before = readFileSync(src.file, 'utf8');
    const edited = before.replace('"state": "DISABLED"', '"state": "ENABLED"');
    expect(() => writeFlagsAtomically(src.file, edited, hashText('something else'))).toThrow(/changed since it was read/);
    expect(readFileSync(src.file, 'utf8')).toBe(before);
    writeFlagsAtomically(src.file, edited, hashText(before));
    expect(readFileSync(src.file, 'utf8')).toBe(edited);
    expect(readdirSync(dirname(src.file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('flagsReport', () => {
  it('counts recorded exposures and distinct users per variant', () => {
    const src = source();
    const dir = flagsDirOf(src.stateDir);
    const lines = [
      { type: 'exposure', flag: 'weather-radar', variant: 'control', targetingKey: 'a', ts: 1 },
      { type: 'exposure', flag: 'weather-radar', variant: 'control', targetingKey: 'a', ts: 2 },
      { type: 'exposure', flag: 'weather-radar', variant: 'treatment', targetingKey: 'b', ts: 3 },
    ];
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'events-2026-03-02T00.ndjson'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const row = flagsReport(src).flags.find((f) => f.key === 'weather-radar')!;
    expect(row).toMatchObject({ exposures: 3, usersByVariant: { control: 1, treatment: 1 }, evaluationsTotal: 0 });
  });
});

describe('the flags poller', () => {
  it('loads the flags, follows outside edits, and keeps the last good flags through an invalid one', async () => {
    const src = source();
    const store = makeStore();
    const poller = flagsPoller(store, src, { intervalMs: 1000 });
    const run = async () => poller.apply(await poller.run(new AbortController().signal));
    await run();
    const first = store.getState().flags;
    expect(first.source).toEqual(src);
    expect(first.flags.map((f) => f.key)).toContain('dark-theme-v2');
    expect(first.error).toBeNull();

    await changeFlag(src, 'dark-theme-v2', { kind: 'set-rollout', percent: 60 });
    await run();
    expect(store.getState().flags.flags.find((f) => f.key === 'dark-theme-v2')!.rollout!.percent['on']).toBe(60);
    expect(store.getState().flags.audit[0]).toMatchObject({ flag: 'dark-theme-v2', summary: 'rollout 25% → 60% on' });

    const good = readFileSync(src.file, 'utf8');
    // a file that is no longer JSON keeps the last good flags on screen
    writeFileSync(src.file, good.replace('"state": "ENABLED",', '"state": "ENABLED"'));
    await run();
    const during = store.getState().flags;
    expect(during.error).toMatch(
      /^showing the last good flags: flags\.json is invalid: not valid JSON at line \d+ column \d+: comma expected/,
    );
    expect(during.flags.find((f) => f.key === 'dark-theme-v2')!.state).toBe('ENABLED');

    // one bad flag is that flag's warning: the file loads, as in flagd
    writeFileSync(src.file, good.replace('"state": "ENABLED"', '"state": "ENABLD"'));
    await run();
    const warned = store.getState().flags;
    expect(warned.error).toBeNull();
    expect(warned.flags.find((f) => f.key === 'dark-theme-v2')!.problem).toBe(
      'flags.dark-theme-v2.state: expected "ENABLED" or "DISABLED", got "ENABLD"',
    );
    expect(warned.flags.filter((f) => f.problem !== undefined)).toHaveLength(1);

    writeFileSync(src.file, good.replace('"state": "ENABLED"', '"state": "DISABLED"'));
    await run();
    expect(store.getState().flags.error).toBeNull();
    expect(store.getState().flags.flags.find((f) => f.key === 'dark-theme-v2')!.state).toBe('DISABLED');
  });
});
