// The OFREP endpoint, driven by the real OpenFeature server SDK through its OFREP provider, as an
// app would use it; answers are checked against flagd-core evaluating the same file directly.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlagdCore } from '@openfeature/flagd-core';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlagsServer, type FlagsServer } from '../../src/adapters/flags/server.js';
import { readRecordedEvents, readStats } from '../../src/adapters/flags/events.js';
import { fixturePath } from '../../src/adapters/paths.js';
import { tempDir } from '../support/cli.js';

const dir = tempDir('prodx-ofrep-');
const file = join(dir, 'flags.json');
const eventsDir = join(dir, '.prodx', 'flags');
copyFileSync(fixturePath('flags', 'flags.json'), file);
const text = readFileSync(file, 'utf8');

let server: FlagsServer;
let client: Client;
const direct = new FlagdCore();
direct.setConfigurations(text);

/** Polls `read` (sync or async) until `ok` holds, or fails after the deadline. */
async function until<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  server = await startFlagsServer({ file, dir: eventsDir, host: '127.0.0.1', port: 0 });
  await OpenFeature.setProviderAndWait('prodx-ofrep-test', new OFREPProvider({ baseUrl: server.url }));
  client = OpenFeature.getClient('prodx-ofrep-test');
});

afterAll(async () => {
  await OpenFeature.close();
  await server?.close();
});

const users = Array.from({ length: 40 }, (_, i) => ({
  targetingKey: `user-${i * 7919}`,
  country: ['DE', 'US', 'FR', 'NL'][i % 4]!,
  plan: ['free', 'plus', 'pro', 'team'][i % 4]!,
  appVersion: ['1.9.0', '3.2.0', '3.1.9', '4.0.0'][(i >> 2) % 4]!,
  email: i % 5 === 0 ? `x${i}@weather.example` : `x${i}@example.com`,
}));

describe('OFREP through the OpenFeature server SDK', () => {
  it('serves every fixture flag exactly as flagd-core evaluates it', async () => {
    const checks: [string, 'boolean' | 'string' | 'number'][] = [
      ['dark-theme-v2', 'boolean'],
      ['hourly-forecast-beta', 'boolean'],
      ['staff-tools', 'boolean'],
      ['weather-radar', 'string'],
      ['severe-weather-alerts', 'string'],
      ['new-forecast-engine', 'string'],
      ['units-default', 'string'],
      ['forecast-days', 'number'],
    ];
    const defaults = { boolean: false, string: 'code-default', number: -1 } as const;
    for (const ctx of users) {
      for (const [key, type] of checks) {
        const sdk =
          type === 'boolean'
            ? await client.getBooleanDetails(key, defaults.boolean, ctx)
            : type === 'string'
              ? await client.getStringDetails(key, defaults.string, ctx)
              : await client.getNumberDetails(key, defaults.number, ctx);
        const want = direct.resolve(type, key, defaults[type] as never, ctx);
        expect({ key, ctx, value: sdk.value, variant: sdk.variant, reason: sdk.reason, error: sdk.errorCode }).toEqual({
          key,
          ctx,
          value: want.value,
          variant: want.variant,
          reason: want.reason,
          error: want.errorCode,
        });
      }
    }
  });

  it('an unknown flag and a type mismatch give the app its code default', async () => {
    const missing = await client.getBooleanDetails('no-such-flag', true, { targetingKey: 'u1' });
    expect(missing).toMatchObject({ value: true, errorCode: 'FLAG_NOT_FOUND' });
    const mismatch = await client.getNumberDetails('dark-theme-v2', 7, { targetingKey: 'u1' });
    expect(mismatch).toMatchObject({ value: 7, errorCode: 'TYPE_MISMATCH' });
  });

  it('records one exposure per user and variant, counts every evaluation, and takes conversions', async () => {
    const before = server.status();
    for (let i = 0; i < 3; i++) await client.getStringValue('weather-radar', 'x', { targetingKey: 'repeat-user' });
    const res = await fetch(`${server.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { type: 'conversion', name: 'radar_opened', targetingKey: 'repeat-user' },
        { type: 'conversion', name: '' },
      ]),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, rejected: ['event 1: "targetingKey" must be a non-empty string'] });
    const after = server.status();
    expect(after.evaluations - before.evaluations).toBe(3);
    expect(after.exposures - before.exposures).toBe(1);
    expect(after.conversions - before.conversions).toBe(1);
    const variant = direct.resolveStringEvaluation('weather-radar', 'x', { targetingKey: 'repeat-user' }).variant;
    const events = await until(
      () => readRecordedEvents(eventsDir).events.filter((e) => e.targetingKey === 'repeat-user'),
      (es) => es.length === 2,
      'the events on disk',
    );
    expect(events.map((e) => (e.type === 'exposure' ? `${e.type} ${e.flag} ${e.variant}` : `${e.type} ${e.name}`)).sort()).toEqual(
      [`exposure weather-radar ${variant}`, 'conversion radar_opened'].sort(),
    );
    const stats = await until(
      () => readStats(eventsDir),
      (s) => (s?.evaluations['weather-radar']?.[variant!] ?? 0) >= 3,
      'stats.json',
    );
    expect(stats!.evaluations['weather-radar']![variant!]).toBeGreaterThanOrEqual(3);
  });

  it('answers bad requests the OFREP way', async () => {
    const post = (path: string, body: string) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const bad = await post('/ofrep/v1/evaluate/flags/dark-theme-v2', '{not json');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ key: 'dark-theme-v2', errorCode: 'INVALID_CONTEXT' });
    const badKey = await post('/ofrep/v1/evaluate/flags/dark-theme-v2', '{"context":{"targetingKey":5}}');
    expect(await badKey.json()).toMatchObject({ errorCode: 'INVALID_CONTEXT', errorDetails: '"context.targetingKey" must be a string' });
  });

  it('bulk evaluation lists every flag with an ETag, disabled ones with reason DISABLED and no value', async () => {
    const body = JSON.stringify({ context: { targetingKey: 'bulk-user', country: 'DE' } });
    const first = await fetch(`${server.url}/ofrep/v1/evaluate/flags`, { method: 'POST', body });
    expect(first.status).toBe(200);
    const json = (await first.json()) as { flags: { key: string; value?: unknown }[] };
    expect(json.flags.map((f) => f.key).sort()).toEqual(Object.keys(JSON.parse(text).flags).sort());
    const banner = json.flags.find((f) => f.key === 'maintenance-banner');
    expect(banner).toMatchObject({ key: 'maintenance-banner', reason: 'DISABLED' });
    expect(banner).not.toHaveProperty('value');
    expect(json.flags.find((f) => f.key === 'hourly-forecast-beta')).toMatchObject({ value: true, variant: 'on' });
  });

  it('reloads a changed file, keeps serving the last good flags through a broken one, and serves a bad flag with a warning', async () => {
    const flip = text.replace('"maintenance-banner": {\n      "state": "DISABLED"', '"maintenance-banner": {\n      "state": "ENABLED"');
    expect(flip).not.toBe(text);
    writeFileSync(file, flip);
    await until(
      async () => (await client.getObjectDetails('maintenance-banner', {}, { targetingKey: 'u' })).variant,
      (v) => v === 'hidden',
      'the endpoint to serve the enabled banner',
    );
    // no longer JSON: the last good flags stay, and the status says why
    writeFileSync(file, flip.replace('"state": "ENABLED",', '"state": "ENABLED"'));
    const reloadError = () =>
      until(
        async () => {
          await client.getBooleanValue('dark-theme-v2', false, { targetingKey: 'u' }); // a request triggers the reload check
          return server.status();
        },
        (st) => st.reloadError !== null,
        'the broken edit to be noticed',
      );
    expect((await reloadError()).reloadError).toMatch(
      /not valid JSON at line \d+ column \d+: comma expected.*Still serving the last good version/,
    );
    expect((await client.getObjectDetails('maintenance-banner', {}, { targetingKey: 'u' })).variant).toBe('hidden');
    // one bad flag: flagd serves the file with a warning, and so does prodx
    writeFileSync(file, flip.replace('"state": "ENABLED"', '"state": "BROKEN"'));
    const warned = await until(
      async () => {
        await client.getBooleanValue('weather-radar', false, { targetingKey: 'u' });
        return server.status();
      },
      (st) => st.reloadError === null && st.warnings.length > 0,
      'the bad flag to be served with a warning',
    );
    expect(warned.warnings).toEqual([
      { flag: 'dark-theme-v2', path: 'flags.dark-theme-v2.state', message: 'expected "ENABLED" or "DISABLED", got "BROKEN"' },
    ]);
    expect(await client.getBooleanDetails('dark-theme-v2', false, { targetingKey: 'u' })).toMatchObject({
      value: false,
      errorCode: 'PARSE_ERROR',
    });
    expect((await client.getObjectDetails('maintenance-banner', {}, { targetingKey: 'u' })).variant).toBe('hidden');
    writeFileSync(file, text);
  });
});
