// flagd-core's flag storage without its JSON Schema pass, for text whose exact bytes already
// passed that pass (validate.ts is told so by the caller, which remembers hashes). flagd-core's
// MemoryStorage runs the schema on every load, strict or not, and it is the slowest step of a
// one-shot `prodx flags evaluate`. Evaluation stays flagd-core's own FeatureFlag; only the
// loading steps of flagd-core 4's parse() are repeated here: $ref substitution as text, and the
// flag set's metadata merged under each flag's; flags are built on first use. The differential
// test runs both load paths.
import { FeatureFlag, type FlagdCoreOptions, type Storage } from '@openfeature/flagd-core';
import type { FlagMetadata, Logger } from '@openfeature/core';

type Raw = { flags?: Record<string, Record<string, unknown>>; metadata?: FlagMetadata; $evaluators?: Record<string, unknown> };

export class PrevalidatedStorage implements Storage {
  private raw: Raw['flags'] = {};
  private built = new Map<string, FeatureFlag>();
  private metadata: FlagMetadata = {};

  constructor(
    private readonly logger: Logger,
    private readonly options: FlagdCoreOptions = {},
  ) {}

  setConfigurations(flagConfig: string): string[] {
    let text = flagConfig;
    const evaluators = (JSON.parse(text) as Raw).$evaluators;
    if (evaluators) {
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
    const raw = this.raw?.[key];
    if (!flag && raw && Object.hasOwn(this.raw!, key)) {
      const metadata = { ...this.metadata, ...(raw['metadata'] as FlagMetadata | undefined) };
      flag = new FeatureFlag(key, { ...raw, metadata } as never, this.logger, this.options);
      this.built.set(key, flag);
    }
    return flag;
  }

  getFlags(): Map<string, FeatureFlag> {
    for (const key of Object.keys(this.raw ?? {})) this.getFlag(key);
    return new Map(Object.keys(this.raw ?? {}).map((k) => [k, this.built.get(k)!]));
  }

  getFlagSetMetadata(): FlagMetadata {
    return this.metadata;
  }
}
