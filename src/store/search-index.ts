import type { Resource } from 'fhir/r4';
import { isSearchable, REGION_STORAGE_CODES } from '../fhir/search-parameters';
import { indexRows, type IndexRows } from '../fhir/search-values';
import { json, type Sql } from './sql';

/**
 * The search index of one resource written on its own, inside the caller's transaction: used by the
 * migration that built the index (0003) to backfill. Every later write computes its rows once per
 * version in its write plan (src/write-plan/search-rows.ts, with the same extractor and the same
 * region rule) and the store inserts them set-based (plan-store.ts); `reindexDependants` serves both.
 * The rows mirror the current version. Design: docs/decisions/0007-search.md.
 */

const TABLES = ['search_token', 'search_string', 'search_reference', 'search_date', 'search_quantity'] as const;
/** The region levels' own rows and the `area` rows that stand for all four (search-values.ts). */
const REGION_CODES = [...REGION_STORAGE_CODES];

/** One statement: data-modifying CTEs all see the snapshot from before it, so the DELETEs never see the INSERTs. */
const INDEX_SQL = `
  WITH ${TABLES.map((t, i) => `d${i} AS (DELETE FROM ${t} WHERE resource_type = $1 AND id = $2)`).join(',\n  ')},
  i0 AS (INSERT INTO search_token (resource_type, id, code, system, value)
         SELECT $1, $2, x.code, x.system, x.value FROM jsonb_to_recordset($3::jsonb -> 'token') AS x(code text, system text, value text)),
  i1 AS (INSERT INTO search_string (resource_type, id, code, value, exact)
         SELECT $1, $2, x.code, x.value, x.exact FROM jsonb_to_recordset($3::jsonb -> 'string') AS x(code text, value text, exact text)),
  i2 AS (INSERT INTO search_reference (resource_type, id, code, target_type, target_id)
         SELECT $1, $2, x.code, x.target_type, x.target_id FROM jsonb_to_recordset($3::jsonb -> 'reference') AS x(code text, target_type text, target_id text)),
  i3 AS (INSERT INTO search_date (resource_type, id, code, low, high)
         SELECT $1, $2, x.code, x.low::timestamptz, x.high::timestamptz FROM jsonb_to_recordset($3::jsonb -> 'date') AS x(code text, low text, high text)),
  i4 AS (INSERT INTO search_quantity (resource_type, id, code, value, system, unit)
         SELECT $1, $2, x.code, x.value::numeric, x.system, x.unit FROM jsonb_to_recordset($3::jsonb -> 'quantity') AS x(code text, value text, system text, unit text))
  SELECT 1`;

/** The subject Patient of a clinical resource (its region codes are indexed on the resource too). */
function subjectPatient(rows: IndexRows): string | null {
  return rows.reference.find((r) => r.code === 'subject' && r.target_type === 'Patient')?.target_id ?? null;
}

/**
 * The region rows of a clinical resource are copied from its subject Patient's rows (the lookup
 * happens in this transaction, so it sees the Patient as this Bundle writes it). When a Patient's
 * region changes, its dependants are re-indexed here too.
 */
export async function indexResource(sql: Sql, resource: Resource & { id: string }): Promise<void> {
  if (!isSearchable(resource.resourceType)) return;
  const rows = indexRows(resource);
  const patient = resource.resourceType === 'Patient' ? null : subjectPatient(rows);
  const before = resource.resourceType === 'Patient' ? await regionOf(sql, resource.id) : '';
  await sql.rows(INDEX_SQL, [resource.resourceType, resource.id, json(rows)]);
  if (patient !== null) await copyRegion(sql, resource.resourceType, resource.id, patient);
  if (resource.resourceType === 'Patient' && before !== (await regionOf(sql, resource.id))) await reindexDependants(sql, resource.id);
}

/** A deleted resource is found by no search. */
export async function deleteIndex(sql: Sql, resourceType: string, id: string): Promise<void> {
  if (!isSearchable(resourceType)) return;
  await sql.rows(`WITH ${TABLES.map((t, i) => `d${i} AS (DELETE FROM ${t} WHERE resource_type = $1 AND id = $2)`).join(', ')} SELECT 1`, [resourceType, id]);
}

async function regionOf(sql: Sql, patientId: string): Promise<string> {
  const rows = await sql.rows<{ v: string | null }>(
    `SELECT string_agg(code || '=' || value, ',' ORDER BY code, value) AS v FROM search_token
      WHERE resource_type = 'Patient' AND id = $1 AND code = ANY($2::text[])`,
    [patientId, REGION_CODES],
  );
  return rows[0]?.v ?? '';
}

/** After the rows above are written: a statement does not see what its own CTEs insert. */
async function copyRegion(sql: Sql, resourceType: string, id: string, patientId: string): Promise<void> {
  await sql.rows(
    `INSERT INTO search_token (resource_type, id, code, system, value)
     SELECT $1, $2, p.code, p.system, p.value FROM search_token p
      WHERE p.resource_type = 'Patient' AND p.id = $3 AND p.code = ANY($4::text[])
`,
    [resourceType, id, patientId, REGION_CODES],
  );
}

/** Every resource whose subject is the Patient gets the Patient's new region codes. */
export async function reindexDependants(sql: Sql, patientId: string): Promise<void> {
  await sql.rows(
    `WITH dependants AS (
       SELECT DISTINCT resource_type, id FROM search_reference
        WHERE target_id = $1 AND target_type = 'Patient' AND code = 'subject' AND resource_type <> 'Patient'),
     gone AS (DELETE FROM search_token t USING dependants d
               WHERE t.resource_type = d.resource_type AND t.id = d.id AND t.code = ANY($2::text[]))
     INSERT INTO search_token (resource_type, id, code, system, value)
     SELECT d.resource_type, d.id, p.code, p.system, p.value FROM dependants d
       JOIN search_token p ON p.resource_type = 'Patient' AND p.id = $1 AND p.code = ANY($2::text[])`,
    [patientId, REGION_CODES],
  );
}
