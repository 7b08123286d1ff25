// The errors verbs as a user runs them: simulate into the store, report, show, resolve, a
// regression in a newer release, the exit codes a pipeline gates on, and bad input.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnProdx } from '../support/canary.js';
import { prodx } from '../support/cli.js';
import { rumProject } from '../support/rum.js';

interface Row {
  id: string;
  title: string;
  count: number;
  status: string;
  regressed: boolean;
  isNew: boolean;
  releases: string[];
}
interface Report {
  ok: boolean;
  groups: Row[];
  latestRelease: string;
  newInLatest: string[];
  regressed: string[];
}

const delivery = (release: string, ts: number, type: string, fn: string) => ({
  via: 'errors',
  ts,
  event: {
    type,
    message: `${type} in ${fn}`,
    stack: `${type}: ${type} in ${fn}\n    at ${fn} (https://weather.example/assets/app.0a1b2c3d.js:1:${ts % 900})`,
    release,
    user: `u${ts % 7}`,
  },
});

function fixture(dir: string, name: string, lines: unknown[]): string {
  const file = join(dir, `${name}.ndjson`);
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
  return file;
}

const run = async (config: string, ...args: string[]) => {
  const r = await prodx([...args, '--config', config]);
  return { ...r, json: r.stdout.startsWith('{') ? (JSON.parse(r.stdout) as Report & Record<string, unknown>) : null };
};

describe('prodx errors', () => {
  it('reports groups, calls out what is new in the newest release, and a resolved group coming back in a newer one regresses', async () => {
    const p = rumProject({});
    const first = fixture(p.dir, 'first', [
      delivery('1.0.0', 1000, 'TypeError', 'renderTiles'),
      delivery('1.0.0', 2000, 'TypeError', 'renderTiles'),
      delivery('1.0.0', 3000, 'RangeError', 'formatSunrise'),
    ]);
    expect((await run(p.config, 'errors', 'simulate', '--to', 'state', '--fixture', first, '--json')).code).toBe(0);
    let r = (await run(p.config, 'errors', 'report', '--json')).json!;
    expect(r.groups.map((g) => [g.title, g.count])).toEqual([
      ['TypeError: TypeError in renderTiles', 2],
      ['RangeError: RangeError in formatSunrise', 1],
    ]);
    // everything is new in the only release: the gate is red
    expect(r.ok).toBe(false);
    expect(r.newInLatest).toHaveLength(2);
    const tiles = r.groups[0]!.id;
    const sunrise = r.groups[1]!.id;

    // resolve one by a prefix, ignore the other: the gate is green
    const res = await run(p.config, 'errors', 'resolve', tiles.slice(0, 8), '--json');
    expect(res.json).toMatchObject({ ok: true, group: tiles, to: 'resolved', release: '1.0.0' });
    expect((await run(p.config, 'errors', 'ignore', sunrise, '--json')).code).toBe(0);
    const green = await run(p.config, 'errors', 'report', '--json');
    expect(green.code).toBe(0);
    expect(green.json!.groups.map((g) => g.status)).toEqual(['resolved', 'ignored']);

    // 1.1.0 brings renderTiles' error back: a regression, unresolved again, and the gate is red
    const second = fixture(p.dir, 'second', [delivery('1.1.0', 5000, 'TypeError', 'renderTiles')]);
    await run(p.config, 'errors', 'simulate', '--to', 'state', '--fixture', second);
    const back = await run(p.config, 'errors', 'report', '--json');
    expect(back.code).toBe(1);
    r = back.json!;
    expect(r.latestRelease).toBe('1.1.0');
    expect(r.regressed).toEqual([tiles]);
    expect(r.groups.find((g) => g.id === tiles)).toMatchObject({
      count: 3,
      status: 'unresolved',
      regressed: true,
      isNew: false,
      releases: ['1.1.0', '1.0.0'],
    });
    expect(r.groups.find((g) => g.id === sunrise)).toMatchObject({ status: 'ignored', regressed: false });

    // --release and --category narrow the list
    const only = (await run(p.config, 'errors', 'report', '--json', '--release', '1.1.0')).json!;
    expect(only.groups.map((g) => [g.id, g.count])).toEqual([[tiles, 1]]);
    expect((await run(p.config, 'errors', 'report', '--json', '--category', 'security')).json!.groups).toEqual([]);

    // show: the stack with the app's frame, the text a person reads
    const show = await run(p.config, 'errors', 'show', tiles.slice(0, 10));
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('TypeError: TypeError in renderTiles');
    expect(show.stdout).toContain('› renderTiles (https://weather.example/assets/app.0a1b2c3d.js:1:');
    expect(show.stdout).toContain('status unresolved (regressed)');
  });

  it('the shipped weather fixture, through the collector endpoints, groups three browsers into one radar group', async () => {
    const p = rumProject({});
    const child = spawnProdx(['collect', '--json', '--config', p.config]);
    try {
      const url = (await child.waitForLine((l) => typeof l['url'] === 'string', 'the collector to listen'))['url'] as string;
      const r = await run(p.config, 'errors', 'simulate', '--to', url, '--json');
      expect(r.json).toMatchObject({ ok: true, sent: 541, stored: 541, refused: {} });
    } finally {
      child.child.kill('SIGTERM');
      await child.exited;
    }
    const rep = (await run(p.config, 'errors', 'report', '--json')).json!;
    expect(rep.latestRelease).toBe('4.3.0');
    const radar = rep.groups.filter((g) => g.title.startsWith('TypeError') && g.releases.includes('4.2.0') && !g.title.includes('alerts'));
    expect(radar).toHaveLength(1);
    expect(rep.groups.find((g) => g.title === 'RangeError: Invalid time value')).toMatchObject({ isNew: true });
    expect(rep.groups).toHaveLength(8);
  });

  it('bad input: one line naming the problem, exit 2, nothing changed', async () => {
    const p = rumProject({});
    for (const [args, says] of [
      [['errors', 'show', 'zz'], 'is not a group id'],
      [['errors', 'show', 'abcdef12'], 'no error group'],
      [['errors', 'report', '--category', 'weird'], '--category is one of'],
      [['errors', 'report', '--window', '3d'], '--window is one of'],
      [['errors', 'simulate', '--to', 'state', '--fixture', '/nonexistent.ndjson'], 'cannot read the errors fixture'],
      [['errors', 'simulate', '--count', '0', '--to', 'state'], '--count is a whole number'],
      [['errors', 'simulate', '--to', 'ftp://x'], '--to is a collector URL'],
    ] as const) {
      const r = await run(p.config, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toContain(says);
    }
    mkdirSync(join(p.dir, '.prodx'));
    writeFileSync(join(p.dir, '.prodx', 'errors.json'), '{ broken');
    const r = await run(p.config, 'errors', 'report');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('errors.json is not prodx');
  });
});
