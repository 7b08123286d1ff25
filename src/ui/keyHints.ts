import type { ScreenKey } from './screens/types.js';

export interface KeyHint {
  /** `ctrl+r/R` */
  keys: string;
  label: string;
}

/** Folds keys that do the same thing (same label) into one hint, in registration order. */
export function keyHints(keys: readonly ScreenKey[]): KeyHint[] {
  const byLabel = new Map<string, string[]>();
  for (const k of keys) byLabel.set(k.label, [...(byLabel.get(k.label) ?? []), k.key]);
  return [...byLabel].map(([label, specs]) => ({ keys: specs.join('/'), label }));
}
