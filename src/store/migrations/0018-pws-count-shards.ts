import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Village counts of the PWS year tables in shards (src/store/pws-year.ts, COUNT_SHARDS). A
 * village's count was one row that every new person's visit of that village updated, so the
 * visits of one village (a Posyandu's month-end upload) queued for that row lock until each
 * other's COMMIT. A person's changes now go to one of eight rows of the village, by the hash of
 * their key, and a reader sums them. The counts are recomputed here from the member rows they count
 * (the write path keeps the two equal), in the shards of the code this migration ships with
 * (pws-year.ts COUNT_SHARDS); readers only rely on the sums.
 */
export class PwsCountShards1733616000000 implements MigrationInterface {
  readonly name = 'PwsCountShards1733616000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE pws_year_count ADD COLUMN shard smallint NOT NULL DEFAULT 0');
    await runner.query('ALTER TABLE pws_year_count DROP CONSTRAINT pws_year_count_pkey');
    await runner.query('ALTER TABLE pws_year_count ADD PRIMARY KEY (population, year, village_code, shard)');
    await runner.query('DELETE FROM pws_year_count');
    await runner.query(`INSERT INTO pws_year_count (population, year, village_code, shard, people)
      SELECT population, year, village_code, (hashtext(person_key) & 7)::smallint, count(*)::int FROM pws_year_member GROUP BY 1, 2, 3, 4`);
  }

  /** Back to one row per village: each village's shards summed into one. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TEMPORARY TABLE pws_year_count_sum AS
      SELECT population, year, village_code, sum(people)::int AS people FROM pws_year_count GROUP BY population, year, village_code`);
    await runner.query('DELETE FROM pws_year_count');
    await runner.query('ALTER TABLE pws_year_count DROP CONSTRAINT pws_year_count_pkey');
    await runner.query('ALTER TABLE pws_year_count DROP COLUMN shard');
    await runner.query('ALTER TABLE pws_year_count ADD PRIMARY KEY (population, year, village_code)');
    await runner.query('INSERT INTO pws_year_count (population, year, village_code, people) SELECT population, year, village_code, people FROM pws_year_count_sum');
    await runner.query('DROP TABLE pws_year_count_sum');
  }
}
