import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/adapters/config/parse.js';
import { ProdxError } from '../../../../src/core/errors.js';
import { starterConfig } from '../../../../src/cli/commands/init.js';

const minimal = { app: 'weather', environments: { production: { targets: { blue: { url: 'http://127.0.0.1:8081' } } } } };

function problem(config: unknown): { message: string; problems: { path: string; message: string }[] } {
  try {
    parseConfig(typeof config === 'string' ? config : JSON.stringify(config), 'prodx.config.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ProdxError);
    const e = err as ProdxError;
    expect(e.exitCode).toBe(2);
    return { message: e.message, problems: (e.details?.['problems'] as { path: string; message: string }[]) ?? [] };
  }
  throw new Error('expected the config to be rejected');
}

describe('config schema', () => {
  it('fills every default, with durations in ms', () => {
    const c = parseConfig(JSON.stringify(minimal), 'x');
    const env = c.environments['production']!;
    expect(env.health).toEqual({
      path: '/healthz',
      versionPath: '/version',
      interval: 2000,
      timeout: 1000,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
    });
    expect(env.canary.steps).toEqual([5, 10, 25, 50, 100]);
    expect(env.scaleDownDelay).toBe(600_000);
    expect(c.stateDir).toBe('.prodx');
    expect(c.alerts).toEqual({ performance: 90, security: 95, errorRate: 0.02, responseTime: 2000, availability: 99.9 });
  });

  it('accepts the example config of DESIGN.md, every router and metrics type', () => {
    const env = {
      protected: true,
      targets: { blue: { url: 'http://127.0.0.1:8081' }, green: { url: 'http://127.0.0.1:8082' } },
      health: { path: '/healthz', versionPath: '/version', interval: '2s', timeout: '1s', healthyThreshold: 2, unhealthyThreshold: 2 },
      router: {
        type: 'nginx',
        upstreamFile: '/etc/nginx/conf.d/weather-upstream.conf',
        upstream: 'weather',
        test: ['nginx', '-t'],
        reload: ['nginx', '-s', 'reload'],
      },
      release: { command: ['./scripts/release.sh'], timeout: '5m' },
      metrics: { type: 'scrape', path: '/metrics' },
      canary: {
        steps: [5, 10, 25, 50, 100],
        interval: '30s',
        pause: '0s',
        analysis: { maxErrorRate: 0.02, maxP95Ms: 2000, minRequests: 50, failureLimit: 1 },
      },
      postPromotion: { window: '60s', maxErrorRate: 0.02 },
      scaleDownDelay: '10m',
    };
    const config = {
      $schema: './node_modules/prodx/schema/prodx.config.schema.json',
      app: 'weather',
      stateDir: '.prodx',
      environments: {
        production: env,
        staging: {
          ...env,
          router: { type: 'haproxy', socket: '127.0.0.1:9999', backend: 'weather', servers: { blue: 'blue', green: 'green' } },
          metrics: { type: 'prometheus', url: 'http://127.0.0.1:9090', queries: {} },
        },
        dev: { ...env, router: { type: 'builtin', listen: '127.0.0.1:8080', admin: '127.0.0.1:8089' }, metrics: { type: 'builtin' } },
        other: { ...env, router: { type: 'command', command: ['kubectl', 'apply'] } },
      },
      collector: { host: '127.0.0.1', port: 8790, token: null, allowedOrigins: [] },
      rum: { retentionDays: 30 },
      errors: { retentionDays: 30, sentryKeys: [] },
      flags: { file: 'flags.json' },
      alerts: { performance: 90, security: 95, errorRate: 0.02, responseTime: 2000, availability: 99.9 },
    };
    expect(() => parseConfig(JSON.stringify(config), 'x')).not.toThrow();
  });

  it('accepts comments and trailing commas, and the starter written by init', () => {
    expect(
      parseConfig('{ // app\n "app": "w", "environments": { "p": { "targets": { "blue": { "url": "http://a:1", }, }, }, }, }', 'x').app,
    ).toBe('w');
    expect(parseConfig(starterConfig('weather'), 'x').environments['production']!.protected).toBe(true);
  });

  it('names the JSON path and the fix for a wrong type', () => {
    const p = problem({ ...minimal, environments: { production: { ...minimal.environments.production, health: { interval: 5 } } } });
    expect(p.message).toBe('prodx.config.json: environments.production.health.interval: expected a string, got 5');
  });

  it('names a bad duration with the accepted forms', () => {
    const p = problem({
      ...minimal,
      environments: { production: { ...minimal.environments.production, health: { timeout: '5 seconds' } } },
    });
    expect(p.message).toMatch(
      /environments\.production\.health\.timeout: expected a duration such as "500ms", "30s", "5m" or "1h", got "5 seconds"/,
    );
  });

  it('suggests the field meant by an unknown one', () => {
    const p = problem({ ...minimal, environments: { production: { ...minimal.environments.production, health: { healthyTreshold: 3 } } } });
    expect(p.message).toBe(
      'prodx.config.json: environments.production.health.healthyTreshold: unknown field: did you mean "healthyThreshold"?',
    );
  });

  it('lists the known fields when an unknown one matches nothing', () => {
    const p = problem({ ...minimal, zzz: 1 });
    expect(p.message).toMatch(/^prodx\.config\.json: zzz: unknown field: remove it \(known here: .*app.*environments/);
  });

  it('rejects a missing app, a bad URL and an empty environment list, counting the problems', () => {
    const p = problem({ environments: { production: { targets: { blue: { url: 'localhost:8081' } } } } });
    expect(p.problems.map((x) => x.path)).toEqual(['app', 'environments.production.targets.blue.url']);
    expect(p.message).toMatch(/^prodx\.config\.json: app: missing: add a string here \(and 1 more problem\)$/);
    expect(p.problems[1]!.message).toMatch(/expected an http:\/\/ or https:\/\/ URL/);
    expect(problem({ app: 'x', environments: {} }).message).toMatch(/environments: define at least one environment/);
  });

  it('names the router type that does not exist', () => {
    const p = problem({ ...minimal, environments: { production: { ...minimal.environments.production, router: { type: 'traefik' } } } });
    expect(p.message).toMatch(/environments\.production\.router\.type/);
  });

  it('reports invalid JSON with line and column', () => {
    expect(problem('{\n  "app": "w",\n  "environments": }').message).toBe(
      'prodx.config.json is not valid JSON (line 3 column 19: value expected). Fix the syntax and run the command again.',
    );
    expect(problem('').message).toMatch(/not valid JSON/);
  });
});
