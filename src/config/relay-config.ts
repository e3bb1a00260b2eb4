import { numberVar, type Env } from './env';
/**
 * Settings of the relay to SATUSEHAT, its admin API and the built-in simulator (issue #4), read by
 * loadConfig() (config.ts) with the same rules: every problem listed, no secret defaults.
 */
export interface RelayConfig {
  readonly enabled: boolean;
  readonly concurrency: number;
  /** Attempts that ended in a non-transient problem without a verdict (transient ones are bounded by maxRetryHours). */
  readonly maxAttempts: number;
  /** Transient failures (outage, 429, 5xx, lock-out) are retried this long after the visit was queued. */
  readonly maxRetryHours: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly leaseSeconds: number;
  readonly pollMs: number;
  /** Per HTTP call to the national platform. */
  readonly timeoutMs: number;
  /** Create a patient in the national MPI when the NIK is not found (satusehat-api.md §2.3). */
  readonly createPatients: boolean;
  readonly breakerThreshold: number;
  readonly breakerCooldownMs: number;
  /** Delivered outbox rows and relay events older than this are deleted. */
  readonly retentionDays: number;
  /** AES-256-GCM key for national client secrets at rest (32 bytes, base64). */
  readonly credentialsKey: string | undefined;
  /** Static bearer token for /admin/v1 when API auth is off (src/api/admin-guard.ts); API auth's `admin` scope also admits. */
  readonly adminToken: string | undefined;
}

export interface SimConfig {
  readonly host: string;
  readonly tokenTtlSeconds: number;
  readonly duplicateCheck: boolean;
  readonly faults: {
    readonly latencyMs: number;
    readonly error5xx: number;
    readonly rate429: number;
    readonly retryAfterSeconds: number;
    readonly timeout: number;
    readonly drop: number;
    readonly dropAfterCommit: number;
    readonly tokenExpiry: number;
  };
}



const num = numberVar;

function flag(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== '0' && raw !== '1') problems.push(`${name} must be 1 or 0, got "${raw}"`);
  return raw === '1';
}

export function loadRelayConfig(env: Env, problems: string[]): RelayConfig {
  const credentialsKey = env.CREDENTIALS_KEY || undefined;
  if (credentialsKey && Buffer.from(credentialsKey, 'base64').length !== 32) problems.push('CREDENTIALS_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');
  const adminToken = env.ADMIN_TOKEN || undefined;
  if (adminToken && adminToken.length < 16) problems.push('ADMIN_TOKEN must be at least 16 characters');
  return {
    enabled: flag(env, 'RELAY_ENABLED', true, problems),
    // A delivery is mostly waiting (the platform, the database): 32 in flight keep up with a 16-connection
    // intake burst on this 2-core machine (issue #12, docs/performance.md); 64 bounds memory and connections.
    concurrency: num(env, 'RELAY_CONCURRENCY', 32, 1, 64, problems),
    maxAttempts: num(env, 'RELAY_MAX_ATTEMPTS', 12, 1, 1000, problems),
    maxRetryHours: num(env, 'RELAY_MAX_RETRY_HOURS', 168, 1, 8760, problems),
    baseDelayMs: num(env, 'RELAY_BASE_DELAY_MS', 2000, 1, 3_600_000, problems),
    maxDelayMs: num(env, 'RELAY_MAX_DELAY_MS', 600_000, 1, 86_400_000, problems),
    leaseSeconds: num(env, 'RELAY_LEASE_SECONDS', 30, 3, 86_400, problems),
    pollMs: num(env, 'RELAY_POLL_MS', 1000, 10, 600_000, problems),
    timeoutMs: num(env, 'RELAY_TIMEOUT_MS', 30_000, 100, 600_000, problems),
    createPatients: flag(env, 'RELAY_CREATE_PATIENTS', false, problems),
    breakerThreshold: num(env, 'RELAY_BREAKER_THRESHOLD', 5, 1, 1000, problems),
    breakerCooldownMs: num(env, 'RELAY_BREAKER_COOLDOWN_MS', 30_000, 10, 3_600_000, problems),
    retentionDays: num(env, 'RETENTION_DAYS', 30, 1, 3650, problems),
    credentialsKey,
    adminToken,
  };
}

export function loadSimConfig(env: Env, problems: string[]): SimConfig {
  const rate = (name: string): number => num(env, name, 0, 0, 1, problems, false);
  return {
    host: env.SIM_HOST || '127.0.0.1',
    tokenTtlSeconds: num(env, 'SIM_TOKEN_TTL_SECONDS', 3599, 1, 86_400, problems),
    duplicateCheck: flag(env, 'SIM_DUPLICATE_CHECK', true, problems),
    faults: {
      latencyMs: num(env, 'SIM_LATENCY_MS', 0, 0, 600_000, problems),
      error5xx: rate('SIM_FAULT_5XX'),
      rate429: rate('SIM_FAULT_429'),
      retryAfterSeconds: num(env, 'SIM_RETRY_AFTER_SECONDS', 1, 0, 3600, problems),
      timeout: rate('SIM_FAULT_TIMEOUT'),
      drop: rate('SIM_FAULT_DROP'),
      dropAfterCommit: rate('SIM_FAULT_DROP_AFTER_COMMIT'),
      tokenExpiry: rate('SIM_FAULT_TOKEN_EXPIRY'),
    },
  };
}
