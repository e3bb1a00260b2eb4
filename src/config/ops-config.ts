import { numberVar, type Env } from './env';

/** The operations console's data (issue 11, docs/decisions/0021-operations.md). */
export interface OpsConfig {
  /** Record refused intake requests (INTAKE_ATTEMPTS_ENABLED, default 1). */
  readonly attemptsEnabled: boolean;
  /** Days an intake attempt is kept before the hourly purge deletes it (INTAKE_ATTEMPT_RETENTION_DAYS). */
  readonly attemptRetentionDays: number;
  /** Largest masked payload kept with an attempt, bytes of JSON; 0 keeps none (INTAKE_ATTEMPT_PAYLOAD_MAX_BYTES). */
  readonly attemptPayloadMaxBytes: number;
  /**
   * Refused requests per API client and minute whose payload is kept; beyond it the attempt is still
   * recorded (counts and errors stay exact) without its payload (INTAKE_ATTEMPT_PAYLOADS_PER_CLIENT_MINUTE).
   */
  readonly attemptPayloadsPerClientMinute: number;
}

export function loadOpsConfig(env: Env, problems: string[]): OpsConfig {
  const raw = env.INTAKE_ATTEMPTS_ENABLED;
  if (raw !== undefined && !['0', '1', ''].includes(raw)) problems.push(`INTAKE_ATTEMPTS_ENABLED must be 1 or 0, got "${raw}"`);
  return {
    attemptsEnabled: raw !== '0',
    attemptRetentionDays: numberVar(env, 'INTAKE_ATTEMPT_RETENTION_DAYS', 90, 1, 3650, problems),
    attemptPayloadMaxBytes: numberVar(env, 'INTAKE_ATTEMPT_PAYLOAD_MAX_BYTES', 16_384, 0, 1_048_576, problems),
    // One example a second is plenty to debug a vendor; a client looping on a bad payload must not fill the disk.
    attemptPayloadsPerClientMinute: numberVar(env, 'INTAKE_ATTEMPT_PAYLOADS_PER_CLIENT_MINUTE', 60, 0, 100_000, problems),
  };
}
