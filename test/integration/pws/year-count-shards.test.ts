import type { Bundle } from 'fhir/r4';
import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { INDICATOR_RULES } from '../../../src/pws/registry';
import { yearPopulations } from '../../../src/pws/year-populations';
import type { ContributionRow } from '../../../src/store/pws-ports';
import { COUNT_SHARDS, yearKeyOf, yearQuery } from '../../../src/store/pws-year';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../src/store/migrations';
import { PwsCountShards1733616000000 } from '../../../src/store/migrations/0018-pws-count-shards';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

/**
 * Issue #12: the visits of one village (a Posyandu's month-end upload) all change that village's
 * PWS year counts, and a count row stays locked until the changing visit commits. Migration 0018
 * spreads each count over COUNT_SHARDS rows by person: a visit of another person of the village
 * goes on while one shard is held, a visit whose person hashes to the held shard waits for it.
 * The waiting is tested on PostgreSQL only: PGlite is one session, nothing there runs concurrently.
 */
const VILLAGE = '3508012001';
const ORG = '10000001';
const EMPTY: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [] };
const rule = INDICATOR_RULES.find((r) => r.code === 'PWS-K3-PTM-SCREENED');
const yearPopulation = rule ? yearPopulations([rule]).at(-1) : undefined;
const population = yearPopulation ? yearKeyOf(yearPopulation) : undefined;

const row = (person: string): ContributionRow => ({
  personKey: person, organizationId: ORG, villageCode: VILLAGE, localDate: '2026-03-10', ageDays: 40 * 365, ageMonths: 480, ageYears: 40, sex: 'female', pregnant: false, fact: 'item:systolic-bp',
});

describe(`PWS year counts in shards (${testDbKind()})`, () => {
  let db: TestDatabase;
  let n = 0;
  const save = (person: string): Promise<unknown> => {
    n += 1;
    return db.submissions.saveSubmission({ organizationId: ORG, submissionId: `SHARD-${n}`, payload: { n }, payloadHash: `h-${n}`, bundle: EMPTY, warnings: [], contributions: { rows: [row(person)], aliases: [] } });
  };

  /** The test reads the count rows themselves (the store has no API for them, on purpose). */
  const query = <T>(text: string, params: unknown[] = []): Promise<T[]> => (db as unknown as { ds: DataSource }).ds.query(text, params);
  const shardOf = async (keys: string[]): Promise<{ k: string; s: number }[]> =>
    query(`SELECT k, hashtext(k) & ${COUNT_SHARDS - 1} AS s FROM unnest($1::text[]) AS k`, [keys]);
  const villageRows = (): Promise<{ shard: number; people: number }[]> =>
    query('SELECT shard, people FROM pws_year_count WHERE population = $1 AND year = 2026 AND village_code = $2 AND people <> 0 ORDER BY shard', [population, VILLAGE]);

  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  test('each person counts in the shard of their key; the store reads the sum', async () => {
    expect(yearPopulation).toBeDefined();
    const people = await shardOf(Array.from({ length: 12 }, (_, i) => `SPREAD-${i}`));
    for (const p of people) await save(p.k);
    const expected = new Map<number, number>();
    for (const p of people) expected.set(p.s, (expected.get(p.s) ?? 0) + 1);
    expect(expected.size).toBeGreaterThan(1);
    expect(await villageRows()).toEqual([...expected].sort(([x], [y]) => x - y).map(([shard, n]) => ({ shard, people: n })));
    const [counted] = await db.pws.countMany({ areaPrefix: '3508', organizations: 'all', regions: 'all' }, [yearQuery(yearPopulation!, 2026)]);
    expect(counted?.total).toBe(12);
    expect(counted?.byVillage.get(VILLAGE)).toBe(12);
  });

  test('migration 0018 on stored counts: down sums each village\'s shards, up spreads the members by their key', async () => {
    const ds = (db as unknown as { ds: DataSource }).ds;
    const people = Array.from({ length: 40 }, (_, i) => `MIGRATED-${i}`);
    await ds.query('DELETE FROM pws_year_member WHERE village_code = $1', ['3301011001']);
    await ds.query(`INSERT INTO pws_year_member (population, year, village_code, person_key) SELECT 'mig', 2025, '3301011001', k FROM unnest($1::text[]) AS k`, [people]);
    await ds.query(`INSERT INTO pws_year_count (population, year, village_code, shard, people) VALUES ('mig', 2025, '3301011001', 0, 25), ('mig', 2025, '3301011001', 5, 15)`);
    const laterThan0017 = MIGRATIONS.length - MIGRATIONS.indexOf(PwsCountShards1733616000000);
    for (let i = 0; i < laterThan0017; i++) await ds.undoLastMigration({ transaction: 'all' });
    expect(await query(`SELECT people FROM pws_year_count WHERE population = 'mig'`)).toEqual([{ people: 40 }]);
    await ds.runMigrations({ transaction: 'all' });
    const expected = new Map<number, number>();
    for (const p of await shardOf(people)) expected.set(p.s, (expected.get(p.s) ?? 0) + 1);
    const rows = await query<{ shard: number; people: number }>(`SELECT shard, people FROM pws_year_count WHERE population = 'mig' ORDER BY shard`);
    expect(rows).toEqual([...expected].sort(([x], [y]) => x - y).map(([shard, n]) => ({ shard, people: n })));
    // Every other count was recomputed from its members too: the first test's village is unchanged.
    const [first] = await db.pws.countMany({ areaPrefix: '3508', organizations: 'all', regions: 'all' }, [yearQuery(yearPopulation!, 2026)]);
    expect(first?.byVillage.get(VILLAGE)).toBe(12);
  });

  if (testDbKind() !== 'postgres') return;
  test('a held count shard stops only the visits of people hashed to it', async () => {
    const raw = new Client({ connectionString: db.url });
    await raw.connect();
    try {
      await heldShard(raw);
    } finally {
      await raw.end();
    }
  }, 60_000);

  async function heldShard(raw: Client): Promise<void> {
    const before = new Map((await villageRows()).map((r) => [r.shard, r.people]));
    const [a, ...rest] = await shardOf(Array.from({ length: 64 }, (_, i) => `PERSON-${i}`));
    const sameShard = rest.find((r) => r.s === a!.s);
    const otherShard = rest.find((r) => r.s !== a!.s);
    expect(sameShard && otherShard).toBeTruthy();

    await save(a!.k);
    await raw.query('BEGIN');
    const held = await raw.query('SELECT people FROM pws_year_count WHERE population = $1 AND year = 2026 AND village_code = $2 AND shard = $3 FOR UPDATE', [population, VILLAGE, a!.s]);
    expect(held.rows).toEqual([{ people: (before.get(a!.s) ?? 0) + 1 }]);

    // Another shard: written while the first is held (with one row per village, this waited).
    const other = await Promise.race([save(otherShard!.k).then(() => 'saved'), sleep(10_000).then(() => 'still waiting after 10 s')]);
    expect(other).toBe('saved');

    // The held shard: waits until the holder ends.
    let done = false;
    const same = save(sameShard!.k).then(() => { done = true; });
    await sleep(1500);
    expect(done).toBe(false);
    await raw.query('ROLLBACK');
    await same;
    expect(done).toBe(true);

    const after = new Map((await villageRows()).map((r) => [r.shard, r.people]));
    const grew = [...after].map(([shard, people]): [number, number] => [shard, people - (before.get(shard) ?? 0)]).filter(([, d]) => d !== 0);
    expect(new Map(grew)).toEqual(new Map([[a!.s, 2], [otherShard!.s, 1]]));
  }
});
