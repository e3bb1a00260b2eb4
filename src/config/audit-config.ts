/**
 * The audit trail (issue #8 item 5, docs/decisions/0012-audit-trail.md): who read or wrote which
 * patient's data, kept as FHIR R4 AuditEvents in the gateway's own database.
 */
export interface AuditConfig {
  /** Off only for development and benchmarks; refused when NODE_ENV=production. */
  readonly enabled: boolean;
  /**
   * Days an audit event is kept before the periodic purge deletes it. UU 27/2022 (Pelindungan Data
   * Pribadi) sets no fixed period but makes the controller able to show who processed personal data;
   * the default of 6 years follows the common health-records practice (HIPAA 45 CFR 164.316(b)(2)).
   */
  readonly retentionDays: number;
  /** A batch is written at least this often (ms). */
  readonly flushIntervalMs: number;
  /** …or as soon as this many events wait. */
  readonly batchSize: number;
  /** Events waiting above which new requests wait for the queue to drain (backpressure, never silent loss). */
  readonly queueLimit: number;
}

type Env = Record<string, string | undefined>;

function intOf(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return fallback;
}

export function loadAuditConfig(env: Env, production: boolean, problems: string[]): AuditConfig {
  const raw = env.AUDIT_ENABLED;
  if (raw !== undefined && !['0', '1', ''].includes(raw)) problems.push(`AUDIT_ENABLED must be 1 or 0, got "${raw}"`);
  const enabled = raw !== '0';
  if (!enabled && production) problems.push('AUDIT_ENABLED=0 is refused when NODE_ENV=production: access to personal health data must be audited');
  return {
    enabled,
    retentionDays: intOf(env, 'AUDIT_RETENTION_DAYS', 2190, 30, 36_500, problems),
    flushIntervalMs: intOf(env, 'AUDIT_FLUSH_INTERVAL_MS', 250, 10, 60_000, problems),
    batchSize: intOf(env, 'AUDIT_BATCH_SIZE', 200, 1, 5000, problems),
    queueLimit: intOf(env, 'AUDIT_QUEUE_LIMIT', 10_000, 10, 1_000_000, problems),
  };
}
