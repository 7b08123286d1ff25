import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateFlagsText, flagsFileError } from '../../../../src/core/flags/validate.js';
import { fixturePath } from '../../../../src/adapters/paths.js';
import { FlagEvaluator } from '../../../../src/core/flags/evaluator.js';

const fixture = readFileSync(fixturePath('flags', 'flags.json'), 'utf8');
const base = () => JSON.parse(fixture) as { flags: Record<string, Record<string, unknown>>; [k: string]: unknown };

/** the first problem of a document, as "path: message": a warning when the file still loads */
function problem(doc: unknown): string {
  const r = validateFlagsText(typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  const first = r.ok ? r.warnings[0] : r.problems[0];
  if (!first) throw new Error('expected the document to have a problem');
  return `${first.path}: ${first.message}`;
}

const loads = (doc: unknown) => validateFlagsText(JSON.stringify(doc)).ok;

describe('validateFlagsText', () => {
  it('accepts the shipped fixture, with every flag compiled by flagd-core', () => {
    const r = validateFlagsText(fixture);
    expect(r.ok).toBe(true);
    if (r.ok) expect([...r.storage.getFlags().keys()]).toEqual(Object.keys(base().flags));
  });

  it('reports broken JSON with line and column', () => {
    const text = fixture.replace('"state": "ENABLED",', '"state": "ENABLED"');
    const line = text.slice(0, text.indexOf('"variants"')).split('\n').length;
    expect(problem(text)).toMatch(new RegExp(`^\\(syntax\\): not valid JSON at line ${line} column \\d+: comma expected`));
  });

  it('rejects comments and trailing commas, which flagd itself would not read', () => {
    expect(problem(fixture.replace('"flags": {', '"flags": { // mine'))).toMatch(/not valid JSON .*: invalid comment token/);
    expect(problem('{"flags": {},}')).toMatch(/not valid JSON/);
  });

  it.each([
    [
      'a bad state',
      (d: ReturnType<typeof base>) => (d.flags['dark-theme-v2']!['state'] = 'ON'),
      'flags.dark-theme-v2.state: expected "ENABLED" or "DISABLED", got "ON"',
    ],
    [
      'a default that is not a variant',
      (d: ReturnType<typeof base>) => (d.flags['dark-theme-v2']!['defaultVariant'] = 'onn'),
      'flags.dark-theme-v2.defaultVariant: "onn" is not one of the variants (on, off): did you mean "on"?',
    ],
    [
      'variants of two types',
      (d: ReturnType<typeof base>) => (d.flags['weather-radar']!['variants'] = { control: 'a', treatment: 1 }),
      'flags.weather-radar.variants.treatment: is a number but "control" is a string: every variant of a flag has the same type',
    ],
    [
      'a misspelt field',
      (d: ReturnType<typeof base>) => (d.flags['staff-tools']!['defaultVarient'] = 'off'),
      'flags.staff-tools.defaultVarient: unknown field: did you mean "defaultVariant"?',
    ],
    [
      'a fractional bucket for a variant that does not exist',
      (d: ReturnType<typeof base>) =>
        (d.flags['dark-theme-v2']!['targeting'] = {
          fractional: [
            ['onn', 25],
            ['off', 75],
          ],
        }),
      'flags.dark-theme-v2.targeting.fractional[0][0]: "onn" is not a variant of this flag (on, off): did you mean "on"?',
    ],
    [
      'a fractional weight that is not a whole number',
      (d: ReturnType<typeof base>) =>
        (d.flags['dark-theme-v2']!['targeting'] = {
          fractional: [
            ['on', 25.5],
            ['off', 74.5],
          ],
        }),
      'flags.dark-theme-v2.targeting.fractional[0][1]: a weight is a whole number of 0 or more, got 25.5',
    ],
    [
      'a $ref to a rule that is not defined',
      (d: ReturnType<typeof base>) => (d.flags['hourly-forecast-beta']!['targeting'] = { if: [{ $ref: 'betaCountry' }, 'on', 'off'] }),
      'flags.hourly-forecast-beta.targeting.if[0].$ref: "betaCountry" is not defined in $evaluators (defined: betaCountries): add it there or fix the name',
    ],
    [
      'an operator JsonLogic and flagd do not have',
      (d: ReturnType<typeof base>) =>
        (d.flags['staff-tools']!['targeting'] = { if: [{ ends_wth: [{ var: 'email' }, '@x'] }, 'on', 'off'] }),
      /^flags\.staff-tools\.targeting.*: "ends_wth" is not a JsonLogic or flagd operator/,
    ],
    [
      'no flags at all',
      (d: ReturnType<typeof base>) => delete (d as { flags?: unknown }).flags,
      'flags: missing: add "flags": {} and define flags in it',
    ],
  ])('names the flag and the path for %s', (what, mutate, expected) => {
    const d = base();
    mutate(d);
    if (typeof expected === 'string') expect(problem(d)).toBe(expected);
    else expect(problem(d)).toMatch(expected);
    // a problem in one flag is a warning, as in flagd: the file still loads; none at all refuses it
    expect(loads(d)).toBe(what !== 'no flags at all');
  });

  it('serves the other flags of a file with bad ones, and evaluates each bad one as flagd-core does', () => {
    const d = base();
    d.flags['negative'] = {
      state: 'ENABLED',
      variants: { one: 'one', two: 'two' },
      defaultVariant: 'one',
      targeting: {
        fractional: [
          ['one', -50],
          ['two', 50],
        ],
      },
    };
    d.flags['short-semver'] = {
      state: 'ENABLED',
      variants: { match: 'match', miss: 'miss' },
      defaultVariant: 'miss',
      targeting: { if: [{ sem_ver: [{ var: 'version' }, '>=', '1'] }, 'match', null] },
    };
    d.flags['missing-ref'] = {
      state: 'ENABLED',
      variants: { a: 'a' },
      defaultVariant: 'a',
      targeting: { if: [{ $ref: 'nowhere' }, 'a', null] },
    };
    d.flags['not-a-variant'] = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'maybe' };
    d.flags['bad-state'] = { state: 'ON', variants: { on: true }, defaultVariant: 'on' };
    const r = validateFlagsText(JSON.stringify(d));
    if (!r.ok) throw new Error(r.problems[0]!.message);
    expect([...new Set(r.warnings.map((w) => w.flag))].sort()).toEqual([
      'bad-state',
      'missing-ref',
      'negative',
      'not-a-variant',
      'short-semver',
    ]);
    expect(r.warnings.find((w) => w.flag === 'short-semver')).toMatchObject({
      path: 'flags.short-semver.targeting.if[0].sem_ver[2]',
      message: expect.stringMatching(/^"1" is not a full semantic version/),
    });
    const ev = new FlagEvaluator(r.doc, r.storage);
    // the good flags are untouched
    expect(ev.evaluate('dark-theme-v2', { targetingKey: 'u1' }, false)).toMatchObject({
      reason: expect.stringMatching(/STATIC|TARGETING_MATCH|DEFAULT/),
    });
    expect(ev.evaluate('maintenance-banner', {}, false).reason).toBe('DISABLED');
    // flagd-core clamps a negative weight to 0 and compares a short version by its parts
    expect(ev.evaluate('negative', { targetingKey: 'anyone' }, 'x')).toMatchObject({ value: 'two', reason: 'TARGETING_MATCH' });
    expect(ev.evaluate('short-semver', { version: '1.5.0' }, 'x')).toMatchObject({ value: 'match' });
    // what flagd-core cannot read answers PARSE_ERROR with the code default
    for (const key of ['missing-ref', 'not-a-variant', 'bad-state'])
      expect(ev.evaluate(key, {}, 'code')).toMatchObject({ value: 'code', reason: 'ERROR', errorCode: 'PARSE_ERROR' });
  });

  it('turns problems into one ProdxError line with the file, exit 2, and the rest in details', () => {
    const r = validateFlagsText(JSON.stringify({ flagz: {} }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const err = flagsFileError('flags.json', r.problems);
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(
      'flags.json: flagz: unknown field: did you mean "flags"? (and 1 more problem). Fix the file and run the command again.',
    );
    expect(err.message).not.toContain('\n');
    expect((err.details!['problems'] as unknown[]).length).toBe(2);
  });
});
