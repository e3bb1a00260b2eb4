import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `outbox.sent_at`: set (and kept) just before the relay posts a row's transaction to SATUSEHAT.
 * Once set, the platform may hold what was sent even if no answer came back, so every later
 * attempt of this submission looks its resources up by identifier before sending again, whatever
 * its attempt count (release() and re-queue reset `attempts`; they do not reset this marker).
 * `outbox.requeued_at`: when an operator last re-queued the row; transient failures are retried
 * for RELAY_MAX_RETRY_HOURS counted from it (else from `created_at`), not for a number of attempts.
 * docs/decisions/0005-relay.md.
 */
export class RelaySent1732665600000 implements MigrationInterface {
  readonly name = 'RelaySent1732665600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE outbox ADD COLUMN sent_at timestamptz`);
    await runner.query(`ALTER TABLE outbox ADD COLUMN requeued_at timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE outbox DROP COLUMN IF EXISTS requeued_at`);
    await runner.query(`ALTER TABLE outbox DROP COLUMN IF EXISTS sent_at`);
  }
}
