import { numberVar, type Env } from './env';

/**
 * Settings of API authentication (docs/decisions/0009-api-auth.md, 0011-api-clients.md), read by
 * loadConfig() (config.ts) with the same rules: every problem listed, no secret defaults.
 */
export interface AuthConfig {
  /** JSON file seeding API clients into the database at start-up (src/auth/clients.ts). */
  readonly clientsFile: string | undefined;
  /** HS256 key signing new access tokens (base64, ≥ 32 bytes); shared by every replica. */
  readonly signingKey: Uint8Array | undefined;
  /** Keys still accepted for verification during a rotation (AUTH_SIGNING_KEY_PREVIOUS), never used to sign. */
  readonly previousSigningKeys: readonly Uint8Array[];
  readonly tokenTtlSeconds: number;
  /** How long a client's status (active/revoked) is cached by the token guard; 0 = every request. */
  readonly clientCacheSeconds: number;
  /** Failed token requests tolerated per client id / per source address in a window, then 429. */
  readonly throttle: { readonly clientFailures: number; readonly addressFailures: number; readonly windowSeconds: number };
  /** scrypt verifications at once, and how many may wait; more → 429 at once (bounded work). */
  readonly scrypt: { readonly concurrency: number; readonly maxQueue: number };
  /** Per-client API request rate (token bucket); 0 = off. */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  /** Remote JWKS of SMART clients (`jwks_uri`). */
  readonly jwks: { readonly timeoutMs: number; readonly maxBytes: number; readonly cacheSeconds: number; readonly minRefreshSeconds: number };
}

const int = numberVar;

function key(raw: string, name: string, problems: string[]): Uint8Array {
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length < 32) problems.push(`${name} must be base64 of at least 32 bytes`);
  return new Uint8Array(bytes);
}

export function loadAuthConfig(env: Env, problems: string[]): AuthConfig {
  const rate = int(env, 'API_RATE_LIMIT_PER_SECOND', 0, 0, 100_000, problems);
  return {
    clientsFile: env.AUTH_CLIENTS_FILE || undefined,
    signingKey: env.AUTH_SIGNING_KEY ? key(env.AUTH_SIGNING_KEY, 'AUTH_SIGNING_KEY', problems) : undefined,
    // Comma-separated: several rotations may overlap when tokens live long (AUTH_TOKEN_TTL_SECONDS).
    previousSigningKeys: (env.AUTH_SIGNING_KEY_PREVIOUS ?? '').split(',').map((k) => k.trim()).filter(Boolean)
      .map((k) => key(k, 'AUTH_SIGNING_KEY_PREVIOUS', problems)),
    tokenTtlSeconds: int(env, 'AUTH_TOKEN_TTL_SECONDS', 300, 60, 86_400, problems),
    clientCacheSeconds: int(env, 'AUTH_CLIENT_CACHE_SECONDS', 5, 0, 60, problems),
    throttle: {
      clientFailures: int(env, 'AUTH_THROTTLE_CLIENT_FAILURES', 10, 1, 100_000, problems),
      addressFailures: int(env, 'AUTH_THROTTLE_ADDRESS_FAILURES', 50, 1, 1_000_000, problems),
      windowSeconds: int(env, 'AUTH_THROTTLE_WINDOW_SECONDS', 300, 1, 86_400, problems),
    },
    scrypt: {
      concurrency: int(env, 'AUTH_SCRYPT_CONCURRENCY', 2, 1, 16, problems),
      maxQueue: int(env, 'AUTH_SCRYPT_QUEUE', 32, 0, 10_000, problems),
    },
    rateLimit: { perSecond: rate, burst: int(env, 'API_RATE_LIMIT_BURST', Math.max(1, rate * 2), 1, 1_000_000, problems) },
    jwks: {
      timeoutMs: int(env, 'AUTH_JWKS_TIMEOUT_MS', 5000, 100, 60_000, problems),
      maxBytes: int(env, 'AUTH_JWKS_MAX_BYTES', 65_536, 1024, 1_048_576, problems),
      cacheSeconds: int(env, 'AUTH_JWKS_CACHE_SECONDS', 3600, 0, 86_400, problems),
      minRefreshSeconds: int(env, 'AUTH_JWKS_MIN_REFRESH_SECONDS', 30, 0, 3600, problems),
    },
  };
}
