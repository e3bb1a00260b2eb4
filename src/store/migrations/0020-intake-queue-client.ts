import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The API client that sent a queued visit (issue 11's attribution, INTAKE_MODE=queued): the direct
 * intake attributes a version after its answer (submission_version.client_id), but a queued visit
 * has no version until the materialiser writes it, so the client travels with the queue row and is
 * written with the version. Null for rows queued before this column (their client is not known).
 */
export class IntakeQueueClient1733788800000 implements MigrationInterface {
  readonly name = 'IntakeQueueClient1733788800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake_queue ADD COLUMN client_id text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake_queue DROP COLUMN client_id');
  }
}
