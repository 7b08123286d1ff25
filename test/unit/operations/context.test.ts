import { describe, expect, it } from 'vitest';
import { monitoringEnabled } from '../../../src/operations/context.js';

describe('monitoringEnabled (MONITORING_ENABLED from the original scripts)', () => {
  it.each([
    [undefined, true],
    ['true', true],
    ['1', true],
    ['false', false],
    ['FALSE', false],
    ['0', false],
    ['off', false],
    [' no ', false],
  ])('%j → %s', (value, expected) => expect(monitoringEnabled(value === undefined ? {} : { MONITORING_ENABLED: value })).toBe(expected));
});
