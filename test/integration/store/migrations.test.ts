import { MIGRATIONS } from '../../../src/store/migrations';
import { openDatabase } from '../../../src/store/open-database';
import { submission, submissionId, visit } from '../../support/bundles';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

/** Every migration's name, oldest first (0001 initial, 0002 relay, …). */
const ALL = MIGRATIONS.map((m) => new m().name);

describe(`migrations (${testDbKind()})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db?.drop();
  });

  test('apply once, then find nothing to do', async () => {
    expect(await db.migrate()).toEqual(ALL);
    expect(await db.migrate()).toEqual([]);
    const saved = await db.submissions.saveSubmission(submission(visit(), submissionId('MIGRATED')));
    expect(saved.kind).toBe('created');
    expect(await db.migrate()).toEqual([]);
    expect(await db.submissions.getSubmission(saved.submission.id)).toEqual(saved.submission);
  });

  test('ping answers on a live database and fails once it is closed; close() twice is harmless', async () => {
    await expect(db.ping()).resolves.toBeUndefined();
    await db.close();
    await expect(db.ping()).rejects.toThrow();
    await expect(db.close()).resolves.toBeUndefined();
  });
});

// Several gateway replicas starting together on one empty PostgreSQL database.
if (testDbKind() === 'postgres') {
  test('replicas migrating one empty database at once: exactly one applies the schema', async () => {
    const fresh = await openTestDatabase({ migrate: false });
    const replicas = await Promise.all([1, 2, 3].map(() => openDatabase({ url: fresh.url, migrate: false })));
    try {
      const applied = await Promise.all(replicas.map((r) => r.migrate()));
      expect(applied.flat()).toEqual(ALL);
      await Promise.all(replicas.map((r) => r.ping()));
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await fresh.drop();
    }
  });
}
