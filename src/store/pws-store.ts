import type { DataSource } from 'typeorm';
import type { PopulationQuery, PwsScope, PwsStore, TargetRow, VisitContributions } from './pws-ports';
import { inTransaction, json, withConnection, type Sql } from './sql';
import { areaConditions, countsByKey, Params } from './pws-sql';
import { countInMemory, rowsByFact, type VillageRow } from './pws-village-counts';
import { asYearPopulation, type PwsYearMembers } from './pws-year';

/** Statements an indicator query runs at once: enough to use both cores, few enough to leave the pool to intake. */
const COUNT_CONNECTIONS = 3;

/**
 * Areas this small (kecamatan, village: at most some tens of thousands of rows a year) are read
 * once and counted in memory: one statement per request. Measured at 1M Observations
 * (docs/performance.md, PWS) on the loaded machine: a kecamatan month 0.3 s in memory against
 * 2.2 s in SQL side by side (less apart at lower load); a kabupaten year is faster in SQL (1.6 s
 * against 3.6 s), so larger areas stay in SQL.
 */
const IN_MEMORY_PREFIX = 6;

const AGE_COLUMN = { days: 'age_days', months: 'age_months', years: 'age_years' } as const;

function ageConditions(q: PopulationQuery, p: Params): string[] {
  const where: string[] = [];
  if (q.age?.min !== undefined) where.push(`${AGE_COLUMN[q.age.unit]} >= ${p.add(q.age.min)}`);
  if (q.age?.max !== undefined) where.push(`${AGE_COLUMN[q.age.unit]} < ${p.add(q.age.max)}`);
  return where;
}

/** Conditions every counted row meets: sex, and pregnancy (a fact recorded in an ibu-hamil visit). */
function rowConditions(q: PopulationQuery, p: Params): string[] {
  const where: string[] = [];
  if (q.sex) where.push(`sex = ${p.add(q.sex)}`);
  if (q.pregnant) where.push('pregnant');
  return where;
}

/** A single "any of these facts in the period" needs no grouping per person: the common, fast case. */
export function isSimple(q: PopulationQuery): boolean {
  return q.requirements.length === 1 && (q.requirements[0]?.minDates ?? 1) <= 1 && q.lookbackFrom === q.from;
}

/**
 * Every simple population of one period in ONE scan: each is a `count(DISTINCT person_key)
 * FILTER (…)` column over the rows of all their facts in the area and period. A village month
 * is then one statement instead of one per indicator. For a simple population the age rule per
 * person and per row select the same people (a person in the band at one of their matching rows).
 * Only for a scope of every organisation: an organisation's view is per person (countSql).
 */
export function countSimpleSql(scope: PwsScope, qs: readonly PopulationQuery[]): { text: string; values: unknown[] } {
  const [first] = qs;
  if (!first || !qs.every((q) => isSimple(q) && q.from === first.from && q.to === first.to)) throw new Error('countSimpleSql takes simple populations of one period');
  if (scope.organizations !== 'all') throw new Error('countSimpleSql counts for every organisation; an organisation\'s view is countSql');
  const p = new Params();
  const facts = [...new Set(qs.flatMap((q) => q.requirements.flatMap((r) => r.facts)))];
  const where = [...areaConditions(scope, p), `fact = ANY(${p.add(facts)}::text[])`, `local_date >= ${p.add(first.from)}::date`, `local_date < ${p.add(first.to)}::date`];
  const columns = qs.map((q, i) => {
    const conditions = [`fact = ANY(${p.add(q.requirements[0]!.facts)}::text[])`, ...ageConditions(q, p), ...rowConditions(q, p)];
    return `count(DISTINCT person_key) FILTER (WHERE ${conditions.join(' AND ')})::int AS q${i}`;
  });
  return { text: `SELECT village_code, ${columns.join(', ')} FROM pws_contribution WHERE ${where.join(' AND ')} GROUP BY ROLLUP (village_code)`, values: p.values };
}

const DAY_MS = 86_400_000;

/**
 * With an age rule per person, rows further from the band than a person can age within the window
 * cannot belong to anyone in the group: leaving them out is exact, and keeps adults' weighings out
 * of SPM-04's scan.
 */
function reachableAges(q: PopulationQuery, p: Params): string[] {
  if (!q.age) return [];
  const days = Math.ceil((Date.parse(q.to) - Date.parse(q.lookbackFrom)) / DAY_MS);
  const margin = { days: days + 1, months: Math.ceil(days / 28) + 1, years: Math.ceil(days / 365) + 1 }[q.age.unit];
  const column = AGE_COLUMN[q.age.unit];
  return [
    ...(q.age.min !== undefined ? [`${column} >= ${p.add(q.age.min - margin)}`] : []),
    ...(q.age.max !== undefined ? [`${column} < ${p.add(q.age.max + margin)}`] : []),
  ];
}

/**
 * A population judged per person: several requirements, repeated dates, a look-back, an age rule
 * per person, or an organisation's view. The person qualifies on all their rows in the area and
 * window [lookbackFrom, to) (every organisation's: a series split across Puskesmas is one series);
 * is in the age group when one matching row inside the period is in the band (unless the age is a
 * deadline per fact); and, for an organisation's view, was served by one of its organisations (it
 * recorded one of the population's facts for the person in the window). Counted in the villages
 * of their matching rows inside the period (docs/decisions/0019-pws.md §7).
 */
export function countSql(scope: PwsScope, q: PopulationQuery): { text: string; values: unknown[] } {
  const p = new Params();
  const facts = [...new Set(q.requirements.flatMap((r) => r.facts))];
  const perFactAge = q.age?.perFact === true;
  const rows = [
    ...areaConditions(scope, p), `fact = ANY(${p.add(facts)}::text[])`, `local_date >= ${p.add(q.lookbackFrom)}::date`, `local_date < ${p.add(q.to)}::date`,
    ...rowConditions(q, p), ...(perFactAge ? ageConditions(q, p) : reachableAges(q, p)),
  ].join(' AND ');
  const served = scope.organizations === 'all' ? ''
    : ` AND person_key IN (SELECT person_key FROM pws_contribution WHERE ${rows} AND organization_id = ANY(${p.add([...scope.organizations])}::text[]))`;
  const inPeriod = [`local_date >= ${p.add(q.from)}::date`, ...(perFactAge ? [] : ageConditions(q, p))].join(' AND ');
  const having = q.requirements.map((r) => `count(DISTINCT local_date) FILTER (WHERE fact = ANY(${p.add(r.facts)}::text[])) >= ${p.add(r.minDates)}`);
  return {
    text: `WITH scoped AS (SELECT person_key, village_code, fact, local_date, age_days, age_months, age_years FROM pws_contribution WHERE ${rows}${served}),
      people AS (SELECT person_key FROM scoped GROUP BY person_key HAVING bool_or(${inPeriod}) AND ${having.join(' AND ')})
      SELECT s.village_code, count(DISTINCT s.person_key)::int AS n FROM scoped s JOIN people USING (person_key)
       WHERE ${inPeriod} GROUP BY ROLLUP (s.village_code)`,
    values: p.values,
  };
}

/** The in-memory path's one statement: every row of the populations' facts in the area (regions applied) over the widest window. */
export function areaRowsSql(scope: PwsScope, qs: readonly PopulationQuery[]): { text: string; values: unknown[] } {
  const p = new Params();
  const facts = [...new Set(qs.flatMap((q) => q.requirements.flatMap((r) => r.facts)))];
  const from = qs.map((q) => q.lookbackFrom).reduce((a, b) => (a < b ? a : b));
  const to = qs.map((q) => q.to).reduce((a, b) => (a > b ? a : b));
  const where = [...areaConditions(scope, p), `fact = ANY(${p.add(facts)}::text[])`, `local_date >= ${p.add(from)}::date`, `local_date < ${p.add(to)}::date`];
  return {
    text: `SELECT person_key, village_code, fact, local_date::text AS d, age_days, age_months, age_years, sex, pregnant, organization_id FROM pws_contribution WHERE ${where.join(' AND ')}`,
    values: p.values,
  };
}

type Counts = { total: number; byVillage: Map<string, number> };

/** ROLLUP rows: one per village, and the grand total (village NULL) counted distinct across villages. */
function countsOf(rows: readonly Record<string, string | number | null>[], column: string): Counts {
  const byVillage = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    const n = Number(r[column] ?? 0);
    if (r.village_code === null) total = n;
    else if (n > 0) byVillage.set(String(r.village_code), n);
  }
  return { total, byVillage };
}

export class SqlPwsStore implements PwsStore {
  /** `year`: the registry's populations counted per calendar year in the write path (pws-year.ts); without it every count reads contribution rows. */
  constructor(private readonly ds: DataSource, private readonly year?: PwsYearMembers) {}

  /**
   * Whole calendar years for every organisation (regions allowed) from the year tables: a few
   * statements whatever the area. The rest (months, year to date, an organisation's view, a rule
   * not built yet) from contribution rows, as before.
   */
  async countMany(scope: PwsScope, qs: readonly PopulationQuery[]): Promise<Counts[]> {
    const year = this.year;
    if (!year || year.size === 0 || scope.organizations !== 'all' || qs.length === 0) return this.countRaw(scope, qs);
    const candidates = qs.map((q, i) => {
      const y = asYearPopulation(q);
      const key = y && year.keyOf(y.population);
      return key && y ? { i, q, key, year: y.year } : undefined;
    }).filter((c): c is NonNullable<typeof c> => c !== undefined);
    if (candidates.length === 0) return this.countRaw(scope, qs);
    const out = new Array<Counts>(qs.length);
    const fast = await withConnection(this.ds, async (sql) => {
      const ready = await year.ready(sql);
      const usable = candidates.filter((c) => ready.has(c.key));
      for (const y of new Set(usable.map((c) => c.year))) {
        const items = usable.filter((c) => c.year === y);
        const counts = await year.count(sql, scope, y, items);
        items.forEach((c, k) => { out[c.i] = counts[k]!; });
      }
      return new Set(usable.map((c) => c.i));
    });
    const rest = qs.map((q, i) => ({ q, i })).filter((x) => !fast.has(x.i));
    if (rest.length > 0) {
      const counts = await this.countRaw(scope, rest.map((x) => x.q));
      rest.forEach((x, k) => { out[x.i] = counts[k]!; });
    }
    return out;
  }

  /**
   * Small areas (a kecamatan or a village: a few thousand rows a year) are one scan for all
   * simple populations of a period; larger areas read each population through its own index
   * range, a few statements at a time, which beats one scan sorting every distinct count at once.
   * Every count from contribution rows: the path the year tables are checked against
   * (test/integration/pws/year-members.test.ts).
   */
  async countRaw(scope: PwsScope, qs: readonly PopulationQuery[]): Promise<Counts[]> {
    if (qs.length === 0) return [];
    if (scope.areaPrefix.length >= IN_MEMORY_PREFIX && qs.length > 0) {
      // A village or kecamatan: its rows once, every population counted from them (pws-village-counts.ts).
      const sql = areaRowsSql(scope, qs);
      const rows = rowsByFact(await withConnection(this.ds, (c) => c.rows<VillageRow>(sql.text, sql.values)));
      return qs.map((q) => countInMemory(rows, scope, q, scope.organizations === 'all' && isSimple(q)));
    }
    const out = new Array<Counts>(qs.length);
    const jobs: { indexes: number[]; sql: { text: string; values: unknown[] }; column: (i: number) => string }[] = [];
    const combine = scope.areaPrefix.length >= 6;
    const simple = (q: PopulationQuery): boolean => scope.organizations === 'all' && isSimple(q);
    const periods = new Map<string, number[]>();
    qs.forEach((q, i) => {
      if (simple(q) && combine) {
        const key = `${q.from}|${q.to}`;
        periods.set(key, [...(periods.get(key) ?? []), i]);
      } else {
        jobs.push({ indexes: [i], sql: simple(q) ? countSimpleSql(scope, [q]) : countSql(scope, q), column: () => (simple(q) ? 'q0' : 'n') });
      }
    });
    for (const indexes of periods.values()) jobs.push({ indexes, sql: countSimpleSql(scope, indexes.map((i) => qs[i]!)), column: (col) => `q${col}` });
    let next = 0;
    const worker = () => withConnection(this.ds, async (sql) => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const rows = await sql.rows<Record<string, string | number | null>>(job.sql.text, job.sql.values);
        job.indexes.forEach((qi, col) => { out[qi] = countsOf(rows, job.column(col)); });
      }
    });
    await Promise.all(Array.from({ length: Math.min(COUNT_CONNECTIONS, jobs.length) }, worker));
    return out;
  }

  async targets(scope: PwsScope, year: number, groups: readonly string[]): Promise<Map<string, { total: number; byVillage: Map<string, number> }>> {
    const p = new Params();
    const where = [...areaConditions(scope, p), `year = ${p.add(year)}`, `target_group = ANY(${p.add([...groups])}::text[])`];
    const rows = await withConnection(this.ds, (sql) =>
      sql.rows<{ village_code: string; target_group: string; count: number }>(
        `SELECT village_code, target_group, count FROM pws_target WHERE ${where.join(' AND ')}`, p.values));
    return countsByKey(rows.map((r) => ({ key: r.target_group, village: r.village_code, n: r.count })));
  }

  async putTargets(rows: readonly TargetRow[]): Promise<void> {
    if (rows.length === 0) return;
    await inTransaction(this.ds, (sql) => sql.rows(
      `INSERT INTO pws_target (village_code, year, target_group, count, updated_at)
       SELECT t.village_code, t.year, t.target_group, t.count, now()
         FROM jsonb_to_recordset($1::jsonb) AS t(village_code text, year integer, target_group text, count integer)
       ON CONFLICT (village_code, year, target_group) DO UPDATE SET count = EXCLUDED.count, updated_at = EXCLUDED.updated_at`,
      [json(rows.map((r) => ({ village_code: r.villageCode, year: r.year, target_group: r.group, count: r.count })))],
    ));
  }
}

/**
 * Inside the visit's own transaction: the submission's previous contribution is replaced by this
 * version's, so a changed visit never counts twice and nothing accepted is missing from the counts.
 * A newborn first recorded by the mother's NIK and later with its own NIK is one person: its
 * earlier rows move to the NIK key (docs/decisions/0019-pws.md).
 */
export async function replaceContributions(sql: Sql, submissionPk: string, c: VisitContributions): Promise<void> {
  await sql.rows('DELETE FROM pws_contribution WHERE submission_pk = $1', [submissionPk]);
  for (const alias of c.aliases) {
    // Only the writer's own rows: another organisation's records are linked by its own visits (or the MPI), never by ours.
    await sql.rows('UPDATE pws_contribution SET person_key = $2 WHERE person_key = $1 AND organization_id = $3', [alias.from, alias.to, alias.organizationId]);
  }
  if (c.rows.length === 0) return;
  await sql.rows(
    `INSERT INTO pws_contribution (submission_pk, fact, person_key, organization_id, village_code, local_date, age_days, age_months, age_years, sex, pregnant)
     SELECT $1, r.fact, r.person_key, r.organization_id, r.village_code, r.local_date, r.age_days, r.age_months, r.age_years, r.sex, r.pregnant
       FROM jsonb_to_recordset($2::jsonb) AS r(fact text, person_key text, organization_id text, village_code text, local_date date,
            age_days integer, age_months integer, age_years integer, sex text, pregnant boolean)
     ON CONFLICT (submission_pk, fact) DO NOTHING`,
    [submissionPk, json(c.rows.map((r) => ({
      fact: r.fact, person_key: r.personKey, organization_id: r.organizationId, village_code: r.villageCode, local_date: r.localDate,
      age_days: r.ageDays, age_months: r.ageMonths, age_years: r.ageYears, sex: r.sex, pregnant: r.pregnant,
    })))],
  );
}
