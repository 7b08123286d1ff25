import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateFlagsText, flagsFileError } from '../../../../src/core/flags/validate.js';
import { fixturePath } from '../../../../src/adapters/paths.js';

const fixture = readFileSync(fixturePath('flags', 'flags.json'), 'utf8');
const base = () => JSON.parse(fixture) as { flags: Record<string, Record<string, unknown>>; [k: string]: unknown };

/** the first problem of a document, as "path: message" */
function problem(doc: unknown): string {
  const r = validateFlagsText(typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  if (r.ok) throw new Error('expected the document to be invalid');
  return `${r.problems[0]!.path}: ${r.problems[0]!.message}`;
}

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
  ])('names the flag and the path for %s', (_what, mutate, expected) => {
    const d = base();
    mutate(d);
    if (typeof expected === 'string') expect(problem(d)).toBe(expected);
    else expect(problem(d)).toMatch(expected);
  });

  it('turns problems into one ProdxError line with the file, exit 2, and the rest in details', () => {
    const d = base();
    d.flags['dark-theme-v2']!['state'] = 'ON';
    d.flags['weather-radar']!['state'] = 'OFF';
    const r = validateFlagsText(JSON.stringify(d));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const err = flagsFileError('flags.json', r.problems);
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(
      'flags.json: flags.dark-theme-v2.state: expected "ENABLED" or "DISABLED", got "ON" (and 1 more problem). Fix the file and run the command again.',
    );
    expect(err.message).not.toContain('\n');
    expect((err.details!['problems'] as unknown[]).length).toBe(2);
  });
});
