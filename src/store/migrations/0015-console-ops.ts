import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operations data for the console (issue 11 items 2-4, docs/decisions/0021-operations.md):
 * - `intake_attempt`: every REFUSED intake request (a 4xx OperationOutcome on POST /ilp/v1/encounters,
 *   an $import line, POST /fhir): who, for which organisation, when, which endpoint, the error codes
 *   and FHIRPath elements of the answer, and the payload with NIK, names, phones and addresses masked
 *   (size-capped, or absent). Never clinical data: no resource, search index, export or relay reads it.
 *   Kept INTAKE_ATTEMPT_RETENTION_DAYS.
 * - `submission_version.client_id`: the API client whose request stored the version, filled after the
 *   answer (never on the request path), so the share of accepted submissions is per client too.
 * - indexes for the transaction log's keyset paging (newest first) and the conformance buckets.
 */
const UP = [
  `CREATE TABLE intake_attempt (
    id               bigserial PRIMARY KEY,
    at               timestamptz NOT NULL DEFAULT now(),
    client_id        text,
    organization_id  text,
    endpoint         text NOT NULL CHECK (endpoint IN ('ilp', 'ilp-import', 'fhir')),
    status           integer NOT NULL CHECK (status BETWEEN 400 AND 499),
    line             integer,
    error_codes      text[] NOT NULL DEFAULT '{}',
    expressions      text[] NOT NULL DEFAULT '{}',
    issues           jsonb NOT NULL DEFAULT '[]'::jsonb,
    payload          jsonb,
    payload_bytes    integer
  )`,
  `CREATE INDEX intake_attempt_at_idx ON intake_attempt (at, id)`,
  `CREATE INDEX intake_attempt_organization_idx ON intake_attempt (organization_id, at)`,
  `CREATE INDEX intake_attempt_client_idx ON intake_attempt (client_id, at)`,
  `ALTER TABLE submission_version ADD COLUMN client_id text`,
  `CREATE INDEX submission_version_received_idx ON submission_version (received_at)`,
  `CREATE INDEX submission_received_idx ON submission (received_at DESC, pk DESC)`,
  `CREATE INDEX submission_organization_received_idx ON submission (organization_id, received_at DESC, pk DESC)`,
];

const DOWN = [
  'DROP INDEX IF EXISTS submission_organization_received_idx',
  'DROP INDEX IF EXISTS submission_received_idx',
  'DROP INDEX IF EXISTS submission_version_received_idx',
  'ALTER TABLE submission_version DROP COLUMN IF EXISTS client_id',
  'DROP TABLE IF EXISTS intake_attempt',
];

export class ConsoleOps1733356800000 implements MigrationInterface {
  readonly name = 'ConsoleOps1733356800000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of UP) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await runner.query(statement);
  }
}
