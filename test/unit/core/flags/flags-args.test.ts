import { describe, expect, it } from 'vitest';
import { checkDefaultType, contextJsonArg, defaultArg, parseBatch, typeArg } from '../../../../src/core/flags/contextArgs.js';
import { bulkEtag, canonicalJson, ifNoneMatchHits, toOfrep } from '../../../../src/core/flags/ofrep.js';
import { createHash } from 'node:crypto';

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('flags evaluate arguments', () => {
  it('reads --default as JSON, or else as the word itself', () => {
    expect(defaultArg('42')).toBe(42);
    expect(defaultArg('"42"')).toBe('42');
    expect(defaultArg('{"a": [1]}')).toEqual({ a: [1] });
    expect(defaultArg('bye')).toBe('bye');
    expect(defaultArg(undefined)).toBeUndefined();
  });

  it('checks --type and a default of another type', () => {
    expect(typeArg('object')).toBe('object');
    expect(message(() => typeArg('int'))).toMatch(/--type int is not a flag type: use boolean, string, number or object/);
    expect(() => checkDefaultType('number', 3)).not.toThrow();
    expect(message(() => checkDefaultType('string', true))).toBe(
      `--default true is a boolean but --type is string: quote it to make it a string, --default '"true"'.`,
    );
  });

  it('takes --context-json objects only', () => {
    expect(contextJsonArg('{"user": {"tier": "pro"}}')).toEqual({ user: { tier: 'pro' } });
    for (const bad of ['[1]', '3', 'null', '{oops'])
      expect(message(() => contextJsonArg(bad))).toMatch(/^--context-json takes a JSON object/);
  });

  it('reads a batch line by line and names the line of a bad one', () => {
    expect(parseBatch('{"flag":"a","targetingKey":"u1"}\n\n{"flag":"b","context":{"x":1},"default":0,"type":"number"}\n', 'cases')).toEqual(
      [
        { flag: 'a', context: { targetingKey: 'u1' } },
        { flag: 'b', context: { x: 1 }, default: 0, type: 'number' },
      ],
    );
    expect(message(() => parseBatch('{"flag":"a"}\n{nope', 'cases'))).toMatch(/^cases line 2 is not JSON/);
    expect(message(() => parseBatch('{"context":{}}', 'cases'))).toMatch(/^cases line 1: "flag" must be a flag key/);
    expect(message(() => parseBatch('{"flag":"a","type":"number","default":"x"}', 'cases'))).toMatch(/is a string but --type is number/);
    expect(message(() => parseBatch('\n', 'cases'))).toMatch(/has no evaluations/);
  });
});

describe('OFREP as data', () => {
  const sha = (t: string) => createHash('sha256').update(t).digest('hex');

  it('gives disabled and code-default results no value, and errors their status', () => {
    expect(toOfrep({ flag: 'f', value: null, reason: 'DISABLED' })).toEqual({ status: 200, body: { key: 'f', reason: 'DISABLED' } });
    expect(toOfrep({ flag: 'f', value: null, reason: 'DEFAULT', metadata: { a: 1 } })).toEqual({
      status: 200,
      body: { key: 'f', reason: 'DEFAULT', metadata: { a: 1 } },
    });
    expect(toOfrep({ flag: 'f', value: 1, variant: 'one', reason: 'STATIC' }).body).toEqual({
      key: 'f',
      value: 1,
      variant: 'one',
      reason: 'STATIC',
    });
    expect(toOfrep({ flag: 'f', value: null, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' }).status).toBe(404);
    expect(toOfrep({ flag: 'f', value: null, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' })).toMatchObject({
      status: 400,
      body: { errorCode: 'GENERAL' },
    });
  });

  it('hashes the canonical context: key order does not matter, any value does', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}');
    const a = bulkEtag('v1', { targetingKey: 'u', user: { country: 'NL' } }, sha);
    expect(bulkEtag('v1', { user: { country: 'NL' }, targetingKey: 'u' }, sha)).toBe(a);
    expect(bulkEtag('v1', { targetingKey: 'u', user: { country: 'US' } }, sha)).not.toBe(a);
    expect(bulkEtag('v2', { targetingKey: 'u', user: { country: 'NL' } }, sha)).not.toBe(a);
  });

  it('matches If-None-Match weakly, in lists, and for *', () => {
    expect(ifNoneMatchHits('"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('W/"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('"x", W/"abc" , "y"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('*', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('"abcd"', '"abc"')).toBe(false);
    expect(ifNoneMatchHits(undefined, '"abc"')).toBe(false);
  });
});
