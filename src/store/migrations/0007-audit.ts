import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (issue #8, docs/decisions/0012-audit-trail.md): one row per FHIR R4 AuditEvent,
 * with the columns its search parameters need beside the resource itself. Rows are only inserted
 * (in batches) and purged after AUDIT_RETENTION_DAYS; no API updates them.
 * `subtype` holds the codes of AuditEvent.subtype (the interaction, and the operation for $export),
 * `patient_refs` / `entity_refs` the `Patient/id` and `Type/id` references of AuditEvent.entity.
 */
export class Audit1732924800000 implements MigrationInterface {
  readonly name = 'Audit1732924800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit_event (
        id uuid PRIMARY KEY,
        recorded timestamptz NOT NULL,
        client_id text,
        subtype text[] NOT NULL DEFAULT '{}',
        outcome smallint NOT NULL,
        patient_refs text[] NOT NULL DEFAULT '{}',
        entity_refs text[] NOT NULL DEFAULT '{}',
        content jsonb NOT NULL
      )`);
    // Newest first is the order of every search; the purge walks the same index from the old end.
    await runner.query(`CREATE INDEX audit_event_recorded ON audit_event (recorded DESC, id)`);
    await runner.query(`CREATE INDEX audit_event_client ON audit_event (client_id, recorded DESC)`);
    await runner.query(`CREATE INDEX audit_event_patient ON audit_event USING gin (patient_refs)`);
    await runner.query(`CREATE INDEX audit_event_entity ON audit_event USING gin (entity_refs)`);
    await runner.query(`CREATE INDEX audit_event_subtype ON audit_event USING gin (subtype)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS audit_event`);
  }
}
