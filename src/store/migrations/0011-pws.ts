import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Village monitoring (PWS): `pws_contribution` holds what each visit contributes (one row per fact
 * about the person, written in the visit's own transaction, replaced when the visit changes);
 * `pws_target` the sasaran per village, year and group. Village codes compare in the C collation
 * so that a Kemendagri prefix is a plain range (`>= '3508' AND < '3508~'`) whatever the database
 * locale. The index serves every indicator query as an index-only scan: fact first (each
 * indicator names its facts), then village (area prefix), then date (period).
 * docs/decisions/0019-pws.md.
 */
export class Pws1733011200000 implements MigrationInterface {
  readonly name = 'Pws1733011200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE pws_contribution (
      submission_pk   uuid NOT NULL REFERENCES submission (pk) ON DELETE CASCADE,
      fact            text NOT NULL,
      person_key      text NOT NULL,
      organization_id text NOT NULL,
      village_code    text COLLATE "C" NOT NULL,
      local_date      date NOT NULL,
      age_days        integer NOT NULL,
      age_months      integer NOT NULL,
      age_years       integer NOT NULL,
      sex             text NOT NULL,
      pregnant        boolean NOT NULL,
      PRIMARY KEY (submission_pk, fact)
    )`);
    await runner.query(`CREATE INDEX pws_contribution_fact_idx ON pws_contribution (fact, village_code, local_date)
      INCLUDE (person_key, age_days, age_months, age_years, sex, pregnant, organization_id)`);
    await runner.query(`CREATE INDEX pws_contribution_person_idx ON pws_contribution (person_key)`);
    await runner.query(`CREATE TABLE pws_target (
      village_code text COLLATE "C" NOT NULL,
      year         integer NOT NULL,
      target_group text NOT NULL,
      count        integer NOT NULL CHECK (count >= 0),
      updated_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (village_code, year, target_group)
    )`);
    await runner.query(`CREATE INDEX pws_target_year_idx ON pws_target (year, village_code)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS pws_target`);
    await runner.query(`DROP TABLE IF EXISTS pws_contribution`);
  }
}
