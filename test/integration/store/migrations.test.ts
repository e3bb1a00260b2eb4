import { Writable } from 'node:stream';
import { Client } from 'pg';
import { createLogger } from '../../../src/kernel/logger';
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

/** A logger whose lines the test reads. */
function capturingLogger(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString('utf8')); done(); } });
  return { lines, logger: createLogger('info', 'test', sink) };
}

if (testDbKind() === 'postgres') {
  // Issue #12: JIT compiled the write path's read for 1.5-1.9 s a visit once the tables grew, and a
  // soak fell from 39 to 4 visits/s. The server here has jit=on by default; the gateway's sessions must not.
  test('the gateway\'s sessions run without JIT; a server without autovacuum is named at start-up', async () => {
    const fresh = await openTestDatabase({ migrate: false });
    const { lines, logger } = capturingLogger();
    const probe = new Client({ connectionString: fresh.url });
    await probe.connect();
    const db = await openDatabase({ url: fresh.url, logger });
    try {
      const server = (await probe.query<{ jit: string; autovacuum: string }>(`SELECT current_setting('jit') AS jit, current_setting('autovacuum') AS autovacuum`)).rows[0];
      expect(server?.jit).toBe('on'); // the server default the gateway overrides: the test would prove nothing otherwise
      expect(await db.sessionSettings()).toEqual({ autovacuum: server?.autovacuum, jit: 'off' });
      const warned = lines.some((l) => l.includes('autovacuum is off'));
      expect(warned).toBe(server?.autovacuum !== 'on');
      expect(lines.some((l) => l.includes('JIT is on'))).toBe(false);

      // A URL with options of its own keeps them, with jit=off added (node-postgres lets the URL's value win).
      const url = new URL(fresh.url as string);
      url.searchParams.set('options', '-c statement_timeout=60000');
      const withOwn = await openDatabase({ url: url.toString(), migrate: false });
      try {
        expect(await withOwn.sessionSettings()).toMatchObject({ jit: 'off' });
        const [own] = await (withOwn as unknown as { ds: { query(q: string): Promise<{ t: string }[]> } }).ds.query(`SELECT current_setting('statement_timeout') AS t`);
        expect(own?.t).toBe('1min');
      } finally {
        await withOwn.close();
      }

      // DATABASE_JIT=server sends nothing: the server's jit=on stays, and the gateway says so.
      const { lines: serverLines, logger: serverLogger } = capturingLogger();
      const asServer = await openDatabase({ url: fresh.url, jit: 'server', logger: serverLogger });
      try {
        expect(await asServer.sessionSettings()).toMatchObject({ jit: 'on' });
        expect(serverLines.some((l) => l.includes('JIT is on'))).toBe(true);
      } finally {
        await asServer.close();
      }
    } finally {
      await probe.end();
      await db.close();
      await fresh.drop();
    }
  });
}
