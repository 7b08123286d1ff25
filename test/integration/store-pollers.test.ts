// The store fed by its real pollers: health probes against real sample targets, and the state
// file changed by "another prodx process" (a write from outside the store).
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeState } from '../../src/adapters/state/stateFile.js';
import { emptyEnvironmentState } from '../../src/core/state/schema.js';
import { startSampleTarget, type SampleTarget } from '../../src/demo/sampleTarget.js';
import { createAppStore, type AppStore } from '../../src/store/createAppStore.js';
import { startStorePollers, type StorePollers } from '../../src/app/pollers.js';
import { tempDir } from '../support/cli.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function until(store: AppStore, predicate: (s: ReturnType<AppStore['getState']>) => boolean, what: string, timeoutMs = 10_000) {
  if (predicate(store.getState())) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (unsubscribe(), reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
    const unsubscribe = store.subscribe((s) => {
      if (predicate(s)) {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  });
}

function setup(targets: SampleTarget[], stateDir: string): { store: AppStore; pollers: StorePollers } {
  const store = createAppStore({
    app: 'weather',
    environment: 'production',
    environments: ['production'],
    configPath: '/dev/null',
    monitoring: true,
    protected: false,
    canOperate: true,
    targets: targets.map((t) => ({ name: t.name, url: t.url })),
  });
  const pollers = startStorePollers(store, {
    health: {
      targets: targets.map((t) => ({ name: t.name, url: t.url, healthPath: '/healthz', versionPath: '/version' })),
      thresholds: { healthyThreshold: 2, unhealthyThreshold: 2, slowMs: 2000 },
      intervalMs: 100,
      timeoutMs: 500,
    },
    state: { stateDir, environment: 'production', intervalMs: 100 },
  });
  cleanup.push(() => pollers.stop());
  pollers.start();
  return { store, pollers };
}

describe('store pollers', () => {
  it('track real targets: healthy with version and latency history, then down after the threshold', async () => {
    const blue = await startSampleTarget({ name: 'blue', version: '3.1.0' });
    const green = await startSampleTarget({ name: 'green', version: '3.2.0' });
    cleanup.push(
      () => blue.stop(),
      () => green.stop(),
    );
    const { store } = setup([blue, green], tempDir());
    await until(store, (s) => s.targets['blue']!.probes.length >= 3 && s.targets['green']!.health.status === 'healthy', 'three rounds');
    expect(store.getState().targets['blue']!.health).toMatchObject({ status: 'healthy', version: '3.1.0' });
    expect(store.getState().targets['green']!.health.version).toBe('3.2.0');
    expect(store.getState().lastRefreshAt).toBeTypeOf('number');
    await green.stop();
    await until(store, (s) => s.targets['green']!.health.status === 'down', 'green down');
    const g = store.getState().targets['green']!;
    expect(g.health.consecutiveFailures).toBe(2);
    expect(g.health.reason).toBe('connection refused (2 consecutive failures)');
    expect(g.probes.at(-1)!.ms).toBeNull(); // a failed probe is a failure in the chart
    expect(store.getState().targets['blue']!.health.status).toBe('healthy');
  });

  it('pick up a deploy written by another process, and keep the last good state when the file is corrupted', async () => {
    const blue = await startSampleTarget({ name: 'blue', version: '1.0.0' });
    cleanup.push(() => blue.stop());
    const stateDir = tempDir();
    const { store } = setup([blue], stateDir);
    await until(store, (s) => s.deployment !== null, 'the first state read');
    expect(store.getState().deployment!.live).toBeNull();

    const writes: unknown[] = [];
    store.subscribe((s, prev) => s.deployment !== prev.deployment && writes.push(s.deployment));
    await writeState(stateDir, (s) => ({
      ...s,
      environments: { production: { ...emptyEnvironmentState(), live: { colour: 'blue', version: '1.1.0', since: 1 } } },
    }));
    await until(store, (s) => s.deployment?.live?.version === '1.1.0', 'the external deploy');
    // three more polls of an unchanged file write nothing to the deployment slice
    const before = writes.length;
    let polls = 0;
    const stop = store.subscribe((s, prev) => s.pollers['state']?.lastOkAt !== prev.pollers['state']?.lastOkAt && polls++);
    await until(store, () => polls >= 3, 'three more state polls');
    stop();
    expect(writes.length).toBe(before);

    const file = join(stateDir, 'state.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 20));
    await until(store, (s) => s.stateError !== undefined, 'the state error');
    expect(store.getState().stateError).toMatch(/state\.json is not valid JSON.*prodx will not overwrite it/);
    expect(store.getState().deployment?.live?.version).toBe('1.1.0');
    await until(store, (s) => (s.pollers['state']?.failures ?? 0) >= 2, 'backoff');
    expect(store.getState().pollers['state']!.nextDelayMs).toBeGreaterThan(100);
  });
});
