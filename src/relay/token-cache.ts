import { createHash } from 'node:crypto';
import type { NationalCredentials } from './credentials';
import { call, type CallResult, type LatencyObserver } from './national-client';

/**
 * Access tokens per organisation. SATUSEHAT tokens live `expires_in` seconds ("3599", a string,
 * satusehat-api.md §1.3) and there is no refresh token, so a new one is requested before the old
 * one ends (at 90 % of its life, at most 5 minutes early). Refreshes are single-flight: many
 * deliveries waiting for one organisation share one token request, which matters because one wrong
 * secret locks the client for a minute (§1.3).
 */
export type TokenResult =
  | { ok: true; token: string }
  /** `permanent`: the platform refused the credentials; retrying will not help until they change. */
  | { ok: false; permanent: boolean; error: string; retryAfterMs?: number };

interface Cached {
  token: string;
  refreshAt: number;
  expiresAt: number;
}

export interface TokenCacheOptions {
  authUrl: string;
  timeoutMs: number;
  observe?: LatencyObserver;
  now?: () => number;
}

/** §1.3: "Rate limit: 1 request per minute after a failed attempt". */
export const TOKEN_LOCKOUT_MS = 60_000;

/** The lock-out answer (§1.3 documents its text, and only "4xx" as its status). */
function isLockout(body: unknown): boolean {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return /rate limit policy/i.test(text);
}

function interpret(result: CallResult): { token: string; ttlMs: number } | Extract<TokenResult, { ok: false }> {
  if (result.kind === 'network') return { ok: false, permanent: false, error: `token: ${result.error}` };
  const body = (result.body ?? {}) as Record<string, unknown>;
  if (result.status === 200 && typeof body.access_token === 'string') {
    const ttl = Number(body.expires_in);
    return { token: body.access_token, ttlMs: (Number.isFinite(ttl) && ttl > 0 ? ttl : 3599) * 1000 };
  }
  const lockout = isLockout(result.body);
  const transient = lockout || result.status === 429 || result.status >= 500;
  const detail = typeof result.body === 'string' ? result.body : JSON.stringify(result.body ?? '').slice(0, 300);
  const retryAfterMs = lockout ? Math.max(result.retryAfterMs ?? 0, TOKEN_LOCKOUT_MS) : result.retryAfterMs;
  return { ok: false, permanent: !transient, error: `token: HTTP ${result.status} ${detail}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** Failures are remembered per credentials: a corrected secret is tried at once. */
function failureKey(creds: NationalCredentials): string {
  return `${creds.organizationId}\n${creds.clientId}\n${createHash('sha256').update(creds.clientSecret).digest('base64url')}`;
}

export class TokenCache {
  private readonly cached = new Map<string, Cached>();
  private readonly inflight = new Map<string, Promise<TokenResult>>();
  /** A refused token request is remembered for a minute: asking again would only extend the lock-out (§1.3). */
  private readonly failures = new Map<string, { until: number; result: Extract<TokenResult, { ok: false }> }>();
  private readonly now: () => number;

  constructor(private readonly opts: TokenCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  async get(creds: NationalCredentials): Promise<TokenResult> {
    const key = `${creds.organizationId}\n${creds.clientId}`;
    const hit = this.cached.get(key);
    if (hit && hit.refreshAt > this.now()) return { ok: true, token: hit.token };
    const failure = this.failures.get(failureKey(creds));
    if (failure && failure.until > this.now()) {
      // Transient from here: the refusal was reported once (and paused the organisation); a resumed
      // organisation waits out the minute instead of being paused again by the same answer.
      return { ok: false, permanent: false, error: `${failure.result.error} (token requests held back for a minute)`, retryAfterMs: Math.max(failure.result.retryAfterMs ?? 0, failure.until - this.now()) };
    }
    const running = this.inflight.get(key);
    if (running) return running;
    const request = this.fetch(key, creds).finally(() => this.inflight.delete(key));
    this.inflight.set(key, request);
    return request;
  }

  /** After a 401 on a FHIR call: forget this token (unless a newer one replaced it already). */
  invalidate(creds: NationalCredentials, token: string): void {
    const key = `${creds.organizationId}\n${creds.clientId}`;
    if (this.cached.get(key)?.token === token) this.cached.delete(key);
  }

  private async fetch(key: string, creds: NationalCredentials): Promise<TokenResult> {
    const result = await call({
      method: 'POST',
      url: `${this.opts.authUrl}/accesstoken?grant_type=client_credentials`,
      form: { client_id: creds.clientId, client_secret: creds.clientSecret },
      timeoutMs: this.opts.timeoutMs,
    }, 'token', this.opts.observe);
    const got = interpret(result);
    const now = this.now();
    if ('ok' in got) {
      // Answered and refused (not a network error): do not ask again for a minute.
      if (result.kind === 'response') this.failures.set(failureKey(creds), { until: now + TOKEN_LOCKOUT_MS, result: got });
      return got;
    }
    this.failures.delete(failureKey(creds));
    const early = Math.min(got.ttlMs * 0.1, 5 * 60_000);
    this.cached.set(key, { token: got.token, refreshAt: now + got.ttlMs - early, expiresAt: now + got.ttlMs });
    return { ok: true, token: got.token };
  }
}
