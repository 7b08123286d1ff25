// A production-like environment for deploy tests: two real sample targets (blue live), the
// real builtin router process in front of them, the demo's release hook, and state saying blue
// is live. Everything on free loopback ports, stopped by close().
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeState } from '../../src/adapters/state/stateFile.js';
import { emptyEnvironmentState } from '../../src/core/state/schema.js';
import { startRouterProcess, type RouterProcess } from '../../src/demo/router.js';
import { startSampleTarget, type SampleTarget } from '../../src/demo/sampleTarget.js';
import { tempDir } from './cli.js';

export interface DeployEnv {
  dir: string;
  configPath: string;
  stateDir: string;
  blue: SampleTarget;
  green: SampleTarget;
  router: RouterProcess;
  /** rewrites parts of the production environment's config; undefined restores a key's base value */
  configure(patch: Record<string, unknown>): void;
  close(): Promise<void>;
}

const RELEASE = join(import.meta.dirname, '../../fixtures/weather-app/release.mjs');

export async function startDeployEnv(): Promise<DeployEnv> {
  const dir = tempDir('prodx-deploy-');
  const [blue, green] = await Promise.all([
    startSampleTarget({ name: 'blue', version: '1.0.0' }),
    startSampleTarget({ name: 'green', version: '1.0.0' }),
  ]);
  const file = await writeDeployConfig(dir, blue, green, { type: 'builtin', listen: '127.0.0.1:0', admin: '127.0.0.1:0' });
  const { configPath, stateDir } = file;
  const router = await startRouterProcess({ configPath, env: 'production', listen: '127.0.0.1:0', admin: '127.0.0.1:0' });
  file.setRouter({ type: 'builtin', listen: '127.0.0.1:0', admin: new URL(router.adminUrl).host });
  return {
    dir,
    configPath,
    stateDir,
    blue,
    green,
    router,
    configure: file.configure,
    async close() {
      await router.stop();
      await Promise.all([blue.stop(), green.stop()]);
    },
  };
}

/**
 * The config file every deploy test runs against: two sample targets, `router`, the demo's
 * release hook and quick gates; `configure` patches the production environment (a key set to
 * undefined goes back to its base value). Also seeds the state: blue 1.0.0 live.
 */
export async function writeDeployConfig(
  dir: string,
  blue: { url: string },
  green: { url: string },
  router: Record<string, unknown>,
  base: Record<string, unknown> = {},
): Promise<{
  configPath: string;
  stateDir: string;
  setRouter(r: Record<string, unknown>): void;
  configure(patch: Record<string, unknown>): void;
}> {
  const configPath = join(dir, 'prodx.config.json');
  const stateDir = join(dir, '.prodx');
  let production: Record<string, unknown> = {};
  const write = () =>
    writeFileSync(
      configPath,
      JSON.stringify({
        app: 'weather',
        environments: {
          production: {
            targets: { blue: { url: blue.url }, green: { url: green.url } },
            health: { interval: '100ms', timeout: '500ms', healthyThreshold: 2, unhealthyThreshold: 2 },
            router,
            release: { command: [process.execPath, RELEASE], timeout: '10s' },
            prePromotion: { timeout: '3s' },
            postPromotion: { window: '1500ms', interval: '250ms', maxErrorRate: 0.02, minRequests: 5, failureLimit: 1 },
            ...base,
            ...production,
          },
        },
      }),
    );
  write();
  await writeState(stateDir, (s) => ({
    ...s,
    environments: {
      production: {
        ...emptyEnvironmentState(),
        live: { colour: 'blue', version: '1.0.0', since: Date.now() },
        colours: { blue: { version: '1.0.0' }, green: { version: '1.0.0' } },
      },
    },
  }));
  return {
    configPath,
    stateDir,
    setRouter(r) {
      router = r;
      write();
    },
    configure(patch) {
      production = Object.fromEntries(Object.entries({ ...production, ...patch }).filter(([, v]) => v !== undefined));
      write();
    },
  };
}
