import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Visits accepted but not yet written (INTAKE_MODE=queued, docs/decisions/0022): one row per
 * (organisation, vendor submission id) holding the latest accepted payload. `pk` is the gateway
 * submission id the 202 already named; the submission row takes it when the visit is written.
 * `ticket` (from a sequence) orders the queue first-in first-out and changes whenever the row's
 * payload does, so a materialiser removes the row only if what it wrote is still what is queued.
 * `refused` holds the OperationOutcome of a visit that could not be written (rare: the visit was
 * validated before its 202); it stays for the vendor to read until a changed payload replaces it.
 */
export class IntakeQueue1733702400000 implements MigrationInterface {
  readonly name = 'IntakeQueue1733702400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE SEQUENCE intake_queue_ticket');
    await runner.query(`CREATE TABLE intake_queue (
      pk              uuid PRIMARY KEY,
      organization_id text NOT NULL,
      submission_id   text NOT NULL,
      ticket          bigint NOT NULL DEFAULT nextval('intake_queue_ticket'),
      payload         jsonb NOT NULL,
      payload_hash    text NOT NULL,
      warnings        jsonb NOT NULL DEFAULT '[]'::jsonb,
      received_at     timestamptz NOT NULL,
      updated_at      timestamptz NOT NULL,
      attempts        integer NOT NULL DEFAULT 0,
      lease_owner     text,
      lease_until     timestamptz,
      refused         jsonb,
      UNIQUE (organization_id, submission_id)
    )`);
    await runner.query('CREATE INDEX intake_queue_ready_idx ON intake_queue (ticket) WHERE refused IS NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE intake_queue');
    await runner.query('DROP SEQUENCE intake_queue_ticket');
  }
}
