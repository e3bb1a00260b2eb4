import type { DataSource } from 'typeorm';
import type { Range } from '../fhir/search-request';
import type { AuditFilter, AuditPage, AuditQuery, AuditRow, AuditStore, StoredAuditEvent } from './audit-ports';
import { json, withConnection } from './sql';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A batch is one statement with one parameter (a JSON array of rows), whatever its size: no limit
 * on bind parameters, one round trip, one commit.
 */
const INSERT = `
  INSERT INTO audit_event (id, recorded, client_id, subtype, outcome, patient_refs, entity_refs, content)
  SELECT (r->>'id')::uuid, (r->>'recorded')::timestamptz, r->>'clientId',
         ARRAY(SELECT jsonb_array_elements_text(r->'subtypes')), (r->>'outcome')::smallint,
         ARRAY(SELECT jsonb_array_elements_text(r->'patients')), ARRAY(SELECT jsonb_array_elements_text(r->'entities')),
         r->'content'
    FROM jsonb_array_elements($1::jsonb) AS r
  ON CONFLICT (id) DO NOTHING`;

const COLUMNS = 'content, patient_refs AS patients, entity_refs AS entities';

/** A date range against an instant column, per search.html#prefix (the instant is a point). */
function dateCondition(range: Range, p: (v: unknown) => string): string {
  // Only the bounds a prefix uses become parameters (an unused one has no type PostgreSQL can infer).
  const low = (): string => `${p(range.low)}::timestamptz`;
  const high = (): string => `${p(range.high)}::timestamptz`;
  switch (range.prefix) {
    case 'ne': return `NOT (recorded >= ${low()} AND recorded < ${high()})`;
    case 'gt': case 'sa': return `recorded >= ${high()}`;
    case 'lt': case 'eb': return `recorded < ${low()}`;
    case 'ge': return `recorded >= ${low()}`;
    case 'le': return `recorded < ${high()}`;
    default: return `(recorded >= ${low()} AND recorded < ${high()})`;
  }
}

const ARRAY_COLUMN = { entity: 'entity_refs', patient: 'patient_refs', subtype: 'subtype' } as const;

function condition(f: AuditFilter, p: (v: unknown) => string): string {
  switch (f.kind) {
    case 'date': return `(${f.ranges.map((r) => dateCondition(r, p)).join(' OR ')})`;
    case 'altid': return `client_id = ANY(${p(f.values)}::text[])`;
    case 'outcome': return `outcome = ANY(${p(f.values)}::smallint[])`;
    // `&&` (overlap) is what the GIN indexes answer.
    default: return `${ARRAY_COLUMN[f.kind]} && ${p(f.values)}::text[]`;
  }
}

export function auditWhere(query: Pick<AuditQuery, 'filters' | 'onlyClient'>, params: unknown[]): string {
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const conditions = query.filters.map((f) => condition(f, p));
  if (query.onlyClient !== undefined) conditions.push(`client_id = ${p(query.onlyClient)}`);
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

export class SqlAuditStore implements AuditStore {
  constructor(private readonly ds: DataSource) {}

  async insert(rows: readonly AuditRow[]): Promise<void> {
    if (rows.length === 0) return;
    await withConnection(this.ds, (sql) => sql.rows(INSERT, [json(rows)]));
  }

  async search(query: AuditQuery): Promise<AuditPage> {
    const params: unknown[] = [];
    const where = auditWhere(query, params);
    params.push(query.count + 1, query.offset);
    const rows = await withConnection(this.ds, (sql) =>
      sql.rows<StoredAuditEvent>(
        `SELECT ${COLUMNS} FROM audit_event ${where} ORDER BY recorded DESC, id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      ),
    );
    return { events: rows.slice(0, query.count), hasMore: rows.length > query.count };
  }

  async read(id: string, onlyClient?: string): Promise<StoredAuditEvent | undefined> {
    if (!UUID.test(id)) return undefined;
    const params: unknown[] = [id];
    const mine = onlyClient === undefined ? '' : ` AND client_id = $${params.push(onlyClient)}`;
    const [row] = await withConnection(this.ds, (sql) => sql.rows<StoredAuditEvent>(`SELECT ${COLUMNS} FROM audit_event WHERE id = $1${mine}`, params));
    return row;
  }

  async purge(days: number): Promise<number> {
    const rows = await withConnection(this.ds, (sql) =>
      sql.rows<{ n: number }>(
        `WITH gone AS (DELETE FROM audit_event WHERE recorded < now() - make_interval(days => $1::int) RETURNING 1) SELECT count(*)::int AS n FROM gone`,
        [days],
      ),
    );
    return rows[0]?.n ?? 0;
  }
}
