/**
 * Failed logins counted per key (a client id, a source address) in a fixed window: once `limit`
 * failures are reached, the key is refused until its window ends. In memory, per replica: a
 * shared counter would cost a database write per failure, and N replicas only multiply the
 * attacker's budget by N (docs/decisions/0011-api-clients.md).
 */
export interface FailureThrottle {
  /** Seconds until the key may try again; 0 when it may now. */
  retryAfter(key: string): number;
  failed(key: string): void;
  succeeded(key: string): void;
}

export interface ThrottleOptions {
  limit: number;
  windowSeconds: number;
  now?: () => number;
  /** Bound on remembered keys: an attacker inventing ids cannot grow memory without limit. */
  maxKeys?: number;
}

export function createFailureThrottle(opts: ThrottleOptions): FailureThrottle {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 100_000;
  const windows = new Map<string, { count: number; endsAt: number }>();

  const live = (key: string): { count: number; endsAt: number } | undefined => {
    const w = windows.get(key);
    if (w && w.endsAt <= now()) {
      windows.delete(key);
      return undefined;
    }
    return w;
  };

  const prune = (): void => {
    const t = now();
    for (const [k, w] of windows) if (w.endsAt <= t) windows.delete(k);
    // Still full of live windows: forget the oldest ones (insertion order) rather than grow.
    for (const k of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(k);
    }
  };

  return {
    retryAfter(key) {
      const w = live(key);
      return w && w.count >= opts.limit ? Math.max(1, Math.ceil((w.endsAt - now()) / 1000)) : 0;
    },
    failed(key) {
      const w = live(key);
      if (w) {
        w.count += 1;
        return;
      }
      if (windows.size >= maxKeys) prune();
      windows.set(key, { count: 1, endsAt: now() + opts.windowSeconds * 1000 });
    },
    succeeded(key) {
      windows.delete(key);
    },
  };
}
