import { parseRetryAfter } from '../../../src/relay/national-client';
import { backoffMs, CircuitBreaker, exhausted } from '../../../src/relay/retry-policy';

const policy = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 10, maxRetryMs: 7 * 24 * 3_600_000 };

describe('backoff with jitter', () => {
  test.each([
    [1, 0, 500], [1, 1, 1000], [3, 0, 2000], [3, 1, 4000], [20, 1, 60_000], [20, 0, 30_000],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(backoffMs(policy, attempt, undefined, () => random)).toBe(expected);
  });

  test('never sooner than Retry-After, even beyond the cap', () => {
    expect(backoffMs(policy, 1, 7000, () => 0)).toBe(7000);
    expect(backoffMs(policy, 1, 120_000, () => 0)).toBe(120_000);
    expect(backoffMs(policy, 3, 100, () => 1)).toBe(4000);
  });

  test('Retry-After is capped at max(RELAY_MAX_DELAY_MS, 1 h)', () => {
    expect(backoffMs(policy, 1, 86_400_000, () => 0)).toBe(3_600_000);
    expect(backoffMs({ ...policy, maxDelayMs: 7_200_000 }, 1, 86_400_000, () => 0)).toBe(7_200_000);
  });
});

describe('when to give up', () => {
  test('transient failures do not use up attempts: they are bounded by the age of the queued item', () => {
    expect(exhausted(policy, { attempts: 500, ageMs: 3_600_000 }, true)).toBe(false);
    expect(exhausted(policy, { attempts: 2, ageMs: 7 * 24 * 3_600_000 }, true)).toBe(true);
  });

  test('other verdict-less problems are bounded by RELAY_MAX_ATTEMPTS', () => {
    expect(exhausted(policy, { attempts: 9, ageMs: 0 }, false)).toBe(false);
    expect(exhausted(policy, { attempts: 10, ageMs: 0 }, false)).toBe(true);
  });
});

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  test('delta-seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('circuit breaker', () => {
  test('opens after the threshold of consecutive failures, half-opens after the cool-down, closes on success', () => {
    let now = 0;
    const b = new CircuitBreaker(3, 1000, () => now);
    b.failure();
    b.failure();
    expect(b.state).toBe('closed');
    b.success();
    b.failure();
    b.failure();
    expect(b.state).toBe('closed');
    b.failure();
    expect(b.state).toBe('open');
    expect(b.waitMs()).toBe(1000);
    now = 999;
    expect(b.waitMs()).toBe(1);
    now = 1000;
    expect(b.state).toBe('half-open');
    b.failure();
    expect(b.state).toBe('open');
    now = 2500;
    b.success();
    expect(b.state).toBe('closed');
    expect(b.waitMs()).toBe(0);
  });
});
