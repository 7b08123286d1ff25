import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../../src/core/config/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['0s', 0],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['5', '2 s', 's', '-1s', '1d', '', '1e3ms'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [1500, '1.5s'],
    [65_000, '1m5s'],
    [120_000, '2m'],
    [3_660_000, '1h1m'],
  ])('%i ms reads %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
