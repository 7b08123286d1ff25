// Flag evaluation is flagd-core's, never prodx's own: this class only picks the resolver type
// from the flag's variants (the file knows it; a CLI user should not have to say it) and shapes
// the result. It stays thin because every OFREP request goes through it (bench/flags.mjs).
import { FlagdCore, type Storage } from '@openfeature/flagd-core';
import type { EvaluationContext, FlagValueType, JsonValue } from '@openfeature/core';
import type { EvaluationResult, FlagsDocument, FlagType } from './types.js';
import { silentLogger } from './validate.js';

export function flagTypeOf(variants: Record<string, unknown> | undefined): FlagType {
  const first = typeof variants === 'object' && variants !== null ? Object.values(variants)[0] : undefined;
  if (typeof first === 'boolean') return 'boolean';
  if (typeof first === 'string') return 'string';
  if (typeof first === 'number') return 'number';
  return 'object';
}

export class FlagEvaluator {
  private readonly core: FlagdCore;
  private readonly types = new Map<string, FlagValueType>();

  /** `storage` comes from validateFlagsText: flagd-core's flags, bad ones as flagd-core reads them. */
  constructor(
    readonly doc: FlagsDocument,
    storage: Storage,
  ) {
    this.core = new FlagdCore(storage, silentLogger);
    for (const [key, flag] of Object.entries(doc.flags)) this.types.set(key, flagTypeOf((flag as Partial<typeof flag> | null)?.variants));
  }

  has(flagKey: string): boolean {
    return this.types.has(flagKey);
  }

  keys(): string[] {
    return [...this.types.keys()];
  }

  /**
   * Resolves one flag. `defaultValue` stands in for the app's code default: it is the value when
   * the flag resolves to no variant (disabled, an error, a null defaultVariant), as in any SDK.
   * `type` is the SDK call's (getBooleanValue …): a flag of another type is TYPE_MISMATCH.
   */
  evaluate(flagKey: string, context: EvaluationContext = {}, defaultValue: JsonValue = null, type?: FlagType): EvaluationResult {
    const resolver: FlagValueType = type ?? this.types.get(flagKey) ?? 'object';
    const r = this.core.resolve(resolver, flagKey, defaultValue as never, context, silentLogger);
    const out: EvaluationResult = { flag: flagKey, value: r.value as JsonValue, reason: r.reason ?? 'UNKNOWN' };
    if (r.variant !== undefined) out.variant = r.variant;
    if (r.errorCode !== undefined) out.errorCode = r.errorCode;
    if (r.errorMessage !== undefined) out.errorMessage = r.errorMessage;
    if (r.flagMetadata && Object.keys(r.flagMetadata).length > 0) out.metadata = r.flagMetadata;
    return out;
  }
}
