import type { DataSource } from 'typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../../src/store/open-database';
import { submission, submissionId, visit } from '../../support/bundles';
import { openTestDatabase, testDbKind } from '../../support/database';

/**
 * PGlite runs PostgreSQL in single-user mode: no autovacuum launcher, so without the gateway's own
 * maintenance no dead row is ever reclaimed and no table ever gets statistics (the planner then
 * estimates from page counts, and plans degrade as the data grows: issue #12).
 */
interface TableStats { n_dead_tup: number; vacuumed: boolean; analyzed: boolean }
const statsOf = async (ds: DataSource, table: string): Promise<TableStats> => {
  const [row] = await ds.query(
    `SELECT n_dead_tup::int AS n_dead_tup, last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analyzed
       FROM pg_stat_user_tables WHERE relname = $1`, [table]) as TableStats[];
  return row as TableStats;
};
const dsOf = (db: unknown): DataSource => (db as { ds: DataSource }).ds;
/** A backend reports its table counts when idle, at most once a second; single-user PGlite is asked to now. */
const flushStats = async (db: unknown): Promise<void> => {
  await dsOf(db).query('SELECT pg_stat_force_next_flush()');
  await dsOf(db).query('SELECT 1');
};

describe(`embedded database maintenance (${testDbKind()})`, () => {
  if (testDbKind() === 'pglite') {
    test('maintain() reclaims the dead rows of changed visits and gathers statistics', async () => {
      const db = await openDatabase({ dataDir: 'memory://' });
      try {
        const id = submissionId('VACUUM');
        const first = visit();
        await db.submissions.saveSubmission(submission(first, id));
        // The same visit changed: its submission and resource rows are updated, the old versions left dead.
        await db.submissions.saveSubmission(submission({ ...first, patientName: 'Rina W.', status: 'in-progress' }, id));
        await flushStats(db);
        const before = await statsOf(dsOf(db), 'submission');
        expect(before.n_dead_tup).toBeGreaterThan(0);
        expect(before).toMatchObject({ vacuumed: false, analyzed: false });
        const run = await db.maintain();
        expect(run.ran).toBe(true);
        await flushStats(db);
        expect(await statsOf(dsOf(db), 'submission')).toEqual({ n_dead_tup: 0, vacuumed: true, analyzed: true });
      } finally {
        await db.close();
      }
    });

    test('the maintenance timer runs by itself, and close() stops it', async () => {
      const db = await openDatabase({ dataDir: 'memory://', embeddedVacuumMs: 150 });
      const runs = jest.spyOn(db, 'maintain');
      try {
        const until = Date.now() + 15_000;
        while (!(await statsOf(dsOf(db), 'resource')).analyzed && Date.now() < until) await sleep(100);
        expect((await statsOf(dsOf(db), 'resource')).analyzed).toBe(true);
        expect(runs).toHaveBeenCalled();
      } finally {
        await db.close();
      }
      const atClose = runs.mock.calls.length;
      await sleep(500); // three intervals: the timer must be gone
      expect(runs.mock.calls.length).toBe(atClose);
      await expect(db.maintain()).resolves.toEqual({ ran: false, ms: 0 });
    });
  } else {
    test('on PostgreSQL maintain() leaves the work to the server\'s autovacuum', async () => {
      const db = await openTestDatabase();
      try {
        await expect(db.maintain()).resolves.toEqual({ ran: false, ms: 0 });
        expect(await statsOf(dsOf(db), 'submission')).toMatchObject({ vacuumed: false });
      } finally {
        await db.drop();
      }
    });
  }
});
