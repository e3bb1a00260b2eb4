import type { NationalCredentials } from './credentials';
import { call, type CallResult, type LatencyObserver } from './national-client';
import type { TokenCache } from './token-cache';

/** A FHIR call's outcome, or why no token could be had. */
export type ApiResult = CallResult | { kind: 'auth'; permanent: boolean; error: string; retryAfterMs?: number };

export interface NationalPlatformOptions {
  fhirUrl: string;
  tokens: TokenCache;
  timeoutMs: number;
  observe?: LatencyObserver;
}

/**
 * FHIR calls on behalf of one organisation's credentials. A 401 (expired or revoked token, Apigee
 * `fault`, satusehat-api.md §5.1) drops the cached token and the call is made once more with a
 * fresh one: a token that expires mid-run costs one extra round trip, not an attempt.
 */
export class NationalPlatform {
  constructor(private readonly opts: NationalPlatformOptions) {}

  async request(creds: NationalCredentials, req: { method: 'GET' | 'POST' | 'PUT'; path: string; json?: unknown }, operation: string, signal?: AbortSignal): Promise<ApiResult> {
    for (let round = 0; round < 2; round += 1) {
      const token = await this.opts.tokens.get(creds);
      if (!token.ok) return { kind: 'auth', permanent: token.permanent, error: token.error, ...(token.retryAfterMs !== undefined ? { retryAfterMs: token.retryAfterMs } : {}) };
      const result = await call({
        method: req.method, url: `${this.opts.fhirUrl}${req.path}`, token: token.token, json: req.json, timeoutMs: this.opts.timeoutMs,
        ...(signal ? { signal } : {}),
      }, operation, this.opts.observe);
      if (result.kind === 'response' && result.status === 401) {
        this.opts.tokens.invalidate(creds, token.token);
        if (round === 0) continue;
      }
      return result;
    }
    return { kind: 'network', error: 'unreachable' };
  }
}
