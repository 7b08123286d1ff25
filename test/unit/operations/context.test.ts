import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/adapters/config/load.js';
import { chooseEnvironment, monitoringEnabled } from '../../../src/operations/context.js';

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

describe('chooseEnvironment', () => {
  it('prefers --env, then PRODX_ENV, then a NODE_ENV the config defines, then production', () => {
    expect(chooseEnvironment(config, 'staging', { PRODX_ENV: 'production' })).toBe('staging');
    expect(chooseEnvironment(config, undefined, { PRODX_ENV: 'staging', NODE_ENV: 'production' })).toBe('staging');
    expect(chooseEnvironment(config, undefined, { NODE_ENV: 'staging' })).toBe('staging');
    expect(chooseEnvironment(config, undefined, { NODE_ENV: 'test' })).toBe('production');
    expect(chooseEnvironment(config, undefined, {})).toBe('production');
  });
  it('falls back to the first environment when there is no production', () => {
    const only = parseConfig(JSON.stringify({ app: 'w', environments: { dev: { targets: { a: { url: 'http://a:1' } } } } }), 'x');
    expect(chooseEnvironment(only, undefined, {})).toBe('dev');
  });
  it('rejects an unknown environment with the ones that exist', () => {
    expect(() => chooseEnvironment(config, 'prod', {})).toThrow(
      'unknown environment "prod": the config defines "staging", "production". Pass one of those with --env.',
    );
  });
});
