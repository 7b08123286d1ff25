// A token bucket per client: `rate` requests per second with bursts up to `burst`. Hand-written
// because it is a dozen lines over a Map with time passed in (so it is tested without a clock);
// rate-limiter libraries bring stores and middleware the collector does not need.
export interface RateDecision {
  allowed: boolean;
  /** when refused: whole seconds until one request is allowed again (for Retry-After) */
  retryAfterS: number;
}

export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    /** clients forgotten when idle this long, so the map does not grow without bound */
    private readonly idleMs = 10 * 60_000,
  ) {}

  take(client: string, now: number): RateDecision {
    const b = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    this.buckets.set(client, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, retryAfterS: 0 };
    }
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / this.rate)) };
  }

  /** drops clients idle for idleMs */
  sweep(now: number): void {
    for (const [k, b] of this.buckets) if (now - b.at > this.idleMs) this.buckets.delete(k);
  }
}
