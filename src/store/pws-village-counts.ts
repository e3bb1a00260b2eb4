import type { PopulationQuery, PwsScope } from './pws-ports';

/**
 * One village's or kecamatan's indicator set from ONE statement: a village has a few thousand
 * contribution rows a year, so reading them once and counting every population here beats a dozen statements
 * (each a round trip and a plan, which on a loaded machine cost more than the counting). The
 * rules are exactly those of the SQL in pws-store.ts (countSimpleSql, countSql); the integration
 * tests check both paths with the same hand-counted figures (a village, and the areas above it).
 */
export interface VillageRow {
  person_key: string;
  village_code: string;
  fact: string;
  /** YYYY-MM-DD (selected as text: no time-zone conversion). */
  d: string;
  age_days: number;
  age_months: number;
  age_years: number;
  sex: string;
  pregnant: boolean;
  organization_id: string;
}

type Counts = { total: number; byVillage: Map<string, number> };

const AGE = { days: 'age_days', months: 'age_months', years: 'age_years' } as const;

function inBand(q: PopulationQuery, r: VillageRow): boolean {
  if (!q.age) return true;
  const a = r[AGE[q.age.unit]];
  return (q.age.min === undefined || a >= q.age.min) && (q.age.max === undefined || a < q.age.max);
}

function countsOf(people: Map<string, Set<string>>): Counts {
  const byVillage = new Map<string, number>();
  for (const villages of people.values()) for (const v of villages) byVillage.set(v, (byVillage.get(v) ?? 0) + 1);
  return { total: people.size, byVillage };
}

/** The same population as countSql: qualification per person on all their rows in the window; counted in the villages of their rows in the period. */
export function countInMemory(rows: ReadonlyMap<string, readonly VillageRow[]>, scope: PwsScope, q: PopulationQuery, simple: boolean): Counts {
  const facts = [...new Set(q.requirements.flatMap((r) => r.facts))];
  const perFact = simple || q.age?.perFact === true;
  const window = facts.flatMap((f) => rows.get(f) ?? []).filter((r) => r.d >= q.lookbackFrom && r.d < q.to
    && (!q.sex || r.sex === q.sex) && (!q.pregnant || r.pregnant) && (!perFact || inBand(q, r)));
  if (simple) {
    // One fact on one day, every organisation: the rows in the window are the counted ones.
    const people = new Map<string, Set<string>>();
    for (const r of window) {
      const villages = people.get(r.person_key);
      if (villages) villages.add(r.village_code);
      else people.set(r.person_key, new Set([r.village_code]));
    }
    return countsOf(people);
  }
  const orgs = scope.organizations === 'all' ? undefined : new Set(scope.organizations);
  const served = orgs ? new Set(window.filter((r) => orgs.has(r.organization_id)).map((r) => r.person_key)) : undefined;
  const byPerson = new Map<string, VillageRow[]>();
  for (const r of window) {
    if (served && !served.has(r.person_key)) continue;
    const list = byPerson.get(r.person_key);
    if (list) list.push(r);
    else byPerson.set(r.person_key, [r]);
  }
  const people = new Map<string, Set<string>>();
  for (const [person, own] of byPerson) {
    const inPeriod = own.filter((r) => r.d >= q.from && (perFact || inBand(q, r)));
    if (inPeriod.length === 0) continue;
    const meets = q.requirements.every((req) => new Set(own.filter((r) => req.facts.includes(r.fact)).map((r) => r.d)).size >= req.minDates);
    if (meets) people.set(person, new Set(inPeriod.map((r) => r.village_code)));
  }
  return countsOf(people);
}

/** The village's rows by fact, so that each population looks only at the rows of its own facts. */
export function rowsByFact(rows: readonly VillageRow[]): Map<string, VillageRow[]> {
  const out = new Map<string, VillageRow[]>();
  for (const r of rows) {
    const list = out.get(r.fact);
    if (list) list.push(r);
    else out.set(r.fact, [r]);
  }
  return out;
}
