// What bench/flags.mjs bundles: prodx's load path (strict validation) and its evaluator.
import { FlagEvaluator } from '../src/core/flags/evaluator.js';
import { validateFlagsText } from '../src/core/flags/validate.js';

export function loadEvaluator(text: string): FlagEvaluator {
  const checked = validateFlagsText(text);
  if (!checked.ok) throw new Error(`invalid flags: ${JSON.stringify(checked.problems[0])}`);
  return new FlagEvaluator(checked.doc, checked.storage);
}
