// The differential test: for every fixture flag and 10,000 generated contexts, prodx's result
// (value, variant, reason, error code) equals calling @openfeature/flagd-core directly, the way
// its README shows. prodx loads the file its own way (strict validation, its own storage), so a
// difference in loading, typing or context handling would show up here.
import { readFileSync } from 'node:fs';
import { FlagdCore } from '@openfeature/flagd-core';
import { describe, expect, it } from 'vitest';
import { FlagEvaluator } from '../../../../src/core/flags/evaluator.js';
import { validateFlagsText } from '../../../../src/core/flags/validate.js';
import { fixturePath } from '../../../../src/adapters/paths.js';

const text = readFileSync(fixturePath('flags', 'flags.json'), 'utf8');
const CONTEXTS = 10_000;

/** mulberry32: a seeded PRNG, so a failure reproduces */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Contexts that reach every branch: present, missing and odd attributes, bad versions, no key. */
function contexts(seed: number): Record<string, unknown>[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < CONTEXTS; i++) {
    const ctx: Record<string, unknown> = {};
    if (r() > 0.02) ctx['targetingKey'] = r() < 0.05 ? `staff-${i}` : `user-${Math.floor(r() * 1e9)}`;
    if (r() > 0.1) ctx['country'] = pick(['DE', 'AT', 'CH', 'NL', 'US', 'FR', 'LR', 'MM', 'de', '', 42]);
    if (r() > 0.1) ctx['plan'] = pick(['free', 'plus', 'pro', 'team', 'PRO', null]);
    if (r() > 0.1) {
      ctx['appVersion'] = pick([
        `${Math.floor(r() * 5)}.${Math.floor(r() * 12)}.${Math.floor(r() * 20)}`,
        `v${Math.floor(r() * 5)}.${Math.floor(r() * 5)}.0`,
        '3.2.0-beta.1',
        '3',
        'not-a-version',
        3.2,
      ]);
    }
    if (r() > 0.5) ctx['email'] = `${pick(['ana', 'bo', 'cy'])}@${pick(['weather.example', 'example.com', 'weather.example.org'])}`;
    out.push(ctx);
  }
  return out;
}

type Type = 'boolean' | 'string' | 'number' | 'object';
/** the resolver a developer would call for the flag, decided from the file here, not by prodx */
function typeFromFile(variants: Record<string, unknown>): Type {
  const t = typeof Object.values(variants)[0];
  return t === 'boolean' || t === 'string' || t === 'number' ? t : 'object';
}

/** prodx's three ways to load a file: full validation compiled (the OFREP endpoint), and known-good bytes, compiled or interpreted (one-shot commands) */
const LOADERS = [
  ['validated, compiled', {}],
  ['known-valid, interpreted', { schemaKnownValid: true, compile: false }],
  ['known-valid, compiled', { schemaKnownValid: true, compile: true }],
] as const;

describe('prodx evaluation equals flagd-core', () => {
  const evaluators = LOADERS.map(([name, options]) => {
    const checked = validateFlagsText(text, options);
    if (!checked.ok) throw new Error('fixture invalid');
    return [name, new FlagEvaluator(checked.doc, checked.storage)] as const;
  });
  const prodx = evaluators[0]![1];
  const raw = new FlagdCore();
  raw.setConfigurations(text);
  const doc = JSON.parse(text) as { flags: Record<string, { variants: Record<string, unknown>; state: string; targeting?: object }> };

  it.each(Object.keys(doc.flags).map((k, i) => [k, i]))('%s, over 10,000 contexts, through each of prodx’s load paths', (key, i) => {
    const type = typeFromFile(doc.flags[key]!.variants);
    const reasons = new Set<string>();
    const variants = new Set<string>();
    for (const ctx of contexts(1000 + (i as number))) {
      const theirs = raw.resolve(type, key, null as never, ctx as never);
      const b = { value: theirs.value, variant: theirs.variant, reason: theirs.reason, errorCode: theirs.errorCode };
      for (const [loader, evaluator] of evaluators) {
        const mine = evaluator.evaluate(key, ctx as never, null);
        const a = { value: mine.value, variant: mine.variant, reason: mine.reason, errorCode: mine.errorCode };
        if (JSON.stringify(a) !== JSON.stringify(b)) expect({ loader, key, ctx, ...a }).toEqual({ loader, key, ctx, ...b });
      }
      reasons.add(theirs.reason ?? '');
      if (theirs.variant) variants.add(theirs.variant);
    }
    // the generated contexts really exercise the flag: every enabled, targeted flag sees more than one outcome
    const flag = doc.flags[key]!;
    if (flag.state === 'ENABLED' && flag.targeting) expect(variants.size + reasons.size).toBeGreaterThan(2);
  });

  it('unknown flags resolve the same way too', () => {
    const mine = prodx.evaluate('no-such-flag', { targetingKey: 'u' }, false);
    const theirs = raw.resolve('boolean', 'no-such-flag', false, { targetingKey: 'u' });
    expect([mine.value, mine.reason, mine.errorCode]).toEqual([theirs.value, theirs.reason, theirs.errorCode]);
    expect(mine.errorCode).toBe('FLAG_NOT_FOUND');
  });
});
