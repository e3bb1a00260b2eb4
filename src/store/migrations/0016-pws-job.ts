import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monthly village MeasureReport job (src/pws/report-job.ts): one row per reported month and
 * area ('' = every village), claimed with a lease so that of several gateway replicas on one
 * database only one computes a month at a time; `finished_at` tells the scheduler whether the
 * month still needs its grace-window recomputation. docs/decisions/0019-pws.md.
 */
export class PwsJob1733443200000 implements MigrationInterface {
  readonly name = 'PwsJob1733443200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE pws_report_run (
      period       text NOT NULL,
      area         text COLLATE "C" NOT NULL DEFAULT '',
      state        text NOT NULL CHECK (state IN ('running', 'done', 'failed')),
      worker       text NOT NULL,
      lease_until  timestamptz NOT NULL,
      started_at   timestamptz NOT NULL,
      finished_at  timestamptz,
      attempts     integer NOT NULL DEFAULT 1,
      villages     integer,
      reports      integer,
      written      integer,
      last_error   text,
      PRIMARY KEY (period, area)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE pws_report_run');
  }
}
