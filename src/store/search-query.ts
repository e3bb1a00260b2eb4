import { AREA_CODE, AREA_LEAF_DIGITS, searchParam, type SearchParam } from '../fhir/search-parameters';
import type { Filter, IncludeSpec, Range, SearchRequest, SortKey, TokenValue } from '../fhir/search-request';

/**
 * SQL for a parsed FHIR search (FHIR R4 search.html) over the index tables of migration 0003.
 * Each parameter becomes one EXISTS over its table; comma-separated values are ORed inside it and
 * repeated parameters are ANDed (search.html#combining). Values travel as bind parameters only.
 */
export class SqlBuilder {
  readonly params: unknown[] = [];

  /** A bind placeholder for `value`. */
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

const INDEX_TABLE = { token: 'search_token', string: 'search_string', reference: 'search_reference', date: 'search_date', quantity: 'search_quantity' };

/**
 * The stored rows of a parameter (search-parameters.ts `Storage`): its own code, or the codes of the
 * parameters an alias is made of, narrowed to one target type. Unknown codes read their own rows.
 */
function storageOf(resourceType: string, code: string): { codes: readonly string[]; targetType?: string; param?: SearchParam } {
  const param = searchParam(resourceType, code);
  return param ? { ...param.storage, param } : { codes: [code] };
}

/** `x.code = …` for the stored codes of a parameter, plus the target-type narrowing of an alias. */
function codeCondition(q: SqlBuilder, resourceType: string, code: string, alias = 'x'): string {
  const { codes, targetType } = storageOf(resourceType, code);
  const match = codes.length === 1 ? `${alias}.code = ${q.p(codes[0])}` : `${alias}.code = ANY(${q.p(codes)}::text[])`;
  return targetType === undefined ? match : `${match} AND ${alias}.target_type = ${q.p(targetType)}`;
}

function exists(q: SqlBuilder, resourceType: string, table: string, code: string, condition: string): string {
  return `EXISTS (SELECT 1 FROM ${table} x WHERE x.resource_type = r.resource_type AND x.id = r.id AND ${codeCondition(q, resourceType, code)} AND (${condition}))`;
}

/**
 * A region level over its own rows OR over the `area` rows (one 10-digit village code per consistent
 * address, search-values.ts): `district=350801` is the code range 3508010000–3508019999 there. A value
 * that is not a code of the level's length cannot be the prefix of a stored village code.
 */
function areaExists(q: SqlBuilder, code: string, digits: number, values: readonly TokenValue[], condition: (t: TokenValue) => string): string {
  const own = `x.code = ${q.p(code)} AND ${any(values.map(condition))}`;
  const shape = new RegExp(`^\\d{${digits}}$`);
  const area = values.flatMap((t) => {
    const parts: string[] = [];
    if (t.code !== undefined) {
      if (digits === AREA_LEAF_DIGITS) parts.push(`x.value = ${q.p(t.code)}`);
      else if (shape.test(t.code)) {
        const rest = AREA_LEAF_DIGITS - digits;
        parts.push(`x.value BETWEEN ${q.p(t.code + '0'.repeat(rest))} AND ${q.p(t.code + '9'.repeat(rest))}`);
      } else return [];
    }
    if (t.system !== undefined) parts.push(`x.system = ${q.p(t.system)}`);
    return [parts.length > 0 ? `(${parts.join(' AND ')})` : 'true'];
  });
  const branches = [`(${own})`, ...(area.length > 0 ? [`(x.code = ${q.p(AREA_CODE)} AND ${any(area)})`] : [])];
  return `EXISTS (SELECT 1 FROM search_token x WHERE x.resource_type = r.resource_type AND x.id = r.id AND ${any(branches)})`;
}

const any = (parts: string[]): string => (parts.length === 1 ? (parts[0] ?? 'false') : `(${parts.join(' OR ')})`);

/**
 * A target covering [lo, hi) against a search range [pl, ph) (search.html#prefix): eq = the search
 * range contains the target; gt/lt = the target reaches above ph / below pl; ge/le = it reaches
 * pl or later / before ph (eq or gt, eq or lt, read inclusively as most servers do); sa/eb = entirely
 * after/before; ap = the ranges overlap. Used for `_lastUpdated` (a B-tree column).
 */
export function rangeCondition(q: SqlBuilder, r: Range, lo: string, hi: string, cast: string): string {
  // Placeholders are made only when used: PostgreSQL cannot type a bind parameter no clause mentions.
  const pl = (): string => `${q.p(r.low)}::${cast}`;
  const ph = (): string => `${q.p(r.high)}::${cast}`;
  const eq = (): string => `(${lo} >= ${pl()} AND ${hi} <= ${ph()})`;
  switch (r.prefix) {
    case 'eq': return eq();
    case 'ne': return `NOT ${eq()}`;
    case 'gt': return `${hi} > ${ph()}`;
    case 'lt': return `${lo} < ${pl()}`;
    case 'ge': return `${hi} > ${pl()}`;
    case 'le': return `${lo} < ${ph()}`;
    case 'sa': return `${lo} >= ${ph()}`;
    case 'eb': return `${hi} <= ${pl()}`;
    case 'ap': return `(${lo} < ${ph()} AND ${hi} > ${pl()})`;
  }
}

/**
 * The same semantics as rangeCondition, written as range operators (overlaps, contained by) on
 * `tstzrange(x.low, x.high)`, so that the GiST index of search_date answers them.
 */
export function dateRangeCondition(q: SqlBuilder, r: Range): string {
  const target = "tstzrange(x.low, x.high, '[)')";
  const range = (from: string | null, to: string | null): string =>
    `tstzrange(${from === null ? "'-infinity'" : `${q.p(from)}::timestamptz`}, ${to === null ? "'infinity'" : `${q.p(to)}::timestamptz`}, '[)')`;
  switch (r.prefix) {
    case 'eq': return `${target} <@ ${range(r.low, r.high)}`;
    case 'ne': return `NOT ${target} <@ ${range(r.low, r.high)}`;
    case 'gt': return `${target} && ${range(r.high, null)}`;
    case 'lt': return `${target} && ${range(null, r.low)}`;
    case 'ge': return `${target} && ${range(r.low, null)}`;
    case 'le': return `${target} && ${range(null, r.high)}`;
    case 'sa': return `${target} <@ ${range(r.high, null)}`;
    case 'eb': return `${target} <@ ${range(null, r.low)}`;
    case 'ap': return `${target} && ${range(r.low, r.high)}`;
  }
}

/**
 * A quantity is a point: gt/lt/ge/le compare with the number itself, eq/ne/ap with the interval its
 * precision implies (search.html#number: 100 matches [99.5, 100.5)).
 */
function pointCondition(q: SqlBuilder, r: Range): string {
  const mid = (): string => `((${q.p(r.low)}::numeric + ${q.p(r.high)}::numeric) / 2)`;
  const within = (): string => `(x.value >= ${q.p(r.low)}::numeric AND x.value < ${q.p(r.high)}::numeric)`;
  switch (r.prefix) {
    case 'gt': case 'sa': return `x.value > ${mid()}`;
    case 'lt': case 'eb': return `x.value < ${mid()}`;
    case 'ge': return `x.value >= ${mid()}`;
    case 'le': return `x.value <= ${mid()}`;
    case 'ne': return `NOT ${within()}`;
    default: return within();
  }
}

function tokenCondition(q: SqlBuilder, t: TokenValue): string {
  const parts: string[] = [];
  if (t.code !== undefined) parts.push(`x.value = ${q.p(t.code)}`);
  if (t.system !== undefined) parts.push(`x.system = ${q.p(t.system)}`);
  return parts.length > 0 ? `(${parts.join(' AND ')})` : 'true';
}

/** LIKE patterns match literally: % and _ in a value are escaped. */
const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filterCondition(q: SqlBuilder, resourceType: string, f: Filter): string {
  const area = f.kind === 'token' || f.kind === 'missing' ? searchParam(resourceType, f.code)?.area : undefined;
  switch (f.kind) {
    case 'id':
      return `r.id = ANY(${q.p(f.ids)}::text[])`;
    case 'lastUpdated':
      return any(f.ranges.map((r) => rangeCondition(q, r, 'r.last_updated', "(r.last_updated + interval '1 millisecond')", 'timestamptz')));
    case 'token': {
      const match = area
        ? areaExists(q, f.code, area.digits, f.values, (t) => tokenCondition(q, t))
        : exists(q, resourceType, INDEX_TABLE.token, f.code, any(f.values.map((t) => tokenCondition(q, t))));
      // :not also matches resources without the element (search.html#token).
      return f.not ? `NOT ${match}` : match;
    }
    case 'string': {
      const column = f.mode === 'exact' ? 'x.exact' : 'x.value';
      const pattern = (v: string): string => (f.mode === 'exact' ? v : f.mode === 'start' ? `${likeEscape(v)}%` : `%${likeEscape(v)}%`);
      return exists(q, resourceType, INDEX_TABLE.string, f.code, any(f.values.map((v) => `${column} ${f.mode === 'exact' ? '=' : 'LIKE'} ${q.p(pattern(v))}`)));
    }
    case 'reference':
      return exists(q, resourceType, INDEX_TABLE.reference, f.code, any(f.values.map((v) =>
        v.type ? `(x.target_id = ${q.p(v.id)} AND x.target_type = ${q.p(v.type)})` : `x.target_id = ${q.p(v.id)}`)));
    case 'date':
      return exists(q, resourceType, INDEX_TABLE.date, f.code, any(f.ranges.map((r) => dateRangeCondition(q, r))));
    case 'quantity':
      return exists(q, resourceType, INDEX_TABLE.quantity, f.code, any(f.values.map((v) => {
        const parts = [pointCondition(q, v)];
        if (v.system) parts.push(`x.system = ${q.p(v.system)}`);
        if (v.unit) parts.push(`x.unit = ${q.p(v.unit)}`);
        return `(${parts.join(' AND ')})`;
      })));
    case 'missing': {
      const present = area && f.table === 'token' ? areaExists(q, f.code, area.digits, [{}], () => 'true') : exists(q, resourceType, INDEX_TABLE[f.table], f.code, 'true');
      return f.missing ? `NOT ${present}` : present;
    }
  }
}

/**
 * `date=ge…&date=lt…` must hold for one and the same date value, or the two bounds could never use
 * the index together: repeated date parameters of one code are merged into one EXISTS (as HAPI does).
 */
function mergeDates(filters: readonly Filter[]): Filter[][] {
  const out: Filter[][] = [];
  const dates = new Map<string, Filter[]>();
  for (const f of filters) {
    if (f.kind !== 'date') {
      out.push([f]);
      continue;
    }
    const group = dates.get(f.code);
    if (group) group.push(f);
    else {
      const fresh = [f];
      dates.set(f.code, fresh);
      out.push(fresh);
    }
  }
  return out;
}

/**
 * `ge A` and `lt B` on one value are "the value overlaps [A, B)" when A < B: one range condition the
 * planner can estimate (two half-open ones look unselective and lead it to scan by id).
 */
function window(group: Filter[]): { low: string; high: string } | undefined {
  let low = '-infinity';
  let high = 'infinity';
  for (const f of group) {
    const [r, extra] = f.kind === 'date' ? f.ranges : [];
    if (!r || extra) return undefined;
    const [lower, upper] = r.prefix === 'ge' ? [r.low, undefined] : r.prefix === 'gt' ? [r.high, undefined]
      : r.prefix === 'le' ? [undefined, r.high] : r.prefix === 'lt' ? [undefined, r.low] : [null, null];
    if (lower === null) return undefined;
    if (lower !== undefined && (low === '-infinity' || Date.parse(lower) > Date.parse(low))) low = lower;
    if (upper !== undefined && (high === 'infinity' || Date.parse(upper) < Date.parse(high))) high = upper;
  }
  return low !== '-infinity' && high !== 'infinity' && Date.parse(low) < Date.parse(high) ? { low, high } : undefined;
}

function groupCondition(q: SqlBuilder, resourceType: string, group: Filter[]): string {
  const [first] = group;
  if (!first) return 'true';
  if (first.kind !== 'date' || group.length === 1) return filterCondition(q, resourceType, first);
  const both = window(group);
  if (both) return exists(q, resourceType, INDEX_TABLE.date, first.code, dateRangeCondition(q, { prefix: 'ap', ...both }));
  const parts = group.map((f) => (f.kind === 'date' ? any(f.ranges.map((r) => dateRangeCondition(q, r))) : 'true'));
  return exists(q, resourceType, INDEX_TABLE.date, first.code, parts.join(' AND '));
}

/** The WHERE clause of a search, over `resource r`. */
export function whereClause(q: SqlBuilder, resourceType: string, filters: readonly Filter[]): string {
  return [`r.resource_type = ${q.p(resourceType)}`, 'NOT r.deleted', ...mergeDates(filters).map((g) => groupCondition(q, resourceType, g))].join('\n  AND ');
}

/** ORDER BY with `r.id` last, so that every page boundary is stable (offset paging needs a total order). */
export function orderBy(q: SqlBuilder, sort: readonly SortKey[], resourceType: string): string {
  const keys = sort.map((s) => {
    const dir = s.desc ? 'DESC' : 'ASC';
    if (s.key === '_id') return `r.id ${dir}`;
    if (s.key === '_lastUpdated') return `r.last_updated ${dir}`;
    const agg = s.desc ? 'max(d.high)' : 'min(d.low)';
    return `(SELECT ${agg} FROM search_date d WHERE d.resource_type = r.resource_type AND d.id = r.id AND ${codeCondition(q, resourceType, s.key.date, 'd')}) ${dir} NULLS LAST`;
  });
  if (!sort.some((s) => s.key === '_id')) keys.push('r.id ASC');
  return keys.join(', ');
}

export function includeQuery(q: SqlBuilder, spec: IncludeSpec, ids: string[], limit: number): string {
  const target = spec.targetType ? ` AND s.target_type = ${q.p(spec.targetType)}` : '';
  return `(r.resource_type, r.id) IN (SELECT s.target_type, s.target_id FROM search_reference s
      WHERE s.resource_type = ${q.p(spec.sourceType)} AND ${codeCondition(q, spec.sourceType, spec.code, 's')} AND s.id = ANY(${q.p(ids)}::text[])${target})
    AND NOT r.deleted LIMIT ${limit}`;
}

export function revincludeQuery(q: SqlBuilder, spec: IncludeSpec, matchType: string, ids: string[], limit: number): string {
  return `r.resource_type = ${q.p(spec.sourceType)} AND NOT r.deleted AND r.id IN (SELECT s.id FROM search_reference s
      WHERE s.target_id = ANY(${q.p(ids)}::text[]) AND s.target_type = ${q.p(spec.targetType ?? matchType)}
        AND ${codeCondition(q, spec.sourceType, spec.code, 's')} AND s.resource_type = ${q.p(spec.sourceType)}) LIMIT ${limit}`;
}

export { type SearchRequest };
