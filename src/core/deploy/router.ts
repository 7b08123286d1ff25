// The interface every traffic router implements (nginx, HAProxy, the builtin router, a user
// command). Declared next to the deploy logic that uses it; implementations live in
// src/adapters/routers/. Weights are whole percentages per colour and sum to 100.

/** colour (target name) → share of traffic in percent, 0–100 */
export type Weights = Record<string, number>;

export interface RouterOptions {
  signal?: AbortSignal;
}

export interface TrafficRouter {
  readonly kind: 'nginx' | 'haproxy' | 'builtin' | 'command';
  /**
   * The weights the router has now, read from the router itself (the upstream file, the
   * HAProxy runtime API, the builtin router's admin endpoint). Colours the router does not know
   * are absent. The `command` router cannot read and returns null.
   */
  read(opts?: RouterOptions): Promise<Weights | null>;
  /**
   * Applies the weights and resolves only once they are verified to have taken effect (read
   * back from the router). On failure it leaves the previous weights in place where it can
   * and rejects with a ProdxError naming what failed and what to do.
   */
  apply(weights: Weights, opts?: RouterOptions): Promise<void>;
  /** What apply(weights) would do, one line per step, for --dry-run. Touches nothing. */
  describe(weights: Weights): string[];
}

/** The colour with the most traffic, when one colour has it all (or most); null when none. */
export function liveColourOf(weights: Weights | null): string | null {
  if (!weights) return null;
  let best: string | null = null;
  for (const [colour, w] of Object.entries(weights)) if (w > 0 && (best === null || w > weights[best]!)) best = colour;
  return best;
}

/** All traffic to one colour, none to the others. */
export function allTo(colour: string, colours: readonly string[]): Weights {
  return Object.fromEntries(colours.map((c) => [c, c === colour ? 100 : 0]));
}

export function validateWeights(weights: Weights): string | undefined {
  const entries = Object.entries(weights);
  if (entries.length === 0) return 'no colours given';
  for (const [c, w] of entries)
    if (!Number.isInteger(w) || w < 0 || w > 100) return `weight of ${c} must be a whole number from 0 to 100, got ${w}`;
  const sum = entries.reduce((s, [, w]) => s + w, 0);
  if (sum !== 100) return `weights must add up to 100, got ${sum}`;
  return undefined;
}
