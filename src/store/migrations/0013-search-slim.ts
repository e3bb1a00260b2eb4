import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AREA_CODE, AREA_LEAF_DIGITS, REGION_LEVELS, SEARCHABLE_TYPES, searchParamsOf, TABLE_OF } from '../../fhir/search-parameters';

/**
 * The slim search index (docs/decisions/0007-search.md, "Each value once"), converting the rows an
 * existing database holds, in SQL (no resource is re-read):
 * - rows of alias parameters (`patient`, `practitioner`, `phonetic`, `combo-*`) are deleted: they are
 *   the rows of the parameters they are made of, which searches now read (search-parameters.ts Storage);
 * - a resource whose region rows are one code per level, each the 2/4/6-digit prefix of one 10-digit
 *   village code, gets one `area` row instead of the four (what the indexer writes for such an address);
 *   any other resource keeps its level rows, which searches still read;
 * - indexes no query uses are dropped (measured: pg_stat_user_indexes after the search, export, API,
 *   security and PWS tests and the benches; figures in decision 0007).
 */
/**
 * No query can use these since the access filter became planner-neutral (`(organization_id || '') =
 * ANY(…)`, `(residence || '') LIKE ANY(…)`, access-sql.ts): every other organisation or residence
 * condition is checked on rows already found by primary key. In the tests' tiny tables the planner
 * still picked the two on `resource` now and then as a mere (resource_type, …) prefix; never on history.
 */
const UNUSED_INDEXES: readonly { name: string; create: string }[] = [
  { name: 'resource_organization_idx', create: 'CREATE INDEX resource_organization_idx ON resource (resource_type, organization_id)' },
  { name: 'resource_residence_idx', create: 'CREATE INDEX resource_residence_idx ON resource (resource_type, residence text_pattern_ops)' },
  { name: 'resource_history_organization_idx', create: 'CREATE INDEX resource_history_organization_idx ON resource_history (resource_type, organization_id)' },
  { name: 'resource_history_residence_idx', create: 'CREATE INDEX resource_history_residence_idx ON resource_history (resource_type, residence text_pattern_ops)' },
];

const TABLES = { token: 'search_token', string: 'search_string', reference: 'search_reference', date: 'search_date', quantity: 'search_quantity' } as const;
const COLUMNS = {
  token: 'system, value', string: 'value, exact', reference: 'target_type, target_id', date: 'low, high', quantity: 'value, system, unit',
} as const;

interface Alias { table: keyof typeof TABLES; resourceType: string; code: string; codes: readonly string[]; targetType?: string }

/** The alias parameters of the registry this code runs with: the query side of this version reads their rows elsewhere. */
function aliases(): Alias[] {
  return SEARCHABLE_TYPES.flatMap((resourceType) => searchParamsOf(resourceType)
    .filter((p) => p.source === 'fhirpath' && !p.storage.written)
    .map((p): Alias => ({ table: TABLE_OF[p.type], resourceType, code: p.code, codes: p.storage.codes, ...(p.storage.targetType ? { targetType: p.storage.targetType } : {}) })));
}

const LEVEL_DIGITS = { province: 2, city: 4, district: 6, village: AREA_LEAF_DIGITS } as const;

/** One `area` row for every resource whose level rows are exactly one consistent address; its level rows go. */
const COLLAPSE_AREA = `
  WITH levels AS (
    SELECT resource_type, id,
      ${REGION_LEVELS.map((l) => `count(DISTINCT value) FILTER (WHERE code = '${l}') AS n_${l}, max(value) FILTER (WHERE code = '${l}') AS ${l}`).join(',\n      ')},
      bool_and(system = '') AS plain
      FROM search_token WHERE code IN (${REGION_LEVELS.map((l) => `'${l}'`).join(', ')})
     GROUP BY resource_type, id),
  consistent AS (
    SELECT resource_type, id, village FROM levels
     WHERE plain AND ${REGION_LEVELS.map((l) => `n_${l} = 1`).join(' AND ')}
       AND village ~ '^[0-9]{${AREA_LEAF_DIGITS}}$'
       AND ${REGION_LEVELS.filter((l) => l !== 'village').map((l) => `${l} = substr(village, 1, ${LEVEL_DIGITS[l]})`).join(' AND ')}),
  gone AS (
    DELETE FROM search_token t USING consistent c
     WHERE t.resource_type = c.resource_type AND t.id = c.id AND t.code IN (${REGION_LEVELS.map((l) => `'${l}'`).join(', ')}))
  INSERT INTO search_token (resource_type, id, code, system, value)
  SELECT c.resource_type, c.id, '${AREA_CODE}', '', c.village FROM consistent c`;

const EXPAND_AREA = `
  WITH area AS (DELETE FROM search_token WHERE code = '${AREA_CODE}' RETURNING resource_type, id, value)
  INSERT INTO search_token (resource_type, id, code, system, value)
  SELECT DISTINCT a.resource_type, a.id, l.code, '', substr(a.value, 1, l.digits) FROM area a,
    (VALUES ${REGION_LEVELS.map((l) => `('${l}', ${LEVEL_DIGITS[l]})`).join(', ')}) AS l(code, digits)`;

export class SearchSlim1733184000000 implements MigrationInterface {
  readonly name = 'SearchSlim1733184000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const a of aliases()) await runner.query(`DELETE FROM ${TABLES[a.table]} WHERE resource_type = $1 AND code = $2`, [a.resourceType, a.code]);
    await runner.query(COLLAPSE_AREA);
    for (const index of UNUSED_INDEXES) await runner.query(`DROP INDEX IF EXISTS ${index.name}`);
  }

  /** Back to one row per parameter: the alias rows copied from the rows they were read from, four level rows per `area` row. */
  async down(runner: QueryRunner): Promise<void> {
    for (const index of UNUSED_INDEXES) await runner.query(index.create.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS'));
    await runner.query(EXPAND_AREA);
    for (const a of aliases()) {
      const cols = COLUMNS[a.table];
      await runner.query(
        `INSERT INTO ${TABLES[a.table]} (resource_type, id, code, ${cols})
         SELECT DISTINCT resource_type, id, $2, ${cols} FROM ${TABLES[a.table]}
          WHERE resource_type = $1 AND code = ANY($3::text[])${a.targetType ? ' AND target_type = $4' : ''}`,
        [a.resourceType, a.code, a.codes, ...(a.targetType ? [a.targetType] : [])]);
    }
  }
}
