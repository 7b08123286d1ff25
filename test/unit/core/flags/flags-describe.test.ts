import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeRule } from '../../../../src/core/flags/describe.js';
import { summarizeFlags, rolloutLabel } from '../../../../src/core/flags/summary.js';
import { parseContextPairs } from '../../../../src/core/flags/contextArgs.js';
import type { FlagsDocument } from '../../../../src/core/flags/types.js';
import { fixturePath } from '../../../../src/adapters/paths.js';

const doc = JSON.parse(readFileSync(fixturePath('flags', 'flags.json'), 'utf8')) as FlagsDocument;

describe('targeting in words', () => {
  const words = Object.fromEntries(summarizeFlags(doc).map((s) => [s.key, s.targeting]));

  it('describes each fixture flag', () => {
    expect(words).toEqual({
      'dark-theme-v2': '25% on, 75% off',
      'weather-radar': '50% control, 50% treatment',
      // the shared rule is spelled out, not named
      'hourly-forecast-beta': 'if country is one of DE, AT, CH, NL → on; else off',
      'severe-weather-alerts': 'if plan is one of pro, team → push; else if plan is plus → email; else none',
      // no final else: flagd serves the default variant
      'forecast-days': 'if plan is pro → long; else if country is US and appVersion < 2.0.0 (semver) → short; else week',
      'new-forecast-engine': 'if appVersion ≥ 3.2.0 (semver) → 50% v3, 50% v2; else v2',
      'staff-tools': 'if email ends with "@weather.example" or targetingKey starts with "staff-" → on; else off',
      'maintenance-banner': 'everyone gets hidden',
      'units-default': 'if country is one of US, LR, MM → imperial; else metric',
    });
  });

  it('falls back to compact JSON for what it does not know', () => {
    expect(describeRule({ map: [[1, 2], { '*': [{ var: '' }, 2] }] })).toBe('{"map":[[1,2],{"*":[{"var":""},2]}]}');
    expect(describeRule({ fractional: [{ var: 'email' }, ['a', 1], ['b', 3]] })).toBe('25% a, 75% b (by email)');
  });

  it('labels rollouts by their variant', () => {
    const labels = Object.fromEntries(summarizeFlags(doc).map((s) => [s.key, rolloutLabel(s)]));
    expect(labels['dark-theme-v2']).toBe('25% on');
    expect(labels['weather-radar']).toBe('50% treatment');
    expect(labels['units-default']).toBe('—');
  });
});

describe('--context key=value', () => {
  it('types numbers, booleans and null, and keeps versions and zero-padded codes as strings', () => {
    expect(
      parseContextPairs([
        'country=DE',
        'age=42',
        'beta=true',
        'score=-1.5',
        'appVersion=2.4.0',
        'zip=01234',
        'x=null',
        'q="true"',
        'eq=a=b',
      ]),
    ).toEqual({
      country: 'DE',
      age: 42,
      beta: true,
      score: -1.5,
      appVersion: '2.4.0',
      zip: '01234',
      x: null,
      q: 'true',
      eq: 'a=b',
    });
  });

  it('refuses a word without = and a targetingKey pair, in one line each', () => {
    expect(() => parseContextPairs(['country'])).toThrow(/context "country" is not key=value: write it as e\.g\. country=DE/);
    expect(() => parseContextPairs(['targetingKey=u1'])).toThrow(/the targeting key is the second argument/);
  });
});
