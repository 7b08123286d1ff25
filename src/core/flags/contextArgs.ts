// `--context country=DE plan=pro beta=true age=42`: evaluation context from key=value words, as
// the CLI and the Flags screen's `e` take it. Values that read as JSON numbers, booleans or null
// become those (targeting compares numbers with numbers); everything else stays a string, so
// "2.4.0" and "0123" are kept as written. Pure.
import { ProdxError } from '../errors.js';

function valueOf(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  // JSON's number grammar: no leading zeros, so a zip code like 0123 stays a string
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw);
  // quoted to force a string: country='"true"' → "true"
  if (/^".*"$/.test(raw)) return raw.slice(1, -1);
  return raw;
}

export function parseContextPairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new ProdxError('usage', `context "${pair}" is not key=value: write it as e.g. country=DE or appVersion=2.4.0.`);
    }
    const key = pair.slice(0, eq);
    if (key === 'targetingKey') {
      throw new ProdxError(
        'usage',
        'the targeting key is the second argument, not a --context pair: `prodx flags evaluate <flag> <targetingKey>`.',
      );
    }
    out[key] = valueOf(pair.slice(eq + 1));
  }
  return out;
}
