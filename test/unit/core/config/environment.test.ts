import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/adapters/config/parse.js';
import { chooseEnvironment } from '../../../../src/core/config/environment.js';

const config = parseConfig(
  JSON.stringify({
    app: 'w',
    environments: { staging: { targets: { blue: { url: 'http://a:1' } } }, production: { targets: { blue: { url: 'http://b:1' } } } },
  }),
  'x',
);

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
  it('refuses an empty name (an unset variable) instead of falling back to production', () => {
    expect(() => chooseEnvironment(config, '', {})).toThrow(
      '--env is empty (an unset variable?): name one of "staging", "production", e.g. --env staging.',
    );
    expect(() => chooseEnvironment(config, undefined, { PRODX_ENV: ' ' })).toThrow(/^PRODX_ENV is empty/);
  });
});
