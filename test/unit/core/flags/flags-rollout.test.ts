import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apportion, planRollout, rolloutOf } from '../../../../src/core/flags/rollout.js';
import { commitText, setFlagRollout, setFlagState } from '../../../../src/core/flags/edit.js';
import { validateFlagsText } from '../../../../src/core/flags/validate.js';
import type { FlagDefinition, FlagsDocument } from '../../../../src/core/flags/types.js';
import { ProdxError } from '../../../../src/core/errors.js';
import { fixturePath } from '../../../../src/adapters/paths.js';

const text = readFileSync(fixturePath('flags', 'flags.json'), 'utf8');
const doc = JSON.parse(text) as FlagsDocument;

/** The error a call throws, as a ProdxError. */
function thrown(fn: () => unknown): ProdxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProdxError) return err;
    throw err;
  }
  throw new Error('expected a ProdxError');
}

/** Text with every number token replaced: what must not change when only weights move. */
const withoutNumbers = (t: string) => t.replace(/-?\d+(\.\d+)?/g, '#');

describe('apportion', () => {
  it('splits exactly, in proportion, by largest remainder', () => {
    expect(apportion(60, [1, 1])).toEqual([30, 30]);
    expect(apportion(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(apportion(75, [10, 20])).toEqual([25, 50]);
    for (const total of [0, 1, 7, 99, 875]) expect(apportion(total, [3, 5, 11]).reduce((a, b) => a + b, 0)).toBe(total);
  });
});

describe('rolloutOf', () => {
  it('reads the split and which variant a percentage means', () => {
    expect(rolloutOf(doc.flags['dark-theme-v2']!)).toMatchObject({
      percent: { on: 25, off: 75 },
      rolloutVariant: 'on',
      path: ['fractional'],
    });
    // not a boolean: the variant that is not the default
    expect(rolloutOf(doc.flags['weather-radar']!)).toMatchObject({ percent: { control: 50, treatment: 50 }, rolloutVariant: 'treatment' });
    // a fractional inside an if
    expect(rolloutOf(doc.flags['new-forecast-engine']!)).toMatchObject({ rolloutVariant: 'v3', path: ['if', 1, 'fractional'] });
    expect(rolloutOf(doc.flags['severe-weather-alerts']!)).toBeNull();
  });
});

describe('setFlagRollout', () => {
  it('changes only the weights of that flag: same keys, same order, same bytes elsewhere', () => {
    const edit = setFlagRollout(text, doc, 'dark-theme-v2', 40, 'flags.json');
    expect(edit.changed).toBe(true);
    expect(edit.summary).toBe('rollout 25% → 40% on');
    const after = JSON.parse(edit.text) as FlagsDocument;
    expect(after.flags['dark-theme-v2']!.targeting).toEqual({
      fractional: [
        ['on', 40],
        ['off', 60],
      ],
    });
    // everything but that flag's weights is the same document, keys in the same order
    const expected = JSON.parse(text) as FlagsDocument;
    expected.flags['dark-theme-v2']!.targeting = {
      fractional: [
        ['on', 40],
        ['off', 60],
      ],
    };
    expect(JSON.stringify(after)).toBe(JSON.stringify(expected));
    expect(withoutNumbers(edit.text)).toBe(withoutNumbers(text));
    expect(validateFlagsText(edit.text).ok).toBe(true);
  });

  it('keeps the file compact when it was compact, and adds the weight of a bucket written without one', () => {
    const compact =
      '{"flags":{"a":{"state":"ENABLED","variants":{"on":true,"off":false},"defaultVariant":"off","targeting":{"fractional":[["on"],["off"]]}}}}';
    const edit = setFlagRollout(compact, JSON.parse(compact), 'a', 10, 'f.json');
    expect(edit.text).toBe(
      '{"flags":{"a":{"state":"ENABLED","variants":{"on":true,"off":false},"defaultVariant":"off","targeting":{"fractional":[["on", 10],["off", 90]]}}}}',
    );
  });

  it('uses a finer scale for a fractional percentage, and keeps a 1000-based file 1000-based', () => {
    const half = setFlagRollout(text, doc, 'new-forecast-engine', 12.5, 'flags.json');
    expect((JSON.parse(half.text) as FlagsDocument).flags['new-forecast-engine']!.targeting).toMatchObject({
      if: [
        expect.anything(),
        {
          fractional: [
            ['v3', 125],
            ['v2', 875],
          ],
        },
        'v2',
      ],
    });
    const flag: FlagDefinition = {
      state: 'ENABLED',
      variants: { a: 'a', b: 'b', c: 'c' },
      defaultVariant: 'a',
      targeting: {
        fractional: [
          ['a', 500],
          ['b', 300],
          ['c', 200],
        ],
      },
    };
    expect(planRollout('x', flag, 30, 'b').weights).toEqual([500, 300, 200]);
    // the others keep their proportions (a:c = 5:2) in what is left
    expect(planRollout('x', flag, 65, 'b').weights).toEqual([250, 650, 100]);
  });

  it('says nothing changed when the split is already that', () => {
    const edit = setFlagRollout(text, doc, 'dark-theme-v2', 25, 'flags.json');
    expect(edit).toMatchObject({ changed: false, text, summary: 'already 25% on' });
  });

  it.each([
    [
      'a percentage above 100',
      () => setFlagRollout(text, doc, 'dark-theme-v2', 101, 'f'),
      'rollout-out-of-range',
      /from 0 to 100, got 101/,
    ],
    ['a negative percentage', () => setFlagRollout(text, doc, 'dark-theme-v2', -1, 'f'), 'rollout-out-of-range', /got -1/],
    ['three decimals', () => setFlagRollout(text, doc, 'dark-theme-v2', 12.345, 'f'), 'rollout-out-of-range', /at most two decimals/],
    [
      'a flag without a fractional rule',
      () => setFlagRollout(text, doc, 'severe-weather-alerts', 10, 'f'),
      'flag-no-rollout',
      /has no "fractional" rule/,
    ],
    [
      'an unknown flag',
      () => setFlagRollout(text, doc, 'dark-theme', 10, 'f'),
      'flag-unknown',
      /no flag "dark-theme" in f \(did you mean "dark-theme-v2"\?\)/,
    ],
    [
      'a variant without a bucket',
      () => setFlagRollout(text, doc, 'weather-radar', 10, 'f', 'holdout'),
      'usage',
      /"holdout" has no bucket/,
    ],
  ])('refuses %s with one line', (_what, fn, code, message) => {
    const err = thrown(fn);
    expect(err.code).toBe(code);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
  });

  it('points at $evaluators when the split lives in a shared rule', () => {
    const shared = JSON.parse(text) as FlagsDocument;
    shared.$evaluators!['half'] = {
      fractional: [
        ['on', 50],
        ['off', 50],
      ],
    };
    shared.flags['staff-tools']!.targeting = { $ref: 'half' };
    const t = JSON.stringify(shared, null, 2);
    expect(thrown(() => setFlagRollout(t, shared, 'staff-tools', 10, 'f')).message).toMatch(/shared rule from \$evaluators/);
  });

  it('asks which variant when a split has three and none is obvious', () => {
    const flag: FlagDefinition = {
      state: 'ENABLED',
      variants: { a: 1, b: 2, c: 3 },
      targeting: {
        fractional: [
          ['a', 1],
          ['b', 1],
          ['c', 1],
        ],
      },
    };
    expect(thrown(() => planRollout('x', flag, 10)).message).toMatch(
      /splits users between a, b, c: say which variant gets 10% with --variant/,
    );
  });
});

describe('setFlagState and commitText', () => {
  it('flips only the state value', () => {
    const edit = setFlagState(text, doc, 'maintenance-banner', true, 'flags.json');
    expect(edit.changed).toBe(true);
    expect(edit.before.state).toBe('DISABLED');
    expect(edit.after.state).toBe('ENABLED');
    const lines = (t: string) => t.split('\n');
    const diff = lines(text).flatMap((l, i) => (l !== lines(edit.text)[i] ? [[l.trim(), lines(edit.text)[i]!.trim()]] : []));
    expect(diff).toEqual([['"state": "DISABLED",', '"state": "ENABLED",']]);
  });

  it('refuses an edit whose result would not validate, leaving the text as it was', () => {
    const at = text.indexOf('"off", 75') + 1;
    const err = thrown(() =>
      commitText('dark-theme-v2', 'set-rollout', text, [{ offset: at, length: 3, content: 'of' }], 'flags.json', 'x'),
    );
    expect(err.code).toBe('flags-change-refused');
    expect(err.message).toMatch(
      /^refused: after this change "dark-theme-v2" would not pass flagd's checks \(flags\.dark-theme-v2\.targeting\.fractional\[1\]\[0\]: "of" is not a variant/,
    );
  });
});
