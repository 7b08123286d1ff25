// flagd-core's flag storage, loaded one flag at a time. flagd-core's MemoryStorage runs its JSON
// Schema on every load (the slowest step of a one-shot `prodx flags evaluate`) and gives up on
// the whole file when one flag cannot be built; flagd itself warns and serves the rest. This
// storage repeats only the loading steps of flagd-core 4's parse(): $ref substitution as text,
// and the flag set's metadata merged under each flag's. Evaluation stays flagd-core's own
// FeatureFlag, built on first use. A flag flagd-core cannot build at all (a state that is
// neither ENABLED nor DISABLED, a default variant that is not a variant) answers PARSE_ERROR, the
// code flagd gives a flag whose configuration it cannot read. The differential test runs this
// load path and MemoryStorage side by side.
import { FeatureFlag, type FlagdCoreOptions, type Storage } from '@openfeature/flagd-core';
import type { FlagMetadata, Logger } from '@openfeature/core';

type Raw = { flags?: Record<string, unknown>; metadata?: FlagMetadata; $evaluators?: Record<string, unknown> };

/** A flag flagd-core cannot build: every evaluation is PARSE_ERROR, as flagd answers it. */
function unreadableFlag(key: string, why: string, metadata: FlagMetadata): FeatureFlag {
  const stand = {
    key,
    state: 'ENABLED',
    metadata,
    evaluate: () => ({
      reason: 'ERROR',
      errorCode: 'PARSE_ERROR',
      errorMessage: `flag '${key}' cannot be read: ${why}`,
      flagMetadata: metadata,
    }),
  };
  return stand as unknown as FeatureFlag;
}

export class FlagSetStorage implements Storage {
  private raw: Record<string, unknown> = {};
  private built = new Map<string, FeatureFlag>();
  private metadata: FlagMetadata = {};

  constructor(
    private readonly logger: Logger,
    private readonly options: FlagdCoreOptions = {},
  ) {}

  setConfigurations(flagConfig: string): string[] {
    let text = flagConfig;
    const evaluators = (JSON.parse(text) as Raw).$evaluators;
    if (evaluators && typeof evaluators === 'object') {
      // as flagd-core does it: normalise the whitespace, then replace each {"$ref":"name"} verbatim
      text = JSON.stringify(JSON.parse(text));
      for (const key in evaluators) text = text.replaceAll(`{"$ref":"${key}"}`, JSON.stringify(evaluators[key]));
    }
    const parsed = JSON.parse(text) as Raw;
    this.raw = parsed.flags ?? {};
    this.built = new Map();
    this.metadata = parsed.metadata ?? {};
    return Object.keys(this.raw);
  }

  /** Builds a flag when first asked for: a one-shot evaluation compiles only the flag it needs. */
  getFlag(key: string): FeatureFlag | undefined {
    let flag = this.built.get(key);
    if (flag || !Object.hasOwn(this.raw, key)) return flag;
    const raw = this.raw[key];
    const own = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['metadata'] : undefined;
    const metadata = { ...this.metadata, ...(typeof own === 'object' && own !== null ? (own as FlagMetadata) : {}) };
    try {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('it is not an object');
      const variants = (raw as Record<string, unknown>)['variants'];
      if (typeof variants !== 'object' || variants === null) throw new Error('it has no variants');
      flag = new FeatureFlag(key, { ...raw, metadata } as never, this.logger, this.options);
    } catch (err) {
      flag = unreadableFlag(key, err instanceof Error ? err.message.split('\n')[0]! : String(err), metadata);
    }
    this.built.set(key, flag);
    return flag;
  }

  getFlags(): Map<string, FeatureFlag> {
    return new Map(Object.keys(this.raw).map((k) => [k, this.getFlag(k)!]));
  }

  getFlagSetMetadata(): FlagMetadata {
    return this.metadata;
  }
}
