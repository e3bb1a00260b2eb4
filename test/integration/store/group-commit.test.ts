/**
 * groupCommit (src/store/submission-store.ts), the group commit behind $import's writes and the
 * materialiser's batches: a group is written again item by item only when one item may be the
 * cause (sql.ts isItemError); a failure of the database itself fails the group at once, instead of
 * every item waiting for it again in turn.
 */
import type { DataSource } from 'typeorm';
import { OperationOutcomeError, issue } from '../../../src/kernel';
import { groupCommit } from '../../../src/store/submission-store';
import { isItemError } from '../../../src/store/sql';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

let db: TestDatabase;
beforeAll(async () => { db = await openTestDatabase(); });
afterAll(async () => { await db?.drop(); });
const ds = (): DataSource => (db as unknown as { ds: DataSource }).ds;

describe(`groupCommit (${testDbKind()})`, () => {
  test("one item's own error: the group is written again item by item and only that item fails", async () => {
    let fellBack = 0;
    const out = await groupCommit(ds(), undefined, [1, 2, 3], {
      write: async (sql, item) => {
        if (item === 2) throw new OperationOutcomeError(422, [issue('STORE-TEXT-NUL', {}, 'payload')]);
        await sql.rows('SELECT 1');
        return `ok ${item}`;
      },
      submissionIdOf: (item) => `item-${item}`,
      fellBack: () => { fellBack += 1; },
    });
    expect(fellBack).toBe(1);
    expect(out[0]).toBe('ok 1');
    expect(out[1]).toMatchObject({ error: { status: 422 } });
    expect(out[2]).toBe('ok 3');
  });

  test('the database failing (no SQLSTATE of a row): the group fails at once, nothing is tried item by item', async () => {
    let writes = 0;
    let fellBack = 0;
    const lost = Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
    await expect(groupCommit(ds(), undefined, [1, 2, 3], {
      write: async () => { writes += 1; throw lost; },
      submissionIdOf: (item) => `item-${item}`,
      fellBack: () => { fellBack += 1; },
    })).rejects.toBe(lost);
    expect([writes, fellBack]).toEqual([1, 0]);
  });
});

test('isItemError: decisions, data and integrity errors and races are an item\'s; connection and timeout errors are not', () => {
  expect(isItemError(new OperationOutcomeError(409, [issue('STORE-TEXT-NUL')]))).toBe(true);
  for (const code of ['22P02', '22021', '23505', '23503', '40001', '40P01']) expect(isItemError(Object.assign(new Error('x'), { code }))).toBe(true);
  for (const code of ['ECONNRESET', '57P01', '08006', '53300', '57014']) expect(isItemError(Object.assign(new Error('x'), { code }))).toBe(false);
  expect(isItemError(new Error('timeout exceeded when trying to connect'))).toBe(false);
  expect(isItemError(null)).toBe(false);
});
