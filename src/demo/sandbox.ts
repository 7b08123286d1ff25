// The demo sandbox: two real sample-app targets on free loopback ports, a config and state
// directory in a temporary folder, and steady synthetic traffic to the live colour. Everything
// it starts is stopped by stop(); the targets also exit on their own if this process dies.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeState } from '../adapters/state/stateFile.js';
import { emptyEnvironmentState } from '../core/state/schema.js';
import { fixturePath } from '../adapters/paths.js';
import { startRouterProcess, type RouterProcess } from './router.js';
import { startSampleTarget, type SampleTarget } from './sampleTarget.js';
import { startTraffic, type TrafficGenerator } from './traffic.js';

export interface SandboxOptions {
  version?: string;
  /** synthetic requests per second to the live colour */
  rps?: number;
}

export interface Sandbox {
  dir: string;
  configPath: string;
  stateDir: string;
  liveColour: string;
  targets: Record<string, SampleTarget>;
  /** the builtin router in front of the targets: the app's public address */
  router: RouterProcess;
  traffic: TrafficGenerator;
  stop(): Promise<void>;
}

/**
 * Removes the sandbox's folder; also registered on 'exit', so the folder goes however this
 * process ends (an uncaught error, a second signal): the children exit on their own when their
 * IPC channel closes, and this removes what they left.
 */
function folderRemover(dir: string): () => void {
  return () => {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    } catch {
      /* nothing more can be done while exiting */
    }
  };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const version = opts.version ?? process.env['APP_VERSION'] ?? '1.0.0';
  const dir = mkdtempSync(join(tmpdir(), 'prodx-demo-'));
  const removeDir = folderRemover(dir);
  process.on('exit', removeDir);
  const started: { stop(): Promise<void> }[] = [];
  try {
    const blue = await startSampleTarget({ name: 'blue', version });
    started.push(blue);
    const green = await startSampleTarget({ name: 'green', version });
    started.push(green);
    const configPath = join(dir, 'prodx.config.json');
    // a copy of the sample flags, so toggling them in the demo never edits the fixture
    copyFileSync(fixturePath('flags', 'flags.json'), join(dir, 'flags.json'));
    const writeConfig = (admin: string) => {
      const config = {
        app: 'weather',
        stateDir: '.prodx',
        flags: { file: 'flags.json', port: 0 },
        environments: {
          production: {
            // protected like a real production: every change from the dashboard asks first
            protected: true,
            targets: { blue: { url: blue.url }, green: { url: green.url } },
            health: { interval: '1s', timeout: '800ms', healthyThreshold: 2, unhealthyThreshold: 2 },
            router: { type: 'builtin', listen: '127.0.0.1:0', admin },
            // the demo's hook "installs" a version on the idle sample target through its admin API
            release: { command: [process.execPath, fixturePath('weather-app', 'release.mjs')], timeout: '30s' },
            prePromotion: { timeout: '20s' },
            postPromotion: { window: '10s', interval: '2s', maxErrorRate: 0.02, minRequests: 10, failureLimit: 1 },
            // short enough to watch a canary walk its steps in about a minute at the demo's traffic
            canary: { interval: '5s', analysis: { minRequests: 20, maxP95Ms: 500, failureLimit: 1 } },
          },
        },
      };
      writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    };
    writeConfig('127.0.0.1:0');
    const stateDir = join(dir, '.prodx');
    const now = Date.now();
    await writeState(stateDir, (s) => ({
      ...s,
      environments: {
        production: {
          ...emptyEnvironmentState(),
          live: { colour: 'blue', version, since: now },
          colours: { blue: { version, updatedAt: now }, green: { version, updatedAt: now } },
        },
      },
    }));
    // the router reads the live colour from the state just written; then the config names its
    // admin address, so every prodx command of the demo drives this router
    const router = await startRouterProcess({ configPath, env: 'production', listen: '127.0.0.1:0', admin: '127.0.0.1:0' });
    started.push(router);
    writeConfig(new URL(router.adminUrl).host);
    const traffic = startTraffic({
      target: () => router.url,
      rps: opts.rps ?? 40,
      paths: ['/', '/?city=Oslo', '/?city=Lima', '/?city=Kyoto'],
    });
    // one stop for every caller: a signal and the dashboard's exit both wait for the same one
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await traffic.stop();
        // the router first, so no request is sent to a target that is going away
        await router.stop();
        await Promise.all([blue.stop(), green.stop()]);
        removeDir();
        if (!existsSync(dir)) process.off('exit', removeDir);
      })());
    return {
      dir,
      configPath,
      stateDir,
      liveColour: 'blue',
      targets: { blue, green },
      router,
      traffic,
      stop,
    };
  } catch (err) {
    await Promise.all(started.map((t) => t.stop().catch(() => undefined)));
    removeDir();
    process.off('exit', removeDir);
    throw err;
  }
}
