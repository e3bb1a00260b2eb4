import type { DataSource } from 'typeorm';
import type { SearchRequest } from '../fhir/search-request';
import type { SearchResult, SearchStore } from './fhir-ports';
import { accessCondition } from './access-sql';
import type { AccessFilter, StoredResource } from './ports';
import { RESOURCE_COLUMNS, toStoredResource, type ResourceRow } from './rows';
import { includeQuery, orderBy, revincludeQuery, SqlBuilder, whereClause } from './search-query';
import { withConnection, type Sql } from './sql';

/** At most this many resources are added by _include/_revinclude per page (search.html#include allows a limit). */
export const INCLUDE_LIMIT = 5000;

/** FHIR search over the index tables; one connection per search, no transaction needed (one snapshot per statement). */
export class SqlSearchStore implements SearchStore {
  constructor(private readonly ds: DataSource) {}

  search(req: SearchRequest, filter?: AccessFilter): Promise<SearchResult> {
    return withConnection(this.ds, (sql) => runSearch(sql, req, filter));
  }
}

/** The search's own conditions AND the caller's access filter: what it may not see never matches (nor counts). */
function filteredWhere(q: SqlBuilder, req: SearchRequest, filter: AccessFilter | undefined): string {
  return `${whereClause(q, req.resourceType, req.filters)}\n  AND ${accessCondition((v) => q.p(v), filter)}`;
}

async function runSearch(sql: Sql, req: SearchRequest, filter: AccessFilter | undefined): Promise<SearchResult> {
  const total = req.summaryCount || req.total === 'accurate' ? await count(sql, req, filter) : undefined;
  if (req.summaryCount) return { matches: [], hasMore: false, included: [], total };
  const q = new SqlBuilder();
  const where = filteredWhere(q, req, filter);
  const order = orderBy(q, req.sort, req.resourceType);
  // One row more than the page: whether a next page exists, without counting.
  const rows = await sql.rows<ResourceRow>(
    `SELECT ${RESOURCE_COLUMNS} FROM resource r WHERE ${where} ORDER BY ${order} LIMIT ${q.p(req.count + 1)} OFFSET ${q.p(req.offset)}`,
    q.params,
  );
  const matches = rows.slice(0, req.count).map(toStoredResource);
  const included = await includes(sql, req, matches, filter);
  // The first page shows the whole result: its size is the total (search.html#total), at no cost.
  const known = total ?? (req.offset === 0 && rows.length <= req.count ? matches.length : undefined);
  return { matches, hasMore: rows.length > req.count, included, total: known };
}

async function count(sql: Sql, req: SearchRequest, filter: AccessFilter | undefined): Promise<number> {
  const q = new SqlBuilder();
  const [row] = await sql.rows<{ n: string }>(`SELECT count(*)::text AS n FROM resource r WHERE ${filteredWhere(q, req, filter)}`, q.params);
  return Number(row?.n ?? 0);
}

/** _include and _revinclude pass through the same access filter: another organisation's resources are silently left out. */
async function includes(sql: Sql, req: SearchRequest, matches: StoredResource[], filter: AccessFilter | undefined): Promise<StoredResource[]> {
  if (matches.length === 0 || (req.include.length === 0 && req.revinclude.length === 0)) return [];
  const ids = matches.map((m) => m.id);
  const seen = new Set(matches.map((m) => `${m.resourceType}/${m.id}`));
  const out: StoredResource[] = [];
  const queries = [
    ...req.include.map((spec) => (q: SqlBuilder) => includeQuery(q, spec, ids, INCLUDE_LIMIT)),
    ...req.revinclude.map((spec) => (q: SqlBuilder) => revincludeQuery(q, spec, req.resourceType, ids, INCLUDE_LIMIT)),
  ];
  for (const build of queries) {
    const q = new SqlBuilder();
    const allowed = accessCondition((v) => q.p(v), filter);
    const where = build(q);
    for (const row of await sql.rows<ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM resource r WHERE ${allowed} AND ${where}`, q.params)) {
      const key = `${row.resource_type}/${row.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(toStoredResource(row));
    }
  }
  return out;
}
