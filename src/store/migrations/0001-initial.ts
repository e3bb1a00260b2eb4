import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Submissions, FHIR resources with history and an identifier index, and the relay outbox.
 * Plain SQL that PostgreSQL 15 and PGlite (PostgreSQL 18) both run unchanged.
 * The reasoning behind each table is in docs/decisions/0001-storage-and-outbox.md.
 */
const UP = [
  `CREATE TABLE submission (
    pk               uuid PRIMARY KEY,
    organization_id  text NOT NULL,
    submission_id    text NOT NULL,
    version          integer NOT NULL CHECK (version >= 1),
    status           text NOT NULL CHECK (status IN ('accepted', 'relaying', 'delivered', 'rejected', 'failed')),
    payload_hash     text NOT NULL,
    payload          jsonb NOT NULL,
    warnings         jsonb NOT NULL DEFAULT '[]'::jsonb,
    national_ids     jsonb NOT NULL DEFAULT '{}'::jsonb,
    national_outcome jsonb,
    received_at      timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT submission_organization_submission_key UNIQUE (organization_id, submission_id)
  )`,
  `CREATE TABLE submission_version (
    submission_pk uuid NOT NULL REFERENCES submission (pk) ON DELETE CASCADE,
    version       integer NOT NULL,
    payload       jsonb NOT NULL,
    payload_hash  text NOT NULL,
    resources     jsonb NOT NULL,
    removed       jsonb NOT NULL DEFAULT '[]'::jsonb,
    received_at   timestamptz NOT NULL,
    PRIMARY KEY (submission_pk, version)
  )`,
  `CREATE TABLE resource (
    resource_type text NOT NULL,
    id            text NOT NULL,
    version_id    integer NOT NULL CHECK (version_id >= 1),
    last_updated  timestamptz NOT NULL,
    deleted       boolean NOT NULL DEFAULT false,
    content       jsonb,
    PRIMARY KEY (resource_type, id),
    CHECK (deleted OR content IS NOT NULL)
  )`,
  `CREATE INDEX resource_type_last_updated_idx ON resource (resource_type, last_updated)`,
  `CREATE TABLE resource_history (
    resource_type text NOT NULL,
    id            text NOT NULL,
    version_id    integer NOT NULL,
    last_updated  timestamptz NOT NULL,
    deleted       boolean NOT NULL DEFAULT false,
    content       jsonb,
    PRIMARY KEY (resource_type, id, version_id),
    CHECK (deleted OR content IS NOT NULL)
  )`,
  // Not unique on (type, system, value): SATUSEHAT's newborn identifier (nik-ibu, the mother's NIK)
  // is shared by siblings. Conditional creates are serialised with an advisory lock instead.
  `CREATE TABLE resource_identifier (
    resource_type text NOT NULL,
    system        text NOT NULL,
    value         text NOT NULL,
    id            text NOT NULL,
    PRIMARY KEY (resource_type, system, value, id),
    FOREIGN KEY (resource_type, id) REFERENCES resource (resource_type, id) ON DELETE CASCADE
  )`,
  `CREATE INDEX resource_identifier_value_idx ON resource_identifier (resource_type, value)`,
  `CREATE INDEX resource_identifier_resource_idx ON resource_identifier (resource_type, id)`,
  `CREATE TABLE outbox (
    id                 bigserial PRIMARY KEY,
    submission_pk      uuid NOT NULL,
    submission_version integer NOT NULL,
    status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'done', 'failed')),
    attempts           integer NOT NULL DEFAULT 0,
    available_at       timestamptz NOT NULL DEFAULT now(),
    claimed_at         timestamptz,
    claimed_by         text,
    last_error         text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT outbox_submission_version_key UNIQUE (submission_pk, submission_version),
    FOREIGN KEY (submission_pk, submission_version) REFERENCES submission_version (submission_pk, version) ON DELETE CASCADE
  )`,
  `CREATE INDEX outbox_status_available_idx ON outbox (status, available_at)`,
];

const DOWN = ['outbox', 'resource_identifier', 'resource_history', 'resource', 'submission_version', 'submission'].map(
  (table) => `DROP TABLE IF EXISTS ${table}`,
);

export class Initial1732406400000 implements MigrationInterface {
  readonly name = 'Initial1732406400000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of UP) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await runner.query(statement);
  }
}
