import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectNoStack, prodx, tempDir, writeConfig } from '../support/cli.js';

function configFile(text: string): string {
  const path = join(tempDir(), 'prodx.config.json');
  writeFileSync(path, text);
  return path;
}

describe('bad input: one line, exit 2, no stack', () => {
  const cases: [string, () => string[], RegExp][] = [
    [
      'a missing config',
      () => ['status', '--config', join(tempDir(), 'nope.json')],
      /^prodx: no config at .*nope\.json: run `prodx init` to write one, or pass --config <path>\.$/,
    ],
    [
      'invalid JSON',
      () => ['status', '--config', configFile('{ "app": "w", }}')],
      /is not valid JSON \(line 1 column 16: end of file expected\)/,
    ],
    [
      'an unknown field',
      () => [
        'health',
        '--config',
        configFile('{"app":"w","environments":{"production":{"targets":{"blue":{"url":"http://127.0.0.1:1","helthPath":"/h"}}}}}'),
      ],
      /environments\.production\.targets\.blue\.helthPath: unknown field: did you mean "healthPath"\?/,
    ],
    [
      'a wrong type',
      () => [
        'health',
        '--config',
        configFile(
          '{"app":"w","environments":{"production":{"targets":{"blue":{"url":"http://127.0.0.1:1"}},"health":{"healthyThreshold":"two"}}}}',
        ),
      ],
      /environments\.production\.health\.healthyThreshold: expected a number, got "two"/,
    ],
    [
      'an unknown environment',
      () => ['status', '--env', 'stagin', '--config', writeConfig({ blue: 'http://127.0.0.1:1' })],
      /unknown environment "stagin": the config defines "production"\. Pass one of those with --env\./,
    ],
    [
      'an unknown command',
      () => ['deploi'],
      /^prodx: unknown command 'deploi' \(did you mean 'deploy'\?\): run `prodx --help` for the list\.$/,
    ],
    ['an unknown option', () => ['health', '--wath'], /unknown option '--wath'/],
    ['a bad duration', () => ['demo', '--duration', 'ten'], /"ten" is not a duration/],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    const r = await prodx(args());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(expectNoStack(r.stderr)).toBe(true);
  });

  it('with --json, a failure is {"ok":false,"error":{code,message}} on stdout', async () => {
    const r = await prodx(['status', '--json', '--config', configFile('{"app": 3, "environments": {}}')]);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.error.code).toBe('config-invalid');
    expect(out.error.message).toMatch(/app: expected a string, got 3 \(and 1 more problem\)/);
    expect(out.error.problems).toHaveLength(2);
    const usage = await prodx(['health', '--json', '--bogus']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout).error).toMatchObject({ code: 'usage', message: expect.stringMatching(/unknown option '--bogus'/) });
  });

  it('init refuses to replace a config and leaves it byte for byte', async () => {
    const dir = tempDir();
    const first = await prodx(['init', '--app', 'weather'], { cwd: dir });
    expect(first.code).toBe(0);
    const path = join(dir, 'prodx.config.json');
    const before = readFileSync(path, 'utf8');
    expect(before).toMatch(/\/\/ /); // the starter explains its fields in comments
    const again = await prodx(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists: edit it, or pass --force/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    // and the starter it wrote is a config prodx accepts
    expect((await prodx(['status', '--json'], { cwd: dir })).code).toBe(0);
  });
});
