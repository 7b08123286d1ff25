// The demo sandbox: two real sample-app targets on free loopback ports, a config and state
// directory in a temporary folder, and steady synthetic traffic to the live colour. Everything
// it starts is stopped by stop(); the targets also exit on their own if this process dies.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeState } from '../adapters/state/stateFile.js';
import { emptyEnvironmentState } from '../core/state/schema.js';
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
  traffic: TrafficGenerator;
  stop(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const version = opts.version ?? process.env['APP_VERSION'] ?? '1.0.0';
  const dir = mkdtempSync(join(tmpdir(), 'prodx-demo-'));
  const started: SampleTarget[] = [];
  try {
    for (const name of ['blue', 'green']) started.push(await startSampleTarget({ name, version }));
    const [blue, green] = started as [SampleTarget, SampleTarget];
    const configPath = join(dir, 'prodx.config.json');
    const config = {
      app: 'weather',
      stateDir: '.prodx',
      environments: {
        production: {
          targets: { blue: { url: blue.url }, green: { url: green.url } },
          health: { interval: '1s', timeout: '800ms', healthyThreshold: 2, unhealthyThreshold: 2 },
        },
      },
    };
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
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
    const traffic = startTraffic({
      target: () => blue.url,
      rps: opts.rps ?? 20,
      paths: ['/', '/?city=Oslo', '/?city=Lima', '/?city=Kyoto'],
    });
    let stopped = false;
    return {
      dir,
      configPath,
      stateDir,
      liveColour: 'blue',
      targets: { blue, green },
      traffic,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await traffic.stop();
        await Promise.all(started.map((t) => t.stop()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(started.map((t) => t.stop().catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
