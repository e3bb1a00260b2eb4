import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ownership of every stored resource version (docs/decisions/0010-tenant-isolation.md):
 * - `organization_id`: the organisation whose submission wrote the version (its vendor may read it);
 * - `residence`: the 10-digit Kemendagri village code of the subject Patient's address when the
 *   version was written (district clients see rows under their region prefixes).
 * Both live on `resource` and `resource_history`, so read, vread, history, search and export
 * filter in SQL with the same condition (src/store/access-sql.ts).
 *
 * Backfill of rows stored before this migration: the organisation from the submission whose current
 * version lists the resource (a Patient that several organisations shared before 0010 goes to one
 * of them: such rows predate per-organisation Patients), the residence from the Patient's address
 * or the subject Patient's.
 */
const ADMIN_CODE = 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode';

const UP = [
  `ALTER TABLE resource ADD COLUMN organization_id text`,
  `ALTER TABLE resource ADD COLUMN residence text`,
  `ALTER TABLE resource_history ADD COLUMN organization_id text`,
  `ALTER TABLE resource_history ADD COLUMN residence text`,
  `UPDATE resource r SET organization_id = o.organization_id
     FROM (SELECT DISTINCT ON (e ->> 'resourceType', e ->> 'id') e ->> 'resourceType' AS resource_type, e ->> 'id' AS id, s.organization_id
             FROM submission s JOIN submission_version v ON v.submission_pk = s.pk AND v.version = s.version,
                  jsonb_array_elements(v.resources) e
            ORDER BY e ->> 'resourceType', e ->> 'id', s.updated_at DESC) o
    WHERE r.resource_type = o.resource_type AND r.id = o.id`,
  `UPDATE resource r SET residence = (
     SELECT x ->> 'valueCode' FROM jsonb_array_elements(COALESCE(r.content -> 'address', '[]'::jsonb)) a,
            jsonb_array_elements(COALESCE(a -> 'extension', '[]'::jsonb)) e,
            jsonb_array_elements(COALESCE(e -> 'extension', '[]'::jsonb)) x
      WHERE e ->> 'url' = '${ADMIN_CODE}' AND x ->> 'url' = 'village' LIMIT 1)
    WHERE r.resource_type = 'Patient' AND NOT r.deleted`,
  `UPDATE resource r SET residence = (
     SELECT p.residence FROM search_reference s JOIN resource p ON p.resource_type = 'Patient' AND p.id = s.target_id
      WHERE s.resource_type = r.resource_type AND s.id = r.id AND s.code IN ('subject', 'patient') AND s.target_type = 'Patient' LIMIT 1)
    WHERE r.resource_type <> 'Patient'`,
  `UPDATE resource_history h SET organization_id = r.organization_id, residence = r.residence
     FROM resource r WHERE r.resource_type = h.resource_type AND r.id = h.id`,
  // Vendor reads filter by organisation, district reads by village-code prefix (text_pattern_ops serves LIKE 'prefix%').
  `CREATE INDEX resource_organization_idx ON resource (resource_type, organization_id)`,
  `CREATE INDEX resource_residence_idx ON resource (resource_type, residence text_pattern_ops)`,
  `CREATE INDEX resource_history_organization_idx ON resource_history (resource_type, organization_id)`,
  `CREATE INDEX resource_history_residence_idx ON resource_history (resource_type, residence text_pattern_ops)`,
];

const DOWN = [
  'DROP INDEX IF EXISTS resource_history_residence_idx',
  'DROP INDEX IF EXISTS resource_history_organization_idx',
  'DROP INDEX IF EXISTS resource_residence_idx',
  'DROP INDEX IF EXISTS resource_organization_idx',
  'ALTER TABLE resource_history DROP COLUMN IF EXISTS residence',
  'ALTER TABLE resource_history DROP COLUMN IF EXISTS organization_id',
  'ALTER TABLE resource DROP COLUMN IF EXISTS residence',
  'ALTER TABLE resource DROP COLUMN IF EXISTS organization_id',
];

export class Ownership1732752000000 implements MigrationInterface {
  readonly name = 'Ownership1732752000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of UP) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await runner.query(statement);
  }
}
