/**
 * When to try again. Exponential backoff with "full jitter" (a random delay between half and all
 * of base·2^(attempt−1), capped), so that many deliveries failing together do not come back
 * together; never sooner than the platform's Retry-After. SATUSEHAT publishes no FHIR quota
 * (satusehat-api.md §5.5), so 429 and 5xx are treated alike.
 */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Bound on attempts that ended in a non-transient problem without a verdict. */
  maxAttempts: number;
  /** Bound on transient failures, by the age of the queued item (RELAY_MAX_RETRY_HOURS). */
  maxRetryMs: number;
}

/** Retry-After is honoured up to max(RELAY_MAX_DELAY_MS, 1 h): a platform asking for a day does not park a visit for a day. */
export const RETRY_AFTER_CAP_MS = 3_600_000;

export function backoffMs(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  const jittered = Math.round(exp * (0.5 + random() / 2));
  return Math.min(Math.max(jittered, retryAfterMs ?? 0), Math.max(policy.maxDelayMs, RETRY_AFTER_CAP_MS));
}

/**
 * Whether a retry result means giving up. Transient failures (outage, 429, 5xx, lock-out) do not
 * use up RELAY_MAX_ATTEMPTS (an hour's outage must not fail the backlog): they are bounded by the
 * item's age. Other verdict-less problems are bounded by the attempt count.
 */
export function exhausted(policy: RetryPolicy, work: { attempts: number; ageMs?: number }, transient: boolean): boolean {
  return transient ? (work.ageMs ?? 0) >= policy.maxRetryMs : work.attempts >= policy.maxAttempts;
}

/**
 * A circuit breaker for one upstream (the national platform). After `threshold` consecutive
 * transient failures it opens for `cooldownMs`: the relay stops claiming work (so an outage does
 * not burn every item's attempts), then lets one batch through (half-open); a success closes it.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until calls may be made again; 0 when closed or half-open. */
  waitMs(): number {
    return Math.max(0, this.openUntil - this.now());
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.failures < this.threshold) return 'closed';
    return this.waitMs() > 0 ? 'open' : 'half-open';
  }

  success(): void {
    this.failures = 0;
    this.openUntil = 0;
  }

  failure(): void {
    this.failures += 1;
    if (this.failures >= this.threshold) this.openUntil = this.now() + this.cooldownMs;
  }
}
