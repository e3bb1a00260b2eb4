import type { Bundle } from 'fhir/r4';
import type { DataSource } from 'typeorm';
import { evaluate } from '../../../src/pws/engine';
import { parsePeriod } from '../../../src/pws/query';
import { INDICATOR_RULES } from '../../../src/pws/registry';
import { yearPopulations } from '../../../src/pws/year-populations';
import type { ContributionRow, PopulationQuery, PwsScope, PwsStore, VisitContributions } from '../../../src/store/pws-ports';
import type { SqlPwsStore } from '../../../src/store/pws-store';
import { yearKeyOf, yearQuery } from '../../../src/store/pws-year';
import type { SqlSubmissionStore } from '../../../src/store/submission-store';
import { planSubmission } from '../../../src/write-plan/plan';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

/**
 * The PWS year tables (src/store/pws-year.ts), kept in each visit's transaction, against the raw
 * path over contribution rows (SqlPwsStore.countRaw), on randomised visits written through the
 * real write path (saveSubmission with contributions): people who move between villages of one
 * province and of two provinces, changed visits (another person, village or date, or nothing any
 * more), visits arriving late (dated before ones already stored), newborns re-keyed from the
 * mother's NIK, and visits of the same people written concurrently. Every year population of the
 * registry, in every area level, with regions and with an organisation's view (which is counted
 * from raw rows), must give the same totals and villages.
 * Then hand-counted figures for people who moved (year 2022, below), and the incremental tables must
 * equal a rebuild from scratch.
 */

const VILLAGES = ['3508012001', '3508012002', '3508022001', '3509011001', '3301011001', '3301011002'];
const ORGS = ['10000001', '10000002', '10000003'];
const POPULATIONS = yearPopulations();
const FACTS = [...new Set(POPULATIONS.flatMap((p) => p.requirements.flatMap((r) => r.facts)))];
const EMPTY: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [] };

/** Deterministic (a failure reproduces): mulberry32. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function ageOn(birth: string, date: string): { ageDays: number; ageMonths: number; ageYears: number } {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const months = (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0);
  return { ageDays: Math.round((Date.parse(date) - Date.parse(birth)) / DAY), ageMonths: months, ageYears: Math.floor(months / 12) };
}

interface Person { key: string; birth: string; sex: 'male' | 'female'; home: string; org: string; motherKey?: string }

let db: TestDatabase;
let store: SqlPwsStore;
let saved = 0;
/** The test reads the year tables themselves (the store has no API for them, on purpose). */
const query = (text: string): Promise<Record<string, number | string>[]> => (db as unknown as { ds: DataSource }).ds.query(text);

async function save(org: string, submissionId: string, c: VisitContributions): Promise<void> {
  saved++;
  await db.submissions.saveSubmission({ organizationId: org, submissionId, payload: { n: saved }, payloadHash: `hash-${saved}`, bundle: EMPTY, warnings: [], contributions: c });
}

const scopes: PwsScope[] = [
  ...['', '35', '33', '3508', '3509', '3301', '350801', '350802', '330101', ...VILLAGES].map((areaPrefix) => ({ areaPrefix, organizations: 'all' as const, regions: 'all' as const })),
  { areaPrefix: '35', organizations: 'all', regions: ['3508012001', '350802'] },
  { areaPrefix: '', organizations: 'all', regions: ['3301', '3509011001'] },
  { areaPrefix: '', organizations: 'all', regions: [] },
  { areaPrefix: '35', organizations: [ORGS[0]!], regions: 'all' },
  { areaPrefix: '', organizations: [ORGS[1]!, ORGS[2]!], regions: ['3508'] },
];

const plain = (c: { total: number; byVillage: Map<string, number> }): { total: number; byVillage: Record<string, number> } =>
  ({ total: c.total, byVillage: Object.fromEntries([...c.byVillage].filter(([, n]) => n > 0).sort()) });

async function expectEqualToRaw(years: number[]): Promise<number> {
  let nonEmpty = 0;
  for (const year of years) {
    const qs: PopulationQuery[] = POPULATIONS.map((p) => yearQuery(p, year));
    for (const scope of scopes) {
      const [fast, raw] = await Promise.all([store.countMany(scope, qs), store.countRaw(scope, qs)]);
      expect({ year, scope, counts: fast.map(plain) }).toEqual({ year, scope, counts: raw.map(plain) });
      nonEmpty += raw.filter((c) => c.total > 0).length;
    }
  }
  return nonEmpty;
}

describe(`PWS year membership equals the raw count (${testDbKind()})`, () => {
  beforeAll(async () => {
    db = await openTestDatabase();
    store = db.pws as SqlPwsStore;
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('is built (empty) at migration for every registry population', async () => {
    const built = await query('SELECT count(*)::int AS n FROM pws_year_population');
    expect(built[0]!.n).toBe(new Set(POPULATIONS.map(yearKeyOf)).size);
    expect(built[0]!.n).toBeGreaterThan(40);
    expect(await db.rebuildPwsYear()).toEqual({ built: false, people: 0, members: 0, movers: 0 });
  });

  it('on randomised visits, moves, changed and late visits and re-keyed newborns, on every area, region and organisation view', async () => {
    const rnd = random(20261202);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const people: Person[] = Array.from({ length: 70 }, (_, i) => {
      const young = i % 3 === 0;
      const birth = iso(young ? Date.parse('2024-06-01') + rnd() * 900 * DAY : Date.parse('1950-01-01') + rnd() * 26000 * DAY);
      return { key: `P${i}`, birth, sex: rnd() < 0.5 ? 'male' : 'female', home: pick(VILLAGES), org: pick(ORGS), ...(young && i % 2 === 0 ? { motherKey: `M${i}` } : {}) };
    });
    const visitsOf = new Map<string, number>();
    const visit = (p: Person, opts: { late?: boolean } = {}): VisitContributions => {
      if (rnd() < 0.12) p.home = pick(VILLAGES);
      const village = rnd() < 0.08 ? pick(VILLAGES) : p.home;
      let date = iso(Date.parse('2025-01-01') + rnd() * 729 * DAY);
      if (date < p.birth) date = iso(Date.parse(p.birth) + rnd() * 60 * DAY);
      if (opts.late) date = iso(Math.max(Date.parse(p.birth), Date.parse(date) - 200 * DAY));
      const template = rnd() < 0.4 ? pick(POPULATIONS).requirements.flatMap((r) => r.facts.slice(0, 1 + Math.floor(rnd() * r.facts.length))) : [];
      const facts = [...new Set([...template, ...Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => pick(FACTS))])];
      const n = (visitsOf.get(p.key) ?? 0) + 1;
      visitsOf.set(p.key, n);
      // A newborn's first visits carry the mother's key; from the third its own, re-keying the earlier rows of this organisation.
      const key = p.motherKey && n <= 2 ? p.motherKey : p.key;
      const pregnant = p.sex === 'female' && rnd() < 0.3;
      const rows: ContributionRow[] = facts.map((fact) => ({
        personKey: key, organizationId: p.org, villageCode: village, localDate: date, ...ageOn(p.birth, date), sex: p.sex, pregnant, fact,
      }));
      const aliases = p.motherKey && n > 2 ? [{ from: p.motherKey, to: p.key, organizationId: p.org }] : [];
      return { rows, aliases };
    };
    const submissions: { org: string; id: string }[] = [];
    for (let i = 0; i < 260; i++) {
      const p = pick(people);
      const org = rnd() < 0.8 ? p.org : pick(ORGS);
      const id = `V${i}`;
      submissions.push({ org, id });
      const c = visit(p, { late: i > 150 && rnd() < 0.5 });
      await save(org, id, { ...c, rows: c.rows.map((r) => ({ ...r, organizationId: org })), aliases: c.aliases.map((a) => ({ ...a, organizationId: org })) });
    }
    // Changed visits: another person, village or date; some contribute nothing any more.
    for (let i = 0; i < 60; i++) {
      const s = pick(submissions);
      const c = rnd() < 0.15 ? { rows: [], aliases: [] } : visit(pick(people));
      await save(s.org, s.id, { rows: c.rows.map((r) => ({ ...r, organizationId: s.org })), aliases: [] });
    }
    // Visits of the same people at once (PostgreSQL: concurrent transactions; each person's recomputation waits for the other's commit).
    const busy = people.slice(0, 4);
    await Promise.all(Array.from({ length: 16 }, (_, i) => {
      const p = busy[i % busy.length]!;
      const c = visit(p);
      return save(p.org, `C${i}`, { rows: c.rows.map((r) => ({ ...r, organizationId: p.org })), aliases: c.aliases.map((a) => ({ ...a, organizationId: p.org })) });
    }));
    const nonEmpty = await expectEqualToRaw([2025, 2026, 2027]);
    // The comparison is not vacuous: many populations have people in most scopes.
    expect(nonEmpty).toBeGreaterThan(500);
    const movers = await query('SELECT count(*)::int AS n FROM pws_year_mover');
    const members = await query('SELECT count(*)::int AS n FROM pws_year_member');
    expect(movers[0]!.n).toBeGreaterThan(10);
    expect(members[0]!.n).toBeGreaterThan(100);

    // The whole engine (every indicator, totals and villages) for a year, fast against raw.
    const raw: PwsStore = { countMany: (s, q) => store.countRaw(s, q), targets: (s, y, g) => store.targets(s, y, g), putTargets: (r) => store.putTargets(r) };
    for (const areaPrefix of ['', '35', '3508']) {
      const scope: PwsScope = { areaPrefix, organizations: 'all', regions: 'all' };
      const [a, b] = await Promise.all([evaluate(store, scope, parsePeriod('2026') as never), evaluate(raw, scope, parsePeriod('2026') as never)]);
      expect({ total: a.total, villages: [...a.byVillage] }).toEqual({ total: b.total, villages: [...b.byVillage] });
      expect(a.total).toHaveLength(INDICATOR_RULES.length);
    }

    // What the write path kept equals a rebuild from every row.
    const snapshot = async (): Promise<unknown[]> => [
      ...(await query('SELECT population, year, village_code, person_key FROM pws_year_member ORDER BY 1, 2, 3, 4')),
      ...(await query('SELECT year, person_key FROM pws_year_mover ORDER BY 1, 2')),
      // Each person's changes go to their own shard (migration 0018): every shard is a count, never below zero.
      ...(await query('SELECT population, year, village_code, shard, people FROM pws_year_count WHERE people <> 0 ORDER BY 1, 2, 3, 4')),
    ];
    const incremental = await snapshot();
    const rebuilt = await db.rebuildPwsYear({ force: true, batch: 7 });
    expect(rebuilt.built).toBe(true);
    expect(await snapshot()).toEqual(incremental);
  }, 300_000);

  it('counts a person who moved once per area (hand-counted, 2022: PTM screening, people 15+ with a blood pressure measured)', async () => {
    const rule = INDICATOR_RULES.find((r) => r.code === 'PWS-K3-PTM-SCREENED')!;
    const population = yearPopulations([rule]).at(-1)!;
    expect(population.requirements[0]!.facts).toContain('item:systolic-bp');
    const row = (person: string, village: string, date: string): ContributionRow => ({
      personKey: person, organizationId: ORGS[0]!, villageCode: village, localDate: date, ageDays: 40 * 365, ageMonths: 480, ageYears: 40, sex: 'female', pregnant: false, fact: 'item:systolic-bp',
    });
    const one = (r: ContributionRow): VisitContributions => ({ rows: [r], aliases: [] });
    // H1 moved within kabupaten 3508; H2 from province 35 to 33; H3's visit was corrected to another village; H4's February visit arrived after September's.
    await save(ORGS[0]!, 'H1a', one(row('H1', '3508012001', '2022-01-15')));
    await save(ORGS[0]!, 'H1b', one(row('H1', '3508022001', '2022-06-15')));
    await save(ORGS[0]!, 'H2a', one(row('H2', '3508012001', '2022-03-15')));
    await save(ORGS[0]!, 'H2b', one(row('H2', '3301011001', '2022-07-15')));
    await save(ORGS[0]!, 'H3', one(row('H3', '3508012001', '2022-04-15')));
    await save(ORGS[0]!, 'H3', one(row('H3', '3301011002', '2022-04-15')));
    await save(ORGS[0]!, 'H4b', one(row('H4', '3509011001', '2022-09-15')));
    await save(ORGS[0]!, 'H4a', one(row('H4', '3508012002', '2022-02-15')));
    const q = yearQuery(population, 2022);
    const at = async (areaPrefix: string): Promise<number> => (await store.countMany({ areaPrefix, organizations: 'all', regions: 'all' }, [q]))[0]!.total;
    expect({
      country: await at(''), p35: await at('35'), p33: await at('33'), k3508: await at('3508'), k3509: await at('3509'),
      v3508012001: await at('3508012001'), v3301011002: await at('3301011002'),
    }).toEqual({ country: 4, p35: 3, p33: 2, k3508: 3, k3509: 1, v3508012001: 2, v3301011002: 1 });
    const byVillage = (await store.countMany({ areaPrefix: '35', organizations: 'all', regions: 'all' }, [q]))[0]!.byVillage;
    expect(Object.fromEntries([...byVillage].sort())).toEqual({ '3508012001': 2, '3508012002': 1, '3508022001': 1, '3509011001': 1 });
    // H3 lives in one village: a member row; H1, H2 and H4 are movers of 2022.
    expect(await query(`SELECT person_key FROM pws_year_mover WHERE year = 2022 ORDER BY 1`)).toEqual([{ person_key: 'H1' }, { person_key: 'H2' }, { person_key: 'H4' }]);
    await expectEqualToRaw([2022]);
  });

  it('groups written at once (the $import writers) whose visits cross villages in opposite orders: exact counts, no group falls back', async () => {
    const rule = INDICATOR_RULES.find((r) => r.code === 'PWS-K3-PTM-SCREENED')!;
    const population = yearPopulations([rule]).at(-1)!;
    const forward = ['3508012001', '3508012002', '3508022001', '3509011001', '3301011001', '3301011002'];
    const group = (g: number) => (g % 2 ? [...forward].reverse() : forward).map((village, i) => planSubmission({
      organizationId: ORGS[0]!, submissionId: `G${g}-${i}`, payload: { g, i }, payloadHash: `group-${g}-${i}`, bundle: EMPTY, warnings: [],
      contributions: { rows: [{ personKey: `G${g}-${i}`, organizationId: ORGS[0]!, villageCode: village, localDate: '2023-05-01', ageDays: 40 * 365, ageMonths: 480, ageYears: 40, sex: 'female', pregnant: false, fact: 'item:systolic-bp' }], aliases: [] },
    }));
    const submissions = db.submissions as SqlSubmissionStore;
    const before = submissions.groupFallbacks;
    for (let round = 0; round < 3; round++) {
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, g) => submissions.writeMany(group(round * 6 + g))));
      expect(outcomes.flat().filter((o) => 'error' in o)).toEqual([]);
    }
    // A deadlock between two groups would have rolled one back into the plan-by-plan fallback.
    expect(submissions.groupFallbacks).toBe(before);
    const q = yearQuery(population, 2023);
    const byVillage = (await store.countMany({ areaPrefix: '', organizations: 'all', regions: 'all' }, [q]))[0]!.byVillage;
    expect(Object.fromEntries([...byVillage].sort())).toEqual(Object.fromEntries(forward.map((v) => [v, 18])));
    await expectEqualToRaw([2023]);
  }, 120_000);
});
