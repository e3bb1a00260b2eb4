import type { PwsScope } from './pws-ports';

/**
 * SQL pieces both PWS readers build their statements from (pws-store.ts over contribution rows,
 * pws-year.ts over the year tables), so the access filter is written once.
 */

/** Upper bound of a Kemendagri code prefix range: codes are digits, and '~' sorts after them in the C collation. */
export const upper = (prefix: string): string => `${prefix}~`;

/** Collects positional parameters while a WHERE clause is built. */
export class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** The scope's area and regions as SQL conditions on `column` (the access filter applied in SQL, never per handler). */
export function areaConditions(scope: PwsScope, p: Params, column = 'village_code'): string[] {
  const where = [`${column} >= ${p.add(scope.areaPrefix)}`, `${column} < ${p.add(upper(scope.areaPrefix))}`];
  if (scope.regions !== 'all') {
    const ranges = scope.regions.map((r) => `(${column} >= ${p.add(r)} AND ${column} < ${p.add(upper(r))})`);
    where.push(ranges.length > 0 ? `(${ranges.join(' OR ')})` : 'false');
  }
  return where;
}

/** Per-village counts grouped by a key (a target group, a year population): each village's count and their total. */
export function countsByKey(rows: readonly { key: string; village: string; n: number }[]): Map<string, { total: number; byVillage: Map<string, number> }> {
  const out = new Map<string, { total: number; byVillage: Map<string, number> }>();
  for (const r of rows) {
    const c = out.get(r.key) ?? { total: 0, byVillage: new Map<string, number>() };
    c.total += Number(r.n);
    c.byVillage.set(r.village, Number(r.n));
    out.set(r.key, c);
  }
  return out;
}
