// OFREP as the spec (0.3 and ADR-0006) and flagd answer it, over HTTP and through the real web
// SDK's OFREP provider: disabled and code-default flags are successes without a value, the bulk
// answer lists every flag, a broken percent-encoding is the caller's error, and the bulk ETag
// stands for the flags and the whole context.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenFeature } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlagsServer, type FlagsServer } from '../../src/adapters/flags/server.js';
import { tempDir } from '../support/cli.js';

const dir = tempDir('prodx-ofrep-spec-');
const file = join(dir, 'flags.json');
writeFileSync(
  file,
  JSON.stringify({
    flags: {
      'off-flag': { state: 'DISABLED', variants: { on: true, off: false }, defaultVariant: 'off' },
      'no-default': {
        state: 'ENABLED',
        variants: { a: 'A', b: 'B' },
        defaultVariant: null,
        targeting: { if: [{ '==': [{ var: 'country' }, 'NL'] }, 'b', null] },
      },
      'by-country': {
        state: 'ENABLED',
        variants: { nl: 'NL', other: 'other' },
        defaultVariant: 'other',
        targeting: { if: [{ '==': [{ var: 'user.country' }, 'NL'] }, 'nl', 'other'] },
      },
    },
  }),
);

let server: FlagsServer;
beforeAll(async () => {
  server = await startFlagsServer({ file, dir: join(dir, '.prodx', 'flags'), host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await OpenFeature.close();
  await server?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

// the two contexts agree on their first 40 bytes and differ in the country
const nl = { targetingKey: 'user-0000000001', user: { plan: 'pro', country: 'NL' } };
const us = { targetingKey: 'user-0000000001', user: { plan: 'pro', country: 'US' } };

describe('OFREP answers', () => {
  it('a disabled flag and a flag that defers to the code default are 200 with a reason and no value', async () => {
    const off = await post('/ofrep/v1/evaluate/flags/off-flag', { context: { targetingKey: 'u1' } });
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({ key: 'off-flag', reason: 'DISABLED' });
    const deferred = await post('/ofrep/v1/evaluate/flags/no-default', { context: { country: 'US' } });
    expect(deferred.status).toBe(200);
    expect(await deferred.json()).toEqual({ key: 'no-default', reason: 'DEFAULT' });
    const matched = await post('/ofrep/v1/evaluate/flags/no-default', { context: { country: 'NL' } });
    expect(await matched.json()).toEqual({ key: 'no-default', value: 'B', variant: 'b', reason: 'TARGETING_MATCH' });
  });

  it('the bulk answer lists every flag: disabled with DISABLED, a code default as a success without a value', async () => {
    const res = await post('/ofrep/v1/evaluate/flags', { context: { country: 'US' } });
    expect(res.status).toBe(200);
    const { flags } = (await res.json()) as { flags: Record<string, unknown>[] };
    expect(flags).toEqual([
      { key: 'off-flag', reason: 'DISABLED' },
      { key: 'no-default', reason: 'DEFAULT' },
      { key: 'by-country', value: 'other', variant: 'other', reason: 'TARGETING_MATCH' },
    ]);
  });

  it('a flag key with broken percent-encoding is a 400, not a server error', async () => {
    const res = await post('/ofrep/v1/evaluate/flags/off%E0%A4%A', {});
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorCode: 'GENERAL', errorDetails: expect.stringMatching(/percent-encoding/) });
  });
});

describe('the bulk ETag', () => {
  const bulk = (context: unknown, ifNoneMatch?: string) =>
    post('/ofrep/v1/evaluate/flags', { context }, ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {});

  it('differs for any changed context field and is the same for the same context in another key order', async () => {
    const a = (await bulk(nl)).headers.get('etag')!;
    const b = (await bulk(us)).headers.get('etag')!;
    const reordered = (await bulk({ user: { country: 'NL', plan: 'pro' }, targetingKey: 'user-0000000001' })).headers.get('etag');
    expect(a).toMatch(/^"[0-9a-f]{32}"$/);
    expect(b).not.toBe(a);
    expect(reordered).toBe(a);
  });

  it('answers 304 only for the same flags and context, with strong, weak and listed validators', async () => {
    const etag = (await bulk(nl)).headers.get('etag')!;
    const stale = await bulk(us, etag);
    expect(stale.status).toBe(200);
    expect(((await stale.json()) as { flags: { key: string; value?: unknown }[] }).flags.find((f) => f.key === 'by-country')?.value).toBe(
      'other',
    );
    for (const header of [etag, `W/${etag}`, `"0000", W/${etag}`, '*']) expect((await bulk(nl, header)).status, header).toBe(304);
    expect((await bulk(nl, '"0000", W/"1111"')).status).toBe(200);
  });
});

describe('through the OpenFeature web SDK and its OFREP provider', () => {
  it('gives code defaults with their reasons, and new values when the context changes', async () => {
    await OpenFeature.setProviderAndWait('spec', new OFREPWebProvider({ baseUrl: server.url, pollInterval: 0, cacheMode: 'disabled' }));
    const client = OpenFeature.getClient('spec');
    await OpenFeature.setContext('spec', nl);
    expect(client.getStringDetails('by-country', 'code')).toMatchObject({ value: 'NL', reason: 'TARGETING_MATCH' });
    expect(client.getBooleanDetails('off-flag', true)).toMatchObject({ value: true, reason: 'DISABLED' });
    expect(client.getStringDetails('no-default', 'code')).toMatchObject({ value: 'code', reason: 'DEFAULT' });
    expect(client.getStringDetails('no-default', 'code').errorCode).toBeUndefined();
    // the provider sends the last ETag along: a new context must not get the old values
    await OpenFeature.setContext('spec', us);
    expect(client.getStringDetails('by-country', 'code')).toMatchObject({ value: 'other' });
  });
});
