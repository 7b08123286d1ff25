// The defects the release-core review found, each as a user or CI would meet it, through the
// built binary (PRODX_BIN runs these against another build: every one fails on the commit before
// the redesign). The four rollback scenarios are in rollback-scenarios.test.tsx.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeState } from '../../src/adapters/state/stateFile.js';
import { emptyEnvironmentState } from '../../src/core/state/schema.js';
import { BIN, expectNoStack, prodx, tempDir, writeConfig } from '../support/cli.js';
import { startDeployEnv, type DeployEnv } from '../support/deployEnv.js';
import { waitUntil } from '../support/load.js';
import { blueLiveOnOneZero } from '../support/records.js';

let env: DeployEnv;
const RELEASE = join(import.meta.dirname, '../../fixtures/weather-app/release.mjs');
const cli = (...args: string[]) => prodx([...args, '--config', env.configPath]);
const status = async () => JSON.parse((await cli('status', '--json')).stdout);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  env = await startDeployEnv();
});
afterAll(async () => {
  await env?.close();
});

async function seed() {
  env.configure({ release: { command: [process.execPath, RELEASE], timeout: '10s' } });
  await fetch(`${env.router.adminUrl}/weights`, { method: 'PUT', body: JSON.stringify({ blue: 100, green: 0 }) });
  await writeState(env.stateDir, () => blueLiveOnOneZero(1));
}

describe('signals, pipes and output', () => {
  it('SIGTERM while the release hook runs stops the hook and everything it started, and leaves the deploy resumable', async () => {
    await seed();
    const dir = tempDir('prodx-hook-');
    const marker = join(dir, 'installed');
    const pidFile = join(dir, 'pid');
    // the hook starts a child of its own, which "installs" after 3 s: neither may outlive prodx's stop
    const hook = `const { spawn } = require('node:child_process'); const fs = require('node:fs');
      const c = spawn(process.execPath, ['-e', "setTimeout(() => require('fs').writeFileSync(process.argv[1], 'x'), 3000)", ${JSON.stringify(marker)}], { stdio: 'ignore' });
      fs.writeFileSync(${JSON.stringify(pidFile)}, process.pid + ' ' + c.pid); setTimeout(() => {}, 60000);`;
    env.configure({ release: { command: [process.execPath, '-e', hook], timeout: '5m' } });
    const child = spawn(process.execPath, [BIN, 'deploy', '3.0.0', '--config', env.configPath], {
      env: { ...process.env, CI: 'true' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').includes(' '), 'the hook and its child to start', 20_000);
    const pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    await waitUntil(() => pids.every((p) => !alive(p)), 'the hook and its child to be gone', 5_000);
    await new Promise((r) => setTimeout(r, 3_500)); // past the moment the child would have installed
    expect(existsSync(marker)).toBe(false);
    const s = await status();
    expect(s.active).toMatchObject({ version: '3.0.0', phase: 'releasing', running: false });
    expect((await cli('rollback')).code).toBe(0);
  });

  it('a closed stderr (`prodx deploy … 2>&1 | head -1`) never stops a running deploy', async () => {
    await seed();
    const out = await new Promise<string>((done) =>
      execFile(
        'sh',
        [
          '-c',
          `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} deploy 3.1.0 --watch --config ${JSON.stringify(env.configPath)} 2>&1 | head -1`,
        ],
        { env: { ...process.env, CI: 'true' } },
        (_e, stdout) => done(stdout),
      ),
    );
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
    // head exited after one line; prodx went on to the end of the deploy
    await waitUntil(async () => (await status()).lastDeploy?.version === '3.1.0', 'the deploy to finish', 30_000);
    const s = await status();
    expect(s.lastDeploy).toMatchObject({ version: '3.1.0', result: 'succeeded' });
    expect(s.live).toMatchObject({ colour: 'green', version: '3.1.0' });
    expect(s.active).toBeNull();
  });

  it('a hook that prints one 10 MB line gives a bounded reason, and state.json stays small', async () => {
    await seed();
    env.configure({
      release: {
        command: [process.execPath, '-e', "process.stdout.write('x'.repeat(10*1024*1024) + '\\n'); process.exit(1)"],
        timeout: '30s',
      },
    });
    const r = await cli('deploy', '3.2.0', '--json');
    expect(r.code).toBe(1);
    const reason = JSON.parse(r.stdout).reason as string;
    expect(reason.length).toBeLessThanOrEqual(300);
    expect(reason).toMatch(/^release hook exited with code 1: x+…/);
    expect(statSync(join(env.stateDir, 'state.json')).size).toBeLessThan(100_000);
    expect((await cli('status')).stdout.length).toBeLessThan(5_000);
  });

  it('every line of `--watch --json` says ok', async () => {
    await seed();
    const r = await cli('deploy', '3.3.0', '--watch', '--json');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ok?: unknown });
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(typeof l.ok).toBe('boolean');
  });
});

describe('environments and locks', () => {
  it('`--env ""` (an unset variable) is bad input, never production', async () => {
    await seed();
    const r = await cli('deploy', '3.4.0', '--env', '', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/^--env is empty \(an unset variable\?\)/);
    expect((await status()).lastDeploy?.version).not.toBe('3.4.0');
  });

  it('a staging deploy does not hold up a production rollback: one lock per environment', async () => {
    await seed();
    // staging: a deploy that sits in its release hook (targets that are never reached)
    const base = JSON.parse(readFileSync(env.configPath, 'utf8'));
    base.environments.staging = {
      targets: { blue: { url: 'http://127.0.0.1:1' }, green: { url: 'http://127.0.0.1:2' } },
      router: { type: 'command', command: ['true'] },
      release: { command: [process.execPath, '-e', 'setTimeout(() => {}, 60000)'], timeout: '5m' },
    };
    writeFileSync(env.configPath, JSON.stringify(base));
    const staging = spawn(process.execPath, [BIN, 'deploy', '9.9.9', '--env', 'staging', '--config', env.configPath], {
      env: { ...process.env, CI: 'true' },
      stdio: 'ignore',
    });
    try {
      await waitUntil(
        async () => JSON.parse((await cli('status', '--json', '--env', 'staging')).stdout).active?.phase === 'releasing',
        'the staging deploy',
        20_000,
      );
      expect((await cli('deploy', '3.5.0')).code).toBe(0);
      const rb = await cli('rollback', '--json');
      expect(rb.code, rb.stdout).toBe(0);
    } finally {
      staging.kill('SIGKILL');
      env.configure({});
    }
  });
});

describe('small things a user provokes', () => {
  it('a read-only state folder is one line naming the file and what to do, exit 2', async () => {
    const config = writeConfig({ blue: 'http://127.0.0.1:1', green: 'http://127.0.0.1:2' }, {}, {});
    const dir = join(config, '..');
    const c = JSON.parse(readFileSync(config, 'utf8'));
    c.environments.production.router = { type: 'command', command: ['true'] };
    writeFileSync(config, JSON.stringify(c));
    mkdirSync(join(dir, '.prodx'));
    chmodSync(dir, 0o755);
    chmodSync(join(dir, '.prodx'), 0o555);
    // as root permissions do not bind: run it as nobody, as a user without write access would
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(
        process.execPath,
        [BIN, 'deploy', '1.0.0', '--config', config],
        { env: { ...process.env, CI: 'true', NO_COLOR: '1', HOME: '/tmp' }, ...asUser },
        (e, _o, stderr) => done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stderr }),
      ),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^prodx: cannot (create the lock|write|create) .*\.prodx.* \(EACCES\): check its permissions/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(expectNoStack(r.stderr)).toBe(true);
  });

  it('5000-deep JSON in the config, the state or the flags file is a clear error, not a crash', async () => {
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const config = writeConfig({ blue: 'http://127.0.0.1:1' });
    const good = readFileSync(config, 'utf8');
    writeFileSync(config, good.replace('"health"', `"x": ${deep}, "health"`));
    let r = await prodx(['status', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nests deeper than 64 levels/);
    writeFileSync(config, good);
    mkdirSync(join(config, '..', '.prodx'), { recursive: true });
    writeFileSync(join(config, '..', '.prodx', 'state.json'), `{"schemaVersion":1,"environments":${deep}}`);
    r = await prodx(['status', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/state\.json nests deeper than 64 levels/);
    writeFileSync(
      join(config, '..', 'flags.json'),
      `{"flags":{"a":{"state":"ENABLED","variants":{"on":true},"defaultVariant":"on","targeting":${deep}}}}`,
    );
    r = await prodx(['flags', 'list', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nested deeper than 64 levels/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('a flag named constructor or __proto__ is an unknown flag or a refused file, never an internal error', async () => {
    const config = writeConfig({ blue: 'http://127.0.0.1:1' });
    const flags = join(config, '..', 'flags.json');
    writeFileSync(flags, JSON.stringify({ flags: { a: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' } } }));
    for (const name of ['constructor', 'toString']) {
      const r = await prodx(['flags', 'enable', name, '--config', config]);
      expect(r.stderr).toMatch(new RegExp(`^prodx: no flag "${name}" in `));
      expect(r.code).toBe(2);
    }
    writeFileSync(flags, '{"flags":{"__proto__":{"state":"ENABLED","variants":{"on":true},"defaultVariant":"on"}}}');
    const r = await prodx(['flags', 'list', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/flags\.__proto__: a flag cannot be named "__proto__"/);
  });

  it('status says when the scale-down delay ends, and a canary in setup has 0% of the traffic', async () => {
    const config = writeConfig({ blue: 'http://127.0.0.1:1', green: 'http://127.0.0.1:2' });
    const stateDir = join(config, '..', '.prodx');
    const now = Date.now();
    await writeState(stateDir, () => ({
      schemaVersion: 1,
      environments: {
        production: {
          ...emptyEnvironmentState(),
          live: { colour: 'green', version: '2.0.0', since: now - 1000 },
          previous: { colour: 'blue', version: '1.0.0', until: now + 800 },
          canary: {
            id: 'c1',
            version: '2.1.0',
            by: 'a',
            startedAt: now,
            canaryColour: 'blue',
            stableColour: 'green',
            stableVersion: '2.0.0',
            steps: [10, 50, 100],
            intervalMs: 1000,
            setup: 'releasing',
            state: { phase: 'progressing', step: 0, failed: 0, since: now },
            weightsBefore: { green: 100, blue: 0 },
            analysis: [],
          },
        },
      },
    }));
    const text = (await prodx(['status', '--config', config])).stdout;
    expect(text).toMatch(/scale-down delay ends in 1s/);
    expect(text).not.toContain('just now');
    const json = JSON.parse((await prodx(['status', '--json', '--config', config])).stdout);
    expect(json.canary).toMatchObject({ phase: 'releasing', percent: 0 });
  });

  it('a command group without its subcommand is one usage error, in --json too', async () => {
    const r = await prodx(['canary', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      error: { code: 'usage', message: expect.stringMatching(/^`prodx canary` needs a subcommand: one of deploy, dry-run, status/) },
    });
    const typo = await prodx(['canary', 'deplyo']);
    expect(typo.stderr).toMatch(/has no subcommand 'deplyo' \(did you mean 'deploy'\?\)/);
  });

  it('--no-color keeps errors plain in a terminal (script gives the command a pty)', async () => {
    const run = (flag: string) =>
      new Promise<string>((done) =>
        execFile(
          'script',
          ['-qec', `${process.execPath} ${BIN} ${flag} status --config /nonexistent/prodx.config.json`, '/dev/null'],
          { env: { ...process.env, CI: 'true', NO_COLOR: '' } },
          (_e, stdout) => done(stdout),
        ),
      );
    const coloured = await run('');
    expect(coloured).toContain('\x1b[31mprodx:');
    const plain = await run('--no-color');
    expect(plain).toContain('prodx: no config at /nonexistent/prodx.config.json');
    expect(plain).not.toContain('\x1b[');
  });

  it('the demo observed for a while prints no Node warning', { timeout: 60_000 }, async () => {
    const r = await prodx(['demo', '--json', '--duration', '12s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/MaxListenersExceededWarning|Warning:/);
  });
});
