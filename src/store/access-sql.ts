import type { AccessFilter } from './ports';

/**
 * The access filter (src/auth/access-decision.ts) as SQL over a row of `resource` or
 * `resource_history` aliased `alias`: the one place rows are filtered by tenant and region, so
 * read, vread, history, search, _include/_revinclude and export cannot disagree. Values travel as
 * bind parameters through `p`.
 */
export function accessCondition(p: (value: unknown) => string, filter: AccessFilter | undefined, alias = 'r'): string {
  if (!filter) return 'true';
  const parts: string[] = [];
  // Written as expressions (`… || ''`) that no index matches: the filter keeps rows out but must never
  // drive the plan. A vendor owns most rows it can see, so an index scan on organization_id chosen on
  // a stale estimate (rows=1) read every Observation of the organisation and joined the search's
  // conditions to each: 31 ms instead of 1 ms for a patient's Observations (bench/audit: 17× slower
  // searches with a vendor token). A NULL column stays NULL (NULL || '' is NULL) and matches nothing, as before.
  if (filter.organizations !== 'all') parts.push(`(${alias}.organization_id || '') = ANY(${p(filter.organizations)}::text[])`);
  // Prefixes are digits (checked when clients are loaded); escaping keeps LIKE literal regardless.
  if (filter.regions !== 'all') parts.push(`(${alias}.residence || '') LIKE ANY(${p(filter.regions.map((r) => `${r.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))}::text[])`);
  return parts.length === 0 ? 'true' : parts.join(' AND ');
}

/** A `$n` placeholder source over a params array (for stores that build SQL without SqlBuilder). */
export function binder(params: unknown[]): (value: unknown) => string {
  return (value) => {
    params.push(value);
    return `$${params.length}`;
  };
}
