import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PWS year membership, kept in the visit's own transaction (src/store/pws-year.ts): per registry
 * population and calendar year, the people who meet it and the only village of their rows
 * (`pws_year_member`) and their number per village (`pws_year_count`, what a query reads: a few
 * hundred rows per population for a province), the people whose rows of the year (and its look-back) lie in more than
 * one village (`pws_year_mover`, counted from their rows at query time), and which populations
 * the tables were built for (`pws_year_population`: a changed rule is rebuilt at start-up). The
 * keys lead with population and year, then village: a province year is one index range per
 * population. docs/pws.md, "How a year is counted fast".
 */
export class PwsYear1733529600000 implements MigrationInterface {
  readonly name = 'PwsYear1733529600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE pws_year_member (
      population   text NOT NULL,
      year         integer NOT NULL,
      village_code text COLLATE "C" NOT NULL,
      person_key   text NOT NULL,
      PRIMARY KEY (population, year, village_code, person_key)
    )`);
    await runner.query('CREATE INDEX pws_year_member_person_idx ON pws_year_member (person_key)');
    await runner.query(`CREATE TABLE pws_year_count (
      population   text NOT NULL,
      year         integer NOT NULL,
      village_code text COLLATE "C" NOT NULL,
      people       integer NOT NULL,
      PRIMARY KEY (population, year, village_code)
    )`);
    await runner.query(`CREATE TABLE pws_year_mover (
      year       integer NOT NULL,
      person_key text NOT NULL,
      PRIMARY KEY (year, person_key)
    )`);
    await runner.query('CREATE INDEX pws_year_mover_person_idx ON pws_year_mover (person_key)');
    await runner.query(`CREATE TABLE pws_year_population (
      population text PRIMARY KEY,
      definition jsonb NOT NULL,
      built_at   timestamptz NOT NULL
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS pws_year_population');
    await runner.query('DROP TABLE IF EXISTS pws_year_mover');
    await runner.query('DROP TABLE IF EXISTS pws_year_count');
    await runner.query('DROP TABLE IF EXISTS pws_year_member');
  }
}
