import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { PopulationQuery, PwsScope, YearPopulation } from './pws-ports';
import { inTransaction, json, withConnection, type Sql } from './sql';
import { areaConditions, countsByKey, Params } from './pws-sql';
import { countInMemory, rowsByFact, type VillageRow } from './pws-village-counts';

/**
 * Year membership, pre-aggregated in the visit's own transaction (docs/pws.md, "How a year is
 * counted fast"). A province year counted from contribution rows reads about a million rows and
 * sorts them per population; the plain count(DISTINCT person) over them alone takes 0.7 s on a
 * quiet machine, so no query shape over those rows meets the < 500 ms target (issue 10).
 *
 * Instead, for every registry population and calendar year, `pws_year_member` holds one row per
 * person who meets the population in that year (village = the only village of their rows), and
 * `pws_year_count` their number per village, kept by the same statement from the rows it deletes
 * and inserts: a province year reads a few hundred counts per population. That is exact only for a person whose
 * rows in the year and its widest look-back all lie in ONE village: whether they qualify cannot
 * depend on the area asked (the area holds all their rows or none). Everyone else (a person who
 * moved, or whose address was recorded in two villages) is in `pws_year_mover`, and their rows are
 * counted at query time by the same evaluator as the raw path (countInMemory). The two sets of
 * people are disjoint, so their counts add up, in total and per village: distinct people, exactly.
 */

const pad = (n: number): string => String(n).padStart(2, '0');
const jan1 = (year: number): string => `${year}-01-01`;

/**
 * Rows each village count is spread over (migration 0018). Every new person of a village changes its
 * counts, and a count row stays locked until the changing visit commits: with one row per village,
 * the visits of one village (a Posyandu's month-end upload, the issue #12 load) queued behind each
 * other's COMMIT. A person's changes go to the shard of their key, so two visits of different
 * people of one village meet on a row one time in eight; readers sum the shards. Eight cost a
 * province year read eight rows per village and population instead of one. A power of two: the
 * shard is the key's hash masked.
 */
export const COUNT_SHARDS = 8;
/** The shard of a person's counts, in SQL: PostgreSQL's own text hash, the same in every process and release. */
const shardOf = (personKey: string): string => `(hashtext(${personKey}) & ${COUNT_SHARDS - 1})::smallint`;

/** A change of one village count (one shard of it) of a population and year (refresh, applyCounts). */
export interface CountDelta {
  population: string;
  year: number;
  village_code: string;
  shard: number;
  d: number;
}

/**
 * The membership refresh of some people ($1), with their wanted member rows ($2) and mover rows
 * ($3). Deleted are the rows no longer wanted, inserted those missing: no CTE touches a row another
 * one writes (plan-store.ts WRITE_SQL). Only this process's populations ($4) are touched: a member
 * row of a population another release keeps is that release's. With `applyCounts` the village
 * counts change in the same statement, in key order; without, the changes are returned.
 */
function refreshSql(applyCounts: boolean): string {
  return `WITH m AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS m(population text, year integer, village_code text, person_key text)),
    v AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS v(year integer, person_key text)),
    mgone AS (DELETE FROM pws_year_member x WHERE x.person_key = ANY($1::text[]) AND x.population = ANY($4::text[])
                AND NOT EXISTS (SELECT 1 FROM m WHERE m.population = x.population AND m.year = x.year AND m.village_code = x.village_code AND m.person_key = x.person_key)
                RETURNING x.population, x.year, x.village_code, x.person_key),
    mins AS (INSERT INTO pws_year_member (population, year, village_code, person_key) SELECT population, year, village_code, person_key FROM m
               ON CONFLICT DO NOTHING RETURNING population, year, village_code, person_key),
    delta AS (SELECT population, year, village_code, ${shardOf('person_key')} AS shard, sum(d)::int AS d
                FROM (SELECT population, year, village_code, person_key, -1 AS d FROM mgone UNION ALL SELECT population, year, village_code, person_key, 1 FROM mins) AS x
               GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0),
    ${applyCounts ? `-- In key order, so that two visits changing counts of one village lock them in the same order.
    cnt AS (INSERT INTO pws_year_count AS c (population, year, village_code, shard, people)
              SELECT population, year, village_code, shard, d FROM delta ORDER BY population, year, village_code, shard
              ON CONFLICT (population, year, village_code, shard) DO UPDATE SET people = c.people + EXCLUDED.people),` : ''}
    vgone AS (DELETE FROM pws_year_mover x WHERE x.person_key = ANY($1::text[])
                AND NOT EXISTS (SELECT 1 FROM v WHERE v.year = x.year AND v.person_key = x.person_key)),
    vins AS (INSERT INTO pws_year_mover (year, person_key) SELECT year, person_key FROM v ON CONFLICT DO NOTHING)
  ${applyCounts ? 'SELECT 1' : 'SELECT population, year, village_code, shard, d FROM delta'}`;
}

const REFRESH_APPLYING_COUNTS = refreshSql(true);
const REFRESH_RETURNING_COUNTS = refreshSql(false);

/** As src/pws/query.ts monthsBefore (the store does not import the engine): `from` moved back by whole months. */
function monthsBefore(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) - months;
  return `${Math.floor(total / 12)}-${pad((total % 12) + 1)}-01`;
}

/** The population's identity: the same rule gives the same key in every process and release (sorted facts, fixed member order). */
export function yearKeyOf(p: YearPopulation): string {
  const canonical = JSON.stringify({
    r: p.requirements.map((r) => [[...r.facts].sort(), r.minDates]),
    a: p.age ? [p.age.unit, p.age.min ?? null, p.age.max ?? null, p.age.perFact === true] : null,
    s: p.sex ?? null,
    g: p.pregnant === true,
    l: p.lookbackMonths,
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 24);
}

/** The query of population `p` for calendar year `year`, as the engine builds it (engine.ts queryOf). */
export function yearQuery(p: YearPopulation, year: number): PopulationQuery {
  const from = jan1(year);
  return {
    requirements: p.requirements,
    ...(p.age ? { age: p.age } : {}),
    ...(p.sex ? { sex: p.sex } : {}),
    ...(p.pregnant ? { pregnant: true } : {}),
    from, to: jan1(year + 1), lookbackFrom: monthsBefore(from, p.lookbackMonths),
  };
}

/** A query for one whole calendar year, as a year population and its year; anything else (a month, year to date) is not one. */
export function asYearPopulation(q: PopulationQuery): { year: number; population: YearPopulation } | undefined {
  const m = /^(\d{4})-01-01$/.exec(q.from);
  if (!m) return undefined;
  const year = Number(m[1]);
  if (q.to !== jan1(year + 1)) return undefined;
  const [ly, lm] = q.lookbackFrom.split('-').map(Number) as [number, number];
  if (!/^\d{4}-\d{2}-01$/.test(q.lookbackFrom)) return undefined;
  const lookbackMonths = (year - ly) * 12 - (lm - 1);
  if (lookbackMonths < 0) return undefined;
  return {
    year,
    population: {
      requirements: q.requirements, lookbackMonths,
      ...(q.age ? { age: q.age } : {}), ...(q.sex ? { sex: q.sex } : {}), ...(q.pregnant ? { pregnant: true } : {}),
    },
  };
}

const isSimple = (q: PopulationQuery): boolean => q.requirements.length === 1 && (q.requirements[0]?.minDates ?? 1) <= 1 && q.lookbackFrom === q.from;
const EVERYONE: PwsScope = { areaPrefix: '', organizations: 'all', regions: 'all' };

const ROW_COLUMNS = 'person_key, village_code, fact, local_date::text AS d, age_days, age_months, age_years, sex, pregnant, organization_id';

interface Member { population: string; year: number; village_code: string; person_key: string }
interface Mover { year: number; person_key: string }

/** One rule's key with the rule. */
interface Keyed { key: string; population: YearPopulation }

export class PwsYearMembers {
  private readonly keyed: Keyed[];
  /** Months the widest look-back reaches before 1 January. */
  private readonly widestMonths: number;
  /** A row can decide membership this many years after its own (a look-back of 12 months: the next year). */
  private readonly reachYears: number;
  private readonly byKey: Map<string, YearPopulation>;

  constructor(populations: readonly YearPopulation[]) {
    const byKey = new Map<string, YearPopulation>();
    for (const p of populations) byKey.set(yearKeyOf(p), p);
    this.byKey = byKey;
    this.keyed = [...byKey].map(([key, population]) => ({ key, population }));
    this.widestMonths = Math.max(0, ...populations.map((p) => p.lookbackMonths));
    this.reachYears = Math.ceil(this.widestMonths / 12);
  }

  get size(): number {
    return this.keyed.length;
  }

  keyOf(p: YearPopulation): string | undefined {
    const key = yearKeyOf(p);
    return this.byKey.has(key) ? key : undefined;
  }

  /** Every membership and mover row of these people's contribution rows (all their rows, all years). */
  evaluate(rows: readonly VillageRow[]): { members: Member[]; movers: Mover[] } {
    const byPerson = new Map<string, VillageRow[]>();
    for (const r of rows) {
      const list = byPerson.get(r.person_key);
      if (list) list.push(r);
      else byPerson.set(r.person_key, [r]);
    }
    const members: Member[] = [];
    const movers: Mover[] = [];
    for (const [person, own] of byPerson) {
      const years = new Set<number>();
      for (const r of own) {
        const y = Number(r.d.slice(0, 4));
        for (let k = 0; k <= this.reachYears; k++) years.add(y + k);
      }
      for (const year of years) {
        const from = monthsBefore(jan1(year), this.widestMonths);
        const to = jan1(year + 1);
        const inWindow = own.filter((r) => r.d >= from && r.d < to);
        const villages = new Set(inWindow.map((r) => r.village_code));
        if (villages.size === 0) continue;
        if (villages.size > 1) {
          movers.push({ year, person_key: person });
          continue;
        }
        const byFact = rowsByFact(inWindow);
        for (const { key, population } of this.keyed) {
          const q = yearQuery(population, year);
          const counted = countInMemory(byFact, EVERYONE, q, isSimple(q));
          for (const village of counted.byVillage.keys()) members.push({ population: key, year, village_code: village, person_key: person });
        }
      }
    }
    return { members, movers };
  }

  /**
   * Inside the visit's transaction, after its contribution rows are written: these people's
   * memberships recomputed from all their rows. The caller holds each person's advisory lock
   * (plan-store.ts claim), so two visits of one person never recompute from each other's
   * uncommitted rows; under READ COMMITTED this statement sees every committed row of theirs.
   *
   * The village counts are the only rows other people's visits write too (every new person of a
   * village moves them). They are changed in the same statement when `deferred` is absent (one
   * visit per transaction: this is its last statement, so the count rows are locked only until the
   * commit, and only one of a village's COUNT_SHARDS rows); a group transaction passes `deferred`
   * and applies the sum of its plans' changes once, in key order, at its end (applyCounts), so two
   * groups never lock counts in crossing orders.
   */
  async refresh(sql: Sql, personKeys: readonly string[], deferred?: CountDelta[]): Promise<void> {
    if (personKeys.length === 0 || this.keyed.length === 0) return;
    const keys = [...new Set(personKeys)].sort();
    const rows = await sql.rows<VillageRow>(`SELECT ${ROW_COLUMNS} FROM pws_contribution WHERE person_key = ANY($1::text[])`, [keys]);
    const { members, movers } = this.evaluate(rows);
    const params = [keys, json(members), json(movers), this.keyed.map((k) => k.key)];
    if (!deferred) {
      await sql.rows(REFRESH_APPLYING_COUNTS, params);
      return;
    }
    deferred.push(...await sql.rows<CountDelta>(REFRESH_RETURNING_COUNTS, params));
  }

  /** The summed count changes of a group transaction, one statement in key order (see refresh). */
  async applyCounts(sql: Sql, deltas: readonly CountDelta[]): Promise<void> {
    const sums = new Map<string, CountDelta>();
    for (const x of deltas) {
      const key = `${x.population}|${x.year}|${x.village_code}|${x.shard}`;
      const had = sums.get(key);
      if (had) had.d += x.d;
      else sums.set(key, { ...x });
    }
    const changed = [...sums.values()].filter((x) => x.d !== 0);
    if (changed.length === 0) return;
    await sql.rows(
      `INSERT INTO pws_year_count AS c (population, year, village_code, shard, people)
         SELECT population, year, village_code, shard, d FROM jsonb_to_recordset($1::jsonb) AS x(population text, year integer, village_code text, shard smallint, d integer)
          ORDER BY population, year, village_code COLLATE "C", shard
       ON CONFLICT (population, year, village_code, shard) DO UPDATE SET people = c.people + EXCLUDED.people`,
      [json(changed)],
    );
  }

  /**
   * Builds the tables from every contribution row when the registry's populations are not all
   * built (a new database, a new or changed rule, or `force` after rows were loaded behind the
   * write path, as the benchmark's seed does). Runs at start-up before the gateway serves, in one
   * transaction: a reader sees the old tables or the new ones.
   */
  async rebuild(ds: DataSource, opts: { force?: boolean; batch?: number } = {}): Promise<{ built: boolean; people: number; members: number; movers: number }> {
    // A gateway opened without populations (PWS off, or a tool) keeps nothing up to date, and must not empty the tables of those that do.
    if (this.keyed.length === 0) return { built: false, people: 0, members: 0, movers: 0 };
    const built = await withConnection(ds, (sql) => sql.rows<{ population: string }>('SELECT population FROM pws_year_population'));
    const have = new Set(built.map((r) => r.population));
    const current = this.keyed.every((k) => have.has(k.key)) && have.size === this.keyed.length;
    if (current && !opts.force) return { built: false, people: 0, members: 0, movers: 0 };
    const batch = opts.batch ?? 2000;
    return inTransaction(ds, async (sql) => {
      await sql.rows('DELETE FROM pws_year_member');
      await sql.rows('DELETE FROM pws_year_count');
      await sql.rows('DELETE FROM pws_year_mover');
      await sql.rows('DELETE FROM pws_year_population');
      let last = '';
      let people = 0;
      let members = 0;
      let movers = 0;
      for (;;) {
        const page = await sql.rows<{ person_key: string }>(
          'SELECT DISTINCT person_key FROM pws_contribution WHERE person_key > $1 ORDER BY person_key LIMIT $2', [last, batch]);
        if (page.length === 0) break;
        const keys = page.map((r) => r.person_key);
        last = keys[keys.length - 1]!;
        people += keys.length;
        const rows = await sql.rows<VillageRow>(`SELECT ${ROW_COLUMNS} FROM pws_contribution WHERE person_key = ANY($1::text[])`, [keys]);
        const out = this.evaluate(rows);
        members += out.members.length;
        movers += out.movers.length;
        await sql.rows(
          `WITH m AS (INSERT INTO pws_year_member (population, year, village_code, person_key)
              SELECT population, year, village_code, person_key FROM jsonb_to_recordset($1::jsonb) AS m(population text, year integer, village_code text, person_key text))
           INSERT INTO pws_year_mover (year, person_key) SELECT year, person_key FROM jsonb_to_recordset($2::jsonb) AS v(year integer, person_key text)`,
          [json(out.members), json(out.movers)],
        );
      }
      await sql.rows(`INSERT INTO pws_year_count (population, year, village_code, shard, people)
        SELECT population, year, village_code, ${shardOf('person_key')}, count(*)::int FROM pws_year_member GROUP BY 1, 2, 3, 4`);
      await sql.rows(
        `INSERT INTO pws_year_population (population, definition, built_at)
         SELECT k.population, k.definition, now() FROM jsonb_to_recordset($1::jsonb) AS k(population text, definition jsonb)`,
        [json(this.keyed.map((k) => ({ population: k.key, definition: k.population })))],
      );
      // Fresh statistics: the planner otherwise guesses at tables it has never seen filled.
      await sql.rows('ANALYZE pws_year_member, pws_year_count, pws_year_mover');
      return { built: true, people, members, movers };
    });
  }

  /** Keys built and ready to be read (a rule added since the last build is counted from raw rows until the next start). */
  async ready(sql: Sql): Promise<Set<string>> {
    const rows = await sql.rows<{ population: string }>('SELECT population FROM pws_year_population');
    return new Set(rows.map((r) => r.population).filter((k) => this.byKey.has(k)));
  }

  /**
   * Counts of year populations (every organisation's view; regions applied): members per village
   * (one statement for all, from pws_year_count), plus the movers' rows of the year and look-back
   * counted in memory.
   */
  async count(sql: Sql, scope: PwsScope, year: number, items: readonly { key: string; q: PopulationQuery }[]): Promise<{ total: number; byVillage: Map<string, number> }[]> {
    const mp = new Params();
    const memberWhere = [`population = ANY(${mp.add(items.map((i) => i.key))}::text[])`, `year = ${mp.add(year)}`, ...areaConditions(scope, mp)];
    const memberSql = {
      text: `SELECT population, village_code, sum(people)::int AS n FROM pws_year_count WHERE ${memberWhere.join(' AND ')}
              GROUP BY population, village_code HAVING sum(people) > 0`,
      values: mp.values,
    };
    const vp = new Params();
    const facts = [...new Set(items.flatMap((i) => i.q.requirements.flatMap((r) => r.facts)))];
    const from = items.map((i) => i.q.lookbackFrom).reduce((a, b) => (a < b ? a : b));
    const moverWhere = [`m.year = ${vp.add(year)}`, `c.fact = ANY(${vp.add(facts)}::text[])`, `c.local_date >= ${vp.add(from)}::date`, `c.local_date < ${vp.add(jan1(year + 1))}::date`, ...areaConditions(scope, vp, 'c.village_code')];
    const moverSql = {
      text: `SELECT c.person_key, c.village_code, c.fact, c.local_date::text AS d, c.age_days, c.age_months, c.age_years, c.sex, c.pregnant, c.organization_id
               FROM pws_year_mover m JOIN pws_contribution c ON c.person_key = m.person_key WHERE ${moverWhere.join(' AND ')}`,
      values: vp.values,
    };
    const memberRows = await sql.rows<{ population: string; village_code: string; n: number }>(memberSql.text, memberSql.values);
    const moverRows = rowsByFact(await sql.rows<VillageRow>(moverSql.text, moverSql.values));
    const byPopulation = countsByKey(memberRows.map((r) => ({ key: r.population, village: r.village_code, n: r.n })));
    return items.map(({ key, q }) => {
      const base = byPopulation.get(key);
      const moved = countInMemory(moverRows, scope, q, isSimple(q));
      const byVillage = new Map(base?.byVillage ?? []);
      for (const [v, n] of moved.byVillage) byVillage.set(v, (byVillage.get(v) ?? 0) + n);
      return { total: (base?.total ?? 0) + moved.total, byVillage };
    });
  }
}
