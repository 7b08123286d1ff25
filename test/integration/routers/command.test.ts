// The command router runs the user's argv with the weights in its environment; a real child
// process (node running a small script) writes what it received to a file the test reads.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCommandRouter } from '../../../src/adapters/routers/command.js';
import { ProdxError } from '../../../src/core/errors.js';
import { tempDir } from '../../support/cli.js';

const dir = tempDir('prodx-command-');
const script = join(dir, 'switch.mjs');
writeFileSync(
  script,
  `import { writeFileSync } from 'node:fs';
const [out, mode] = process.argv.slice(2);
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('PRODX_WEIGHT')));
writeFileSync(out, JSON.stringify({ env, args: process.argv.slice(2) }));
if (mode === 'fail') {
  console.error('connecting to the load balancer');
  console.error('error: backend pool "weather" is locked by another change');
  process.exit(3);
}
`,
);

describe('command router', () => {
  it('passes the weights as PRODX_WEIGHTS and one PRODX_WEIGHT_<COLOUR> each', async () => {
    const out = join(dir, 'ok.json');
    const router = createCommandRouter({ command: [process.execPath, script, out, 'ok', 'an arg with spaces'] });
    await router.apply({ blue: 5, green: 95, 'canary-eu': 0 });
    const got = JSON.parse(readFileSync(out, 'utf8')) as { env: Record<string, string>; args: string[] };
    expect(got.env).toEqual({
      PRODX_WEIGHTS: '{"blue":5,"green":95,"canary-eu":0}',
      PRODX_WEIGHT_BLUE: '5',
      PRODX_WEIGHT_GREEN: '95',
      PRODX_WEIGHT_CANARY_EU: '0',
    });
    // argv arrays reach the command unchanged: no shell split the argument
    expect(got.args).toEqual([out, 'ok', 'an arg with spaces']);
    expect(await router.read()).toBeNull();
  });

  it('turns a failing command into a ProdxError with its last stderr line', async () => {
    const router = createCommandRouter({ command: [process.execPath, script, join(dir, 'fail.json'), 'fail'] });
    const error = await router.apply({ blue: 0, green: 100 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ProdxError);
    expect(error).toMatchObject({ code: 'router-command-failed', exitCode: 1 });
    expect((error as Error).message).toContain('exited with code 3: error: backend pool "weather" is locked by another change');
    expect((error as Error).message).not.toContain('\n');
  });

  it('says so when the command cannot run, and never runs it for invalid weights', async () => {
    const missing = createCommandRouter({ command: [join(dir, 'no-such-script')] });
    await expect(missing.apply({ blue: 100 })).rejects.toMatchObject({
      code: 'router-command-failed',
      message: expect.stringContaining('was not found'),
    });

    const out = join(dir, 'never.json');
    const router = createCommandRouter({ command: [process.execPath, script, out, 'ok'] });
    await expect(router.apply({ blue: 60, green: 60 })).rejects.toMatchObject({ code: 'weights-invalid', exitCode: 2 });
    expect(existsSync(out)).toBe(false);
  });

  it('stops a command that outlives its timeout', async () => {
    const router = createCommandRouter({ command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'] }, { timeoutMs: 300 });
    await expect(router.apply({ blue: 100 })).rejects.toMatchObject({
      code: 'router-command-timeout',
      message: expect.stringContaining('did not finish within'),
    });
  });

  it('describes what it would run without running it', () => {
    const router = createCommandRouter({ command: ['./switch.sh', '--env', 'production'] });
    expect(router.describe({ blue: 0, green: 100 })).toEqual([
      `run ./switch.sh --env production with PRODX_WEIGHTS='{"blue":0,"green":100}' PRODX_WEIGHT_BLUE=0 PRODX_WEIGHT_GREEN=100`,
      'wait up to 60s for exit code 0',
    ]);
  });
});
