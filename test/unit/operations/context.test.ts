import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/adapters/config/load.js';
import { monitoringEnabled } from '../../../src/operations/context.js';

const config = parseConfig(
  JSON.stringify({
    app: 'w',
    environments: { staging: { targets: { blue: { url: 'http://a:1' } } }, production: { targets: { blue: { url: 'http://b:1' } } } },
  }),
  'x',
);

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
