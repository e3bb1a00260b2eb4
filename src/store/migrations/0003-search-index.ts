import type { Resource } from 'fhir/r4';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SEARCHABLE_TYPES } from '../../fhir/search-parameters';
import { indexResource } from '../search-index';
import type { Sql } from '../sql';

/**
 * The FHIR search index (one table per search parameter type, FHIR R4 search.html#ptypes), the
 * Bulk Data export jobs, and the source of a submission (ILP intake or a FHIR Bundle).
 * Why one row per value instead of columns per parameter: docs/decisions/0007-search.md.
 * Index rows mirror the CURRENT version of a resource and are rewritten in the resource's own
 * transaction; they carry no foreign key, so that rewriting them takes no extra lock.
 */
const UP = [
  `ALTER TABLE submission ADD COLUMN source text NOT NULL DEFAULT 'ilp' CHECK (source IN ('ilp', 'fhir'))`,
  `CREATE TABLE search_token (
    resource_type text NOT NULL,
    id            text NOT NULL,
    code          text NOT NULL,
    system        text NOT NULL,
    value         text NOT NULL
  )`,
  `CREATE INDEX search_token_value_idx ON search_token (resource_type, code, value, system)`,
  `CREATE INDEX search_token_resource_idx ON search_token (resource_type, id)`,
  `CREATE TABLE search_string (
    resource_type text NOT NULL,
    id            text NOT NULL,
    code          text NOT NULL,
    value         text NOT NULL,
    exact         text NOT NULL
  )`,
  `CREATE INDEX search_string_value_idx ON search_string (resource_type, code, value text_pattern_ops)`,
  `CREATE INDEX search_string_resource_idx ON search_string (resource_type, id)`,
  `CREATE TABLE search_reference (
    resource_type text NOT NULL,
    id            text NOT NULL,
    code          text NOT NULL,
    target_type   text NOT NULL,
    target_id     text NOT NULL
  )`,
  `CREATE INDEX search_reference_target_idx ON search_reference (target_id, target_type, code, resource_type)`,
  `CREATE INDEX search_reference_resource_idx ON search_reference (resource_type, id)`,
  // [low, high): the instants a value covers at its precision (search.html#date); open ends are ±infinity.
  `CREATE TABLE search_date (
    resource_type text NOT NULL,
    id            text NOT NULL,
    code          text NOT NULL,
    low           timestamptz NOT NULL,
    high          timestamptz NOT NULL
  )`,
  // Range predicates (overlaps, contained by) on a GiST index: a B-tree on low or high alone cannot
  // narrow "low < B AND high > A". The B-tree on low serves _sort.
  `CREATE INDEX search_date_range_idx ON search_date USING gist (tstzrange(low, high, '[)'))`,
  `CREATE INDEX search_date_low_idx ON search_date (resource_type, code, low)`,
  `CREATE INDEX search_date_resource_idx ON search_date (resource_type, id)`,
  `CREATE TABLE search_quantity (
    resource_type text NOT NULL,
    id            text NOT NULL,
    code          text NOT NULL,
    value         numeric NOT NULL,
    system        text NOT NULL,
    unit          text NOT NULL
  )`,
  `CREATE INDEX search_quantity_value_idx ON search_quantity (resource_type, code, value)`,
  `CREATE INDEX search_quantity_resource_idx ON search_quantity (resource_type, id)`,
  // Paging and _sort=_lastUpdated / _id without a sort step.
  `CREATE INDEX resource_type_id_live_idx ON resource (resource_type, id) WHERE NOT deleted`,
  `CREATE TABLE export_job (
    id               uuid PRIMARY KEY,
    status           text NOT NULL CHECK (status IN ('accepted', 'in-progress', 'completed', 'failed', 'cancelled')),
    request          text NOT NULL,
    params           jsonb NOT NULL,
    transaction_time timestamptz NOT NULL,
    progress         jsonb NOT NULL DEFAULT '{}'::jsonb,
    output           jsonb NOT NULL DEFAULT '[]'::jsonb,
    error            jsonb NOT NULL DEFAULT '[]'::jsonb,
    claimed_by       text,
    claimed_at       timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    expires_at       timestamptz
  )`,
  `CREATE INDEX export_job_status_idx ON export_job (status, created_at)`,
];

const DOWN = [
  ...['export_job', 'search_quantity', 'search_date', 'search_reference', 'search_string', 'search_token'].map((t) => `DROP TABLE IF EXISTS ${t}`),
  'DROP INDEX IF EXISTS resource_type_id_live_idx',
  'ALTER TABLE submission DROP COLUMN IF EXISTS source',
];

export class SearchIndex1732579200000 implements MigrationInterface {
  readonly name = 'SearchIndex1732579200000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of UP) await runner.query(statement);
    await backfill(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await runner.query(statement);
  }
}

/**
 * Resources stored before this migration get their index rows now, in the migration's transaction,
 * by the same code that indexes every later write (keyset chunks: memory stays flat). Patients
 * first, so that clinical resources find their subject's region codes.
 */
async function backfill(runner: QueryRunner): Promise<void> {
  const sql: Sql = { rows: async <T>(text: string, params: readonly unknown[] = []) => (await runner.query(text, [...params], true)).records as T[] };
  for (const type of SEARCHABLE_TYPES) {
    let after = '';
    for (;;) {
      const rows = await sql.rows<{ id: string; content: Resource }>(
        `SELECT id, content FROM resource WHERE resource_type = $1 AND NOT deleted AND id > $2 ORDER BY id LIMIT 500`, [type, after]);
      for (const row of rows) await indexResource(sql, { ...row.content, id: row.id });
      const last = rows[rows.length - 1];
      if (!last || rows.length < 500) break;
      after = last.id;
    }
  }
}
