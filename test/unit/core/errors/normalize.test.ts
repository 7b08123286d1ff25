import { describe, expect, it } from 'vitest';
import { normalizeMessage } from '../../../../src/core/errors/normalize.js';

describe('normalizeMessage', () => {
  it('replaces emails', () => {
    expect(normalizeMessage('No account for bob.smith+test@mail.example.co.uk')).toBe('No account for <email>');
  });

  it('replaces URLs, query and fragment included, not the punctuation after them', () => {
    expect(normalizeMessage('GET https://api.example.com/v2/orders/123?expand=items#top failed.')).toBe('GET <url> failed.');
    expect(normalizeMessage('Could not load wss://live.example/socket?token=a1b2')).toBe('Could not load <url>');
    // an email inside a URL is part of the URL
    expect(normalizeMessage('Redirect to https://bob@example.com/login refused')).toBe('Redirect to <url> refused');
  });

  it('replaces IPv4 and IPv6 addresses', () => {
    expect(normalizeMessage('connect ECONNREFUSED 127.0.0.1:5432')).toBe('connect ECONNREFUSED <ip>:<int>');
    expect(normalizeMessage('bind 2001:db8::8a2e:370:7334 failed')).toBe('bind <ip> failed');
    expect(normalizeMessage('peer 2001:0db8:85a3:0000:0000:8a2e:0370:7334 reset')).toBe('peer <ip> reset');
    expect(normalizeMessage('mapped ::ffff:192.168.0.1 and fe80::1%eth0')).toBe('mapped <ip> and <ip>%eth0');
    // C++ scopes and version strings are no addresses
    expect(normalizeMessage('std::vector a::b in 1.2.3')).toBe('std::vector a::b in 1.2.3');
  });

  it('replaces UUIDs', () => {
    expect(normalizeMessage('Order 550E8400-e29b-41d4-a716-446655440000 not found')).toBe('Order <uuid> not found');
  });

  it('replaces 40-hex (sha1) and 32-hex (md5) ids', () => {
    expect(normalizeMessage('Commit 356a192b7913b04c54574d18c28d46e6395428ab is missing')).toBe('Commit <sha1> is missing');
    expect(normalizeMessage('ETag d41d8cd98f00b204e9800998ecf8427e does not match')).toBe('ETag <md5> does not match');
  });

  it('replaces ISO 8601, RFC 2822 and Date#toString dates, and times', () => {
    expect(normalizeMessage('Token expired at 2026-12-01T10:00:00Z')).toBe('Token expired at <date>');
    expect(normalizeMessage('Token expired at 2026-12-01T10:00:00.123+01:00')).toBe('Token expired at <date>');
    expect(normalizeMessage('No report for 2026-12-01')).toBe('No report for <date>');
    expect(normalizeMessage('Expires: Tue, 01 Dec 2026 10:00:00 GMT')).toBe('Expires: <date>');
    expect(normalizeMessage('Invalid date Tue Dec 01 2026 10:00:00 GMT+0000 (Coordinated Universal Time)')).toBe('Invalid date <date>');
    expect(normalizeMessage('Job started at 10:00:00 stalled')).toBe('Job started at <date> stalled');
  });

  it('replaces durations', () => {
    expect(normalizeMessage('Timeout of 150ms exceeded')).toBe('Timeout of <duration> exceeded');
    expect(normalizeMessage('Render took 3.5s')).toBe('Render took <duration>');
    expect(normalizeMessage('Gave up after 2 seconds, next try in 5 minutes')).toBe('Gave up after <duration>, next try in <duration>');
    expect(normalizeMessage('Cache is 24h old')).toBe('Cache is <duration> old');
  });

  it('replaces 0x hex numbers', () => {
    expect(normalizeMessage('Access violation at 0x7FFDEADBEEF')).toBe('Access violation at <hex>');
    expect(normalizeMessage('Unknown account 0x52908400098527886e0f7030069857d2e4169ee7')).toBe('Unknown account <hex>');
  });

  it('replaces floats', () => {
    expect(normalizeMessage('Ratio 0.75 above limit 1.5e3')).toBe('Ratio <float> above limit <float>');
  });

  it('replaces word-bounded integers only', () => {
    expect(normalizeMessage('Expected 3 items, got 42.')).toBe('Expected <int> items, got <int>.');
    expect(normalizeMessage('Invalid utf8 in v2 payload of h264 stream (ERR-7)')).toBe(
      'Invalid utf8 in v2 payload of h264 stream (ERR-<int>)',
    );
  });

  it('keeps the first two non-empty lines, trimmed', () => {
    expect(normalizeMessage('\n  Checkout failed  \n\n\t for order 4711 \nstack dump line\nmore')).toBe('Checkout failed\nfor order <int>');
    expect(normalizeMessage('one line only')).toBe('one line only');
    expect(normalizeMessage('   \n\n')).toBe('');
  });

  it('cuts the input to 8,192 characters before anything else: a 1 MB message returns', { timeout: 5_000 }, () => {
    // the number after the cut is never seen
    expect(normalizeMessage(`${'a'.repeat(8_192)} 42`)).toBe('a'.repeat(8_192));
    expect(normalizeMessage(`Order 42 ${'1.'.repeat(500_000)}`).startsWith('Order <int> ')).toBe(true);
    for (const filler of ['a'.repeat(1e6), 'a@'.repeat(5e5), '1:'.repeat(5e5), 'f:'.repeat(5e5), '0x'.repeat(5e5), ' '.repeat(1e6)]) {
      // placeholders may lengthen what is left, never to more than a few times the cap
      expect(normalizeMessage(filler).length).toBeLessThan(4 * 8_192);
    }
  });
});
