// `prodx flags …` and `prodx simulate experiment` as a user or CI job runs them: the built
// binary in a child process, JSON and exit codes, and files that stay untouched on bad input.
import { readFileSync, writeFileSync } from 'node:fs';
import { FlagdCore } from '@openfeature/flagd-core';
import { describe, expect, it } from 'vitest';
import { validateFlagsText } from '../../src/core/flags/validate.js';
import { fixturePath } from '../../src/adapters/paths.js';
import { readAudit, flagsDirOf } from '../../src/adapters/flags/audit.js';
import { expectNoStack, prodx } from '../support/cli.js';
import { flagsProject, randomUsers } from '../support/flags.js';

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;
const withoutNumbers = (t: string) => t.replace(/-?\d+(\.\d+)?/g, '#');

describe('prodx flags list and evaluate', () => {
  it('lists every flag with its rollout and targeting, and the file hash', async () => {
    const p = flagsProject();
    const r = await prodx(['flags', 'list', '--json', '--config', p.config]);
    expect(r.code).toBe(0);
    const out = json(r.stdout) as {
      ok: boolean;
      hash: string;
      flags: { key: string; state: string; rollout: { percent: Record<string, number> } | null }[];
    };
    expect(out.ok).toBe(true);
    expect(out.flags.map((f) => f.key)).toEqual(Object.keys(JSON.parse(p.read()).flags));
    expect(out.flags.find((f) => f.key === 'dark-theme-v2')!.rollout!.percent).toEqual({ on: 25, off: 75 });
    expect(out.hash).toMatch(/^[0-9a-f]{64}$/);
    const text = await prodx(['flags', 'list', '--config', p.config]);
    expect(text.stdout).toMatch(/^dark-theme-v2 +enabled +boolean +off +25% on +25% on, 75% off$/m);
  });

  it('evaluates with typed --context exactly as flagd-core does', async () => {
    const p = flagsProject();
    const direct = new FlagdCore();
    direct.setConfigurations(p.read());
    const cases: [string, 'boolean' | 'string' | 'number', string, string[], Record<string, unknown>][] = [
      ['forecast-days', 'number', 'u1', ['plan=pro'], { plan: 'pro' }],
      ['forecast-days', 'number', 'u2', ['country=US', 'appVersion=1.9.0'], { country: 'US', appVersion: '1.9.0' }],
      ['new-forecast-engine', 'string', 'u3', ['appVersion=3.2.0'], { appVersion: '3.2.0' }],
      ['hourly-forecast-beta', 'boolean', 'u4', ['country=NL'], { country: 'NL' }],
      ['staff-tools', 'boolean', 'staff-9', [], {}],
      ['dark-theme-v2', 'boolean', 'user-42', [], {}],
    ];
    for (const [flag, type, key, pairs, ctx] of cases) {
      const r = await prodx([
        'flags',
        'evaluate',
        flag,
        key,
        ...(pairs.length ? ['--context', ...pairs] : []),
        '--json',
        '--config',
        p.config,
      ]);
      expect(r.code).toBe(0);
      const want = direct.resolve(type, flag, null as never, { ...ctx, targetingKey: key });
      expect(json(r.stdout)).toMatchObject({
        ok: true,
        flag,
        value: want.value,
        variant: want.variant,
        reason: want.reason,
        errorCode: null,
      });
    }
    const text = await prodx(['flags', 'evaluate', 'forecast-days', 'u1', '--context', 'plan=pro', '--config', p.config]);
    expect(text.stdout).toBe('forecast-days for u1: 14\n  variant long · reason TARGETING_MATCH\n');
  });

  it('evaluates as an SDK call does: an unknown flag is FLAG_NOT_FOUND (exit 1), --default is the code default, --type can mismatch', async () => {
    const p = flagsProject();
    const run = async (...args: string[]) => {
      const r = await prodx(['flags', 'evaluate', ...args, '--json', '--config', p.config]);
      return { code: r.code, out: json(r.stdout) };
    };
    const missing = await run('dark-theme', 'u1', '--default', 'true');
    expect(missing).toMatchObject({ code: 1, out: { ok: false, value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' } });
    expect(missing.out['errorMessage']).toMatch(/no flag "dark-theme" in .*flags\.json \(did you mean "dark-theme-v2"\?\)/);
    expect(await run('maintenance-banner', 'u1', '--default', '{"text": "code"}')).toMatchObject({
      code: 0,
      out: { ok: true, value: { text: 'code' }, variant: null, reason: 'DISABLED' },
    });
    // the default's type is the call's: a number for a boolean flag is a mismatch, with the default back
    expect(await run('dark-theme-v2', 'u1', '--default', '7')).toMatchObject({ code: 1, out: { value: 7, errorCode: 'TYPE_MISMATCH' } });
    expect(await run('dark-theme-v2', 'u1', '--type', 'string')).toMatchObject({ code: 1, out: { errorCode: 'TYPE_MISMATCH' } });
    expect(await run('dark-theme-v2', 'u1', '--type', 'boolean', '--default', 'false')).toMatchObject({ code: 0, out: { ok: true } });
    // a string that looks like a number, quoted for JSON
    expect(await run('weather-radar', 'u1', '--default', '"42"')).toMatchObject({ code: 0, out: { ok: true, reason: 'TARGETING_MATCH' } });
  });

  it('takes nested and typed context from --context-json, and evaluates a batch in one process', async () => {
    const p = flagsProject();
    const direct = new FlagdCore();
    direct.setConfigurations(p.read());
    const ctx = { targetingKey: 'u7', plan: 'pro', country: 'US', appVersion: '3.2.0', account: { tier: 'gold', seats: 12 } };
    const one = await prodx(['flags', 'evaluate', 'forecast-days', '--context-json', JSON.stringify(ctx), '--json', '--config', p.config]);
    expect(json(one.stdout)).toMatchObject({
      ok: true,
      targetingKey: 'u7',
      context: ctx,
      value: direct.resolveNumberEvaluation('forecast-days', 0, ctx).value,
    });
    const lines = [
      { flag: 'forecast-days', context: ctx },
      { flag: 'new-forecast-engine', targetingKey: 'u8', context: { appVersion: '3.2.0' }, default: 'old' },
      { flag: 'no-such-flag', default: false },
    ];
    const batch = `${p.flags}.cases.ndjson`;
    writeFileSync(batch, lines.map((l) => JSON.stringify(l)).join('\n'));
    const r = await prodx(['flags', 'evaluate', '--batch', batch, '--json', '--config', p.config]);
    expect(r.code).toBe(1);
    const out = json(r.stdout) as { ok: boolean; results: Record<string, unknown>[] };
    expect(out.ok).toBe(false);
    expect(out.results.map((x) => [x['flag'], x['reason'], x['errorCode']])).toEqual([
      ['forecast-days', direct.resolveNumberEvaluation('forecast-days', 0, ctx).reason, null],
      [
        'new-forecast-engine',
        direct.resolveStringEvaluation('new-forecast-engine', 'old', { targetingKey: 'u8', appVersion: '3.2.0' }).reason,
        null,
      ],
      ['no-such-flag', 'ERROR', 'FLAG_NOT_FOUND'],
    ]);
    expect(out.results[1]).toMatchObject({
      targetingKey: 'u8',
      value: direct.resolveStringEvaluation('new-forecast-engine', 'old', { targetingKey: 'u8', appVersion: '3.2.0' }).value,
    });
  });

  it('serves a file with a bad flag as flagd does: a warning naming the flag and its path, the other flags as before', async () => {
    const p = flagsProject();
    writeFileSync(p.flags, p.read().replace('["on", 25]', '["on", -25]'));
    const before = p.read();
    const list = await prodx(['flags', 'list', '--config', p.config]);
    expect(list.code).toBe(0);
    expect(list.stderr).toBe(
      `warning: ${p.flags}: flag "dark-theme-v2" does not pass flagd's checks (flags.dark-theme-v2.targeting.fractional[0][1]: a weight is a whole number of 0 or more, got -25); it is served as flagd serves it\n`,
    );
    expect(list.stdout).toMatch(/^⚠ dark-theme-v2 /m);
    const listed = json((await prodx(['flags', 'list', '--json', '--config', p.config])).stdout) as {
      warnings: unknown[];
      flags: { key: string; problem?: string }[];
    };
    expect(listed.warnings).toEqual([
      {
        flag: 'dark-theme-v2',
        path: 'flags.dark-theme-v2.targeting.fractional[0][1]',
        message: 'a weight is a whole number of 0 or more, got -25',
      },
    ]);
    expect(listed.flags.filter((f) => f.problem).map((f) => f.key)).toEqual(['dark-theme-v2']);
    // another flag evaluates without a word about the bad one but a count
    const other = await prodx(['flags', 'evaluate', 'forecast-days', 'u1', '--context', 'plan=pro', '--config', p.config]);
    expect(other.stdout).toBe('forecast-days for u1: 14\n  variant long · reason TARGETING_MATCH\n');
    expect(other.stderr).toMatch(/^warning: .*flags\.json: 1 flag does not pass flagd's checks: `prodx flags list` names them\n$/);
    // flagd-core clamps the negative weight to 0: everyone gets off
    const bad = json((await prodx(['flags', 'evaluate', 'dark-theme-v2', 'u1', '--json', '--config', p.config])).stdout);
    expect(bad).toMatchObject({ ok: true, value: false, variant: 'off' });
    expect(p.read()).toBe(before);
  });

  it('a disabled flag says the app gets its code default', async () => {
    const p = flagsProject();
    const r = await prodx(['flags', 'evaluate', 'maintenance-banner', 'u1', '--json', '--config', p.config]);
    expect(json(r.stdout)).toMatchObject({ ok: true, value: null, variant: null, reason: 'DISABLED' });
  });
});

describe('prodx flags set-rollout', () => {
  it('40% gives 40% ± 0.5% of 100,000 random users, keeps the file valid, and changes only that flag’s weights', async () => {
    const p = flagsProject();
    const before = p.read();
    const r = await prodx(['flags', 'set-rollout', 'dark-theme-v2', '40', '--json', '--config', p.config, '--env', 'staging']);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ ok: true, changed: true, summary: 'rollout 25% → 40% on' });
    const after = p.read();
    expect(validateFlagsText(after).ok).toBe(true);
    const core = new FlagdCore();
    core.setConfigurations(after);
    const users = randomUsers(100_000, 40);
    const on = users.filter((targetingKey) => core.resolveBooleanEvaluation('dark-theme-v2', false, { targetingKey }).value).length;
    expect(Math.abs(on / users.length - 0.4)).toBeLessThanOrEqual(0.005);
    // the same document but for those two weights, in the same key order and layout
    const expected = JSON.parse(before);
    expected.flags['dark-theme-v2'].targeting.fractional = [
      ['on', 40],
      ['off', 60],
    ];
    expect(JSON.stringify(JSON.parse(after))).toBe(JSON.stringify(expected));
    expect(withoutNumbers(after)).toBe(withoutNumbers(before));
    const changedLines = before.split('\n').filter((line, i) => line !== after.split('\n')[i]);
    expect(changedLines.map((l) => l.trim())).toEqual(['["on", 25],', '["off", 75]']);
  });

  it('in a protected environment needs --yes', async () => {
    const p = flagsProject();
    const before = p.read();
    const r = await prodx(['flags', 'set-rollout', 'dark-theme-v2', '40', '--config', p.config, '--env', 'production']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'prodx: production is protected: rollout 25% → 40% on for "dark-theme-v2" needs confirmation. Re-run with --yes to apply it.\n',
    );
    expect(p.read()).toBe(before);
    const yes = await prodx(['flags', 'set-rollout', 'dark-theme-v2', '40', '--yes', '--config', p.config, '--env', 'production']);
    expect(yes.code).toBe(0);
    expect(readAudit(flagsDirOf(p.stateDir))[0]).toMatchObject({ flag: 'dark-theme-v2', environment: 'production', action: 'set-rollout' });
  });
});

describe('bad input: one clear line, exit 2, the flags file unchanged', () => {
  const cases: [string, (flags: string) => string | null, string[], RegExp][] = [
    [
      'invalid JSON',
      (t) => t.replace('"state": "ENABLED",', '"state": "ENABLED"'),
      ['flags', 'set-rollout', 'dark-theme-v2', '40'],
      /^prodx: .*flags\.json: not valid JSON at line \d+ column \d+: comma expected\. Fix the file and run the command again\.$/,
    ],
    [
      'an edit of a flag that does not validate',
      (t) => t.replace('"defaultVariant": "control"', '"defaultVariant": "contrl"'),
      ['flags', 'disable', 'weather-radar'],
      /^prodx: refused: after this change "weather-radar" would not pass flagd's checks \(flags\.weather-radar\.defaultVariant: "contrl" is not one of the variants \(control, treatment\): did you mean "control"\?\)/,
    ],
    [
      'an unknown flag',
      () => null,
      ['flags', 'disable', 'dark-theme'],
      /^prodx: no flag "dark-theme" in .*flags\.json \(did you mean "dark-theme-v2"\?\): run `prodx flags list`/,
    ],
    [
      'a rollout above 100',
      () => null,
      ['flags', 'set-rollout', 'dark-theme-v2', '101'],
      /^prodx: a rollout is a percentage from 0 to 100, got 101: pass e\.g\. 40\.$/,
    ],
    ['a negative rollout', () => null, ['flags', 'set-rollout', 'dark-theme-v2', '-5'], /got -5/],
    ['a rollout that is not a number', () => null, ['flags', 'set-rollout', 'dark-theme-v2', 'forty'], /"forty" is not a percentage/],
    [
      'a flag without fractional targeting',
      () => null,
      ['flags', 'set-rollout', 'severe-weather-alerts', '10'],
      /^prodx: flag "severe-weather-alerts" has no rollout to change: it has no "fractional" rule\./,
    ],
    ['an unknown --type', () => null, ['flags', 'evaluate', 'dark-theme-v2', 'u1', '--type', 'bool'], /--type bool is not a flag type/],
    [
      'a --default of another type than --type',
      () => null,
      ['flags', 'evaluate', 'weather-radar', 'u1', '--type', 'string', '--default', '42'],
      /--default 42 is a number but --type is string: quote it to make it a string, --default '"42"'/,
    ],
    [
      '--context-json that is not an object',
      () => null,
      ['flags', 'evaluate', 'dark-theme-v2', '--context-json', '[1]'],
      /--context-json takes a JSON object/,
    ],
    ['no flag to evaluate', () => null, ['flags', 'evaluate'], /which flag\?/],
    [
      'a --batch file that is not there',
      () => null,
      ['flags', 'evaluate', '--batch', '/nonexistent/cases.ndjson'],
      /cannot read \/nonexistent\/cases\.ndjson \(ENOENT\)/,
    ],
    [
      'a context word without =',
      () => null,
      ['flags', 'evaluate', 'dark-theme-v2', 'u1', '--context', 'country'],
      /context "country" is not key=value/,
    ],
  ];
  it.each(cases)('%s', async (_what, edit, args, message) => {
    const p = flagsProject();
    const changed = edit(p.read());
    if (changed !== null) writeFileSync(p.flags, changed);
    const before = p.read();
    const r = await prodx([...args, '--config', p.config, '--env', 'staging']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(expectNoStack(r.stderr)).toBe(true);
    expect(p.read()).toBe(before);
    const j = await prodx([...args, '--json', '--config', p.config, '--env', 'staging']);
    expect(j.code).toBe(2);
    expect(json(j.stdout)).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
    expect(p.read()).toBe(before);
  });
});

describe('conflicting concurrent edits', () => {
  it('parallel set-rollouts: each one applies whole or is refused (lock held, exit 3); the file stays valid and the audit matches', async () => {
    const p = flagsProject();
    const percents = [10, 20, 30, 45, 55, 65, 80, 90];
    const runs = await Promise.all(
      percents.map((n) => prodx(['flags', 'set-rollout', 'dark-theme-v2', String(n), '--json', '--config', p.config, '--env', 'staging'])),
    );
    for (const r of runs) {
      expect([0, 3]).toContain(r.code);
      if (r.code === 3)
        expect(json(r.stdout)).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(lock-held|flags-conflict)$/) } });
    }
    const applied = runs.filter((r) => r.code === 0).length;
    expect(applied).toBeGreaterThan(0);
    const after = p.read();
    expect(validateFlagsText(after).ok).toBe(true);
    const audit = readAudit(flagsDirOf(p.stateDir));
    expect(audit).toHaveLength(applied);
    // the file holds what the last recorded change wrote
    expect(JSON.parse(after).flags['dark-theme-v2']).toEqual(audit[0]!.after);
  });

  it('an edit based on a version that has changed since (--if-match) is refused, exit 3, and the newer file stays', async () => {
    const p = flagsProject();
    const { hash } = json((await prodx(['flags', 'list', '--json', '--config', p.config])).stdout) as { hash: string };
    writeFileSync(p.flags, p.read().replace('["on", 25]', '["on", 30]').replace('["off", 75]', '["off", 70]'));
    const newer = p.read();
    const r = await prodx(['flags', 'set-rollout', 'dark-theme-v2', '50', '--if-match', hash, '--config', p.config, '--env', 'staging']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^prodx: .*flags\.json changed since it was read \(another edit got there first\): nothing was written/);
    expect(p.read()).toBe(newer);
  });
});

/** users and converters per variant, counted here from the fixture file itself */
function countFixture(name: string) {
  const lines = readFileSync(fixturePath('flags', 'experiments', `${name}.ndjson`), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const exposed = new Map<string, { variant: string; ts: number }>();
  const events = lines.map((l) => JSON.parse(l) as { type: string; variant: string; targetingKey: string; ts: number; name: string });
  for (const e of events) if (e.type === 'exposure' && !exposed.has(e.targetingKey)) exposed.set(e.targetingKey, e);
  const converted = new Set(
    events
      .filter((e) => e.type === 'conversion' && exposed.has(e.targetingKey) && e.ts >= exposed.get(e.targetingKey)!.ts)
      .map((e) => e.targetingKey),
  );
  const out: Record<string, { users: number; conversions: number }> = {};
  for (const [user, { variant }] of exposed) {
    const c = (out[variant] ??= { users: 0, conversions: 0 });
    c.users += 1;
    if (converted.has(user)) c.conversions += 1;
  }
  return out;
}

describe('prodx simulate experiment', () => {
  it.each([
    ['weather-radar-ship', 'ship', 0, /^treatment \+\d+\.\d% \(95% CI \+\d+\.\d% to \+\d+\.\d%\), p = 0\.0\d\d: ship$/],
    ['weather-radar-flat', 'no-difference', 0, /: no difference detected/],
    ['weather-radar-srm', 'invalid', 1, /^do not decide: sample ratio mismatch: \d+ control vs \d+ treatment users against a 50\/50 split/],
  ])('%s replays to a %s verdict', async (fixture, decision, exitCode, verdict) => {
    const r = await prodx(['simulate', 'experiment', '--fixture', fixture, '--json']);
    expect(r.code).toBe(exitCode);
    const out = json(r.stdout) as {
      checkpoints: { events: number }[];
      result: { decision: string; verdict: string; variants: { variant: string; users: number; conversions: number }[] };
    };
    expect(out.result.decision).toBe(decision);
    expect(out.result.verdict).toMatch(verdict);
    expect(out.checkpoints).toHaveLength(10);
    expect(out.checkpoints.map((c) => c.events)).toEqual([...out.checkpoints.map((c) => c.events)].sort((a, b) => a - b));
    const counted = countFixture(fixture);
    expect(Object.fromEntries(out.result.variants.map((v) => [v.variant, { users: v.users, conversions: v.conversions }]))).toEqual(
      counted,
    );
  });

  it('prodx flags experiment --events reads the same file to the same result', async () => {
    const p = flagsProject();
    const file = fixturePath('flags', 'experiments', 'weather-radar-ship.ndjson');
    const a = json((await prodx(['flags', 'experiment', 'weather-radar', '--events', file, '--json', '--config', p.config])).stdout);
    const b = json((await prodx(['simulate', 'experiment', '--fixture', file, '--json'])).stdout);
    expect(a['verdict']).toBe((b['result'] as Record<string, unknown>)['verdict']);
    const text = await prodx(['flags', 'experiment', 'weather-radar', '--events', file, '--config', p.config]);
    expect(text.stdout).toMatch(/^treatment +1,181 +177 +14\.99%/m);
    expect(text.stdout).toMatch(/^verdict: treatment .*: ship$/m);
  });

  it('an unknown fixture names the shipped ones', async () => {
    const r = await prodx(['simulate', 'experiment', '--fixture', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'prodx: no fixture "nope": pass a file path, or one of the shipped ones: weather-radar-ship, weather-radar-flat, weather-radar-srm.\n',
    );
  });
});
