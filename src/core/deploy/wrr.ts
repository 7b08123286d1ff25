// Smooth weighted round-robin, the peer choice nginx's upstream module makes
// (ngx_http_upstream_get_peer): every pick adds each colour's weight to its running score,
// takes the highest score and subtracts the total from it. Hand-written because it is a dozen
// lines and no maintained package has the `exclude` a retry needs. Deterministic, unlike
// random choice: 5/95 sends exactly 5 of every 100 requests to the 5, spread out, so a canary
// sees its share from the first requests and tests can assert exact counts.
import type { Weights } from './router.js';

export class WeightedRoundRobin {
  private current = new Map<string, number>();
  private weights: Weights = {};

  constructor(weights: Weights) {
    this.setWeights(weights);
  }

  /**
   * Replaces the weights and restarts the cycle (as an nginx reload does), so the next 100
   * picks follow the new split exactly. Callers validate: negative weights count as 0.
   */
  setWeights(weights: Weights): void {
    this.weights = { ...weights };
    this.current = new Map(Object.keys(weights).map((c) => [c, 0]));
  }

  getWeights(): Weights {
    return { ...this.weights };
  }

  /**
   * The next colour, skipping weight 0 and `exclude` (the colours a retry already tried);
   * null when no colour is left. Ties go to the colour listed first.
   */
  pick(exclude?: ReadonlySet<string>): string | null {
    let total = 0;
    let best: string | null = null;
    let bestScore = 0;
    for (const [colour, weight] of Object.entries(this.weights)) {
      if (!(weight > 0) || exclude?.has(colour)) continue;
      const score = (this.current.get(colour) ?? 0) + weight;
      this.current.set(colour, score);
      total += weight;
      if (best === null || score > bestScore) {
        best = colour;
        bestScore = score;
      }
    }
    if (best !== null) this.current.set(best, bestScore - total);
    return best;
  }
}
