/**
 * Per-client request rate on the API: a token bucket per client id holding `burst` tokens,
 * refilled at `perSecond`. In memory per replica (a load balancer spreads a client over replicas,
 * so the effective limit is the per-replica one times their number; docs/decisions/0011).
 */
export interface RateLimiter {
  /** 0 when the request may go ahead (a token was taken); else seconds until one is available. */
  take(key: string): number;
}

export function createRateLimiter(opts: { perSecond: number; burst: number; now?: () => number; maxKeys?: number }): RateLimiter {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      let b = buckets.get(key);
      if (!b) {
        // Clients are few and authenticated; the bound only guards against a misconfiguration.
        if (buckets.size >= maxKeys) buckets.clear();
        b = { tokens: opts.burst, at: t };
        buckets.set(key, b);
      }
      b.tokens = Math.min(opts.burst, b.tokens + ((t - b.at) / 1000) * opts.perSecond);
      b.at = t;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / opts.perSecond));
    },
  };
}
