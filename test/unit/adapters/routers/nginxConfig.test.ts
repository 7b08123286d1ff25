import { describe, expect, it } from 'vitest';
import {
  addressOf,
  colourOfServer,
  parseUpstreamFile,
  renderUpstreamFile,
  toPercent,
  UpstreamSyntaxError,
  weightsOfServers,
} from '../../../../src/adapters/routers/nginxConfig.js';

const targets = { blue: 'http://127.0.0.1:8081', green: 'http://127.0.0.1:8082' };

describe('renderUpstreamFile', () => {
  it('writes the whole block with weights, keepalive and a managed-by header', () => {
    const text = renderUpstreamFile({ upstream: 'weather', weights: { blue: 95, green: 5 }, targets });
    expect(text).toBe(
      [
        '# managed by prodx: rewritten whole on every switch; change weights with prodx, not by hand.',
        '# weights: blue=95 green=5',
        'upstream weather {',
        '    server 127.0.0.1:8081 weight=95;',
        '    server 127.0.0.1:8082 weight=5;',
        '    keepalive 16;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('marks a weight of 0 (and a colour left out) as down, since nginx weights must be at least 1', () => {
    const text = renderUpstreamFile({ upstream: 'weather', weights: { blue: 100 }, targets });
    expect(text).toContain('    server 127.0.0.1:8081 weight=100;\n');
    expect(text).toContain('    server 127.0.0.1:8082 down;\n');
    expect(text).not.toContain('weight=0');
  });

  it("keeps the previous file's directives and server parameters", () => {
    const text = renderUpstreamFile({
      upstream: 'weather',
      weights: { blue: 0, green: 100 },
      targets,
      directives: ['keepalive 64', 'zone weather 64k'],
      params: { '127.0.0.1:8082': ['max_fails=3', 'fail_timeout=10s'] },
    });
    expect(text).toContain('    server 127.0.0.1:8082 weight=100 max_fails=3 fail_timeout=10s;\n');
    expect(text).toContain('    keepalive 64;\n    zone weather 64k;\n}');
    expect(text).not.toContain('keepalive 16');
  });
});

describe('parseUpstreamFile', () => {
  it('round-trips rendered weights', () => {
    for (const weights of [
      { blue: 100, green: 0 },
      { blue: 95, green: 5 },
      { blue: 50, green: 50 },
      { blue: 0, green: 100 },
    ]) {
      const parsed = parseUpstreamFile(renderUpstreamFile({ upstream: 'weather', weights, targets }), 'weather');
      expect(parsed.others).toEqual([]);
      expect(parsed.directives).toEqual(['keepalive 16']);
      expect(weightsOfServers(parsed.servers!, targets)).toEqual(weights);
    }
  });

  it('reads down and backup as no traffic, and weight 1 when none is written', () => {
    const text = `upstream weather {
      server 127.0.0.1:8081;
      server 127.0.0.1:8082 weight=3 down;
      server 127.0.0.1:8083 backup;
    }`;
    const parsed = parseUpstreamFile(text, 'weather');
    expect(parsed.servers).toEqual([
      { address: '127.0.0.1:8081', weight: 1, down: false, backup: false, params: [] },
      { address: '127.0.0.1:8082', weight: 3, down: true, backup: false, params: [] },
      { address: '127.0.0.1:8083', weight: 1, down: false, backup: true, params: [] },
    ]);
    expect(weightsOfServers(parsed.servers!, { ...targets, red: 'http://127.0.0.1:8083' })).toEqual({ blue: 100, green: 0, red: 0 });
  });

  it('skips comments, keeps unknown directives, and reports other top-level statements', () => {
    const text = `# written by hand
upstream other { server 10.0.0.1:80; }
upstream weather { # the app
    server 127.0.0.1:8081 weight=2 max_fails=0; # blue
    # server 127.0.0.1:8082 weight=1;
    zone weather 64k;
    keepalive 32;
    least_conn;
}
map $x $y { default 1; }
`;
    const parsed = parseUpstreamFile(text, 'weather');
    expect(parsed.servers).toEqual([{ address: '127.0.0.1:8081', weight: 2, down: false, backup: false, params: ['max_fails=0'] }]);
    expect(parsed.directives).toEqual(['zone weather 64k', 'keepalive 32', 'least_conn']);
    expect(parsed.others).toEqual(['upstream other { … }', 'map $x $y { … }']);
  });

  it('has no servers when the named upstream is absent', () => {
    expect(parseUpstreamFile('# nothing yet\n', 'weather')).toEqual({ servers: undefined, directives: [], others: [] });
    expect(parseUpstreamFile('upstream other { server a:1; }', 'weather').servers).toBeUndefined();
  });

  it('rejects broken syntax with the line it is on', () => {
    expect(() => parseUpstreamFile('upstream weather {\n  server 127.0.0.1:8081\n', 'weather')).toThrow(/line 1 is never closed/);
    expect(() => parseUpstreamFile('upstream weather {\n  server 127.0.0.1:8081\n}', 'weather')).toThrow(
      /missing ";" after "server 127.0.0.1:8081" on line 2/,
    );
    expect(() => parseUpstreamFile('}\n', 'weather')).toThrow(UpstreamSyntaxError);
    expect(() => parseUpstreamFile('upstream weather { server "a:1; }', 'weather')).toThrow(/unterminated quote/);
  });
});

describe('matching servers to targets', () => {
  it('names a server by the host:port of a target URL, with default ports', () => {
    expect(addressOf('http://127.0.0.1:8081')).toBe('127.0.0.1:8081');
    expect(addressOf('http://Blue.Internal')).toBe('blue.internal:80');
    expect(addressOf('https://green.internal/app')).toBe('green.internal:443');
    expect(addressOf('http://[::1]:9000')).toBe('[::1]:9000');
    expect(colourOfServer('blue.internal', { blue: 'http://blue.internal' })).toBe('blue');
    expect(colourOfServer('unix:/run/app.sock', targets)).toBeUndefined();
  });

  it('counts a server of no target toward the total but gives it no colour', () => {
    const parsed = parseUpstreamFile('upstream weather { server 127.0.0.1:8081 weight=3; server 10.9.9.9:80 weight=1; }', 'weather');
    // 10.9.9.9 still takes a quarter of the traffic; blue's share says so.
    expect(weightsOfServers(parsed.servers!, targets)).toEqual({ blue: 75 });
  });
});

describe('toPercent', () => {
  it('gives whole percentages that add up to 100', () => {
    expect(
      toPercent([
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ]),
    ).toEqual({ a: 34, b: 33, c: 33 });
    expect(
      toPercent([
        ['a', 2],
        ['a', 2],
        ['b', 4],
      ]),
    ).toEqual({ a: 50, b: 50 });
    expect(
      toPercent([
        ['a', 0],
        ['b', 0],
      ]),
    ).toEqual({ a: 0, b: 0 });
  });
});
