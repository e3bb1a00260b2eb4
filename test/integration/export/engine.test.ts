import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Observation } from 'fhir/r4';
import { ExportRunner } from '../../../src/export/runner';
import { runExport, type ExportEngineDeps } from '../../../src/export/run-export';
import { createLogger } from '../../../src/kernel';
import type { ExportParams } from '../../../src/store/fhir-ports';
import { bundleSubmission, put, submissionId, transaction } from '../../support/bundles';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

/** The export engine on the store, without HTTP: chunking, cancellation, expiry, claiming. */
let db: TestDatabase;
let dir: string;
const N = 25;
// An unrestricted caller's filter (jobs record the kick-off caller's access filter; one without exports nothing).
const PARAMS: ExportParams = { level: 'system', types: ['Observation'], typeFilters: {}, access: { organizations: 'all', regions: 'all' } };

function deps(overrides: Partial<ExportEngineDeps> = {}): ExportEngineDeps {
  return { store: db.fhir.exports, dir, maxPerFile: 10, chunkSize: 7, ttlHours: 1, logger: createLogger('silent'), ...overrides };
}

let first: Observation & { id: string };

beforeAll(async () => {
  db = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'ilp-engine-'));
  const observations = Array.from({ length: N }, (): Observation & { id: string } => ({ resourceType: 'Observation', id: randomUUID(), status: 'final', code: { text: 'x' } }));
  first = observations[0]!;
  await db.submissions.saveSubmission(bundleSubmission(transaction(observations.map((o) => put(o))), submissionId('ENGINE')));
});

afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});


/** Lets the database clock pass the last claim's timestamp (PGlite: millisecond resolution). */
const clockTick = (): Promise<void> => new Promise((resolve) => { setTimeout(resolve, 5); });

describe(`export engine on ${testDbKind()}`, () => {
  test('chunks of 7 into files of 10: 10 + 10 + 5 lines, ids in order, progress recorded', async () => {
    const job = await db.fhir.exports.create('test', PARAMS);
    const claimed = await db.fhir.exports.claim('w1', 300);
    expect(claimed?.id).toBe(job.id);
    await runExport(claimed!, deps());
    const done = await db.fhir.exports.get(job.id);
    expect(done?.status).toBe('completed');
    expect(done?.output.map((f) => f.count)).toEqual([10, 10, 5]);
    expect(done?.progress).toMatchObject({ exported: N, total: N });
    const ids = done!.output.flatMap((f) => readFileSync(join(dir, job.id, f.url), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as Observation).id ?? ''));
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(N);
  });

  test('what changes after transactionTime is exported as it was then; what is created after is not', async () => {
    const job = await db.fhir.exports.create('test', PARAMS);
    // Timestamps have millisecond precision: a write in the same millisecond as the kick-off is not
    // "after" transactionTime. Step past it, as any real later write is.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late: Observation & { id: string } = { resourceType: 'Observation', id: randomUUID(), status: 'preliminary', code: { text: 'late' } };
    await db.submissions.saveSubmission(bundleSubmission(transaction([put({ ...first, status: 'amended' }), put(late)]), submissionId('LATE')));
    const claimed = await db.fhir.exports.claim('w1', 300);
    await runExport(claimed!, deps());
    const done = await db.fhir.exports.get(job.id);
    expect(done?.progress.exported).toBe(N);
    const lines = done!.output.flatMap((f) => readFileSync(join(dir, job.id, f.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Observation));
    expect(lines.find((o) => o.id === first.id)).toMatchObject({ status: 'final', meta: { versionId: '1' } });
    expect(lines.find((o) => o.id === late.id)).toBeUndefined();
    expect((await db.resources.read('Observation', first.id))?.versionId).toBe(2);
  });

  test('a cancelled job stops at the next chunk and leaves no files', async () => {
    const job = await db.fhir.exports.create('test', PARAMS);
    const claimed = await db.fhir.exports.claim('w1', 300);
    expect(await db.fhir.exports.cancel(job.id)).toBe(true);
    await runExport(claimed!, deps());
    expect(existsSync(join(dir, job.id))).toBe(false);
    expect((await db.fhir.exports.get(job.id))?.status).toBe('cancelled');
  });

  test('two workers never claim the same job; a silent worker is taken over', async () => {
    const a = await db.fhir.exports.create('test', PARAMS);
    const b = await db.fhir.exports.create('test', PARAMS);
    const claims = await Promise.all([db.fhir.exports.claim('w1', 300), db.fhir.exports.claim('w2', 300)]);
    expect(claims.map((c) => c?.id).sort()).toEqual([a.id, b.id].sort());
    expect(await db.fhir.exports.claim('w3', 300)).toBeUndefined();
    // staleSeconds 0: both in-progress jobs count as abandoned, once the clock has moved past their claim
    // (`claimed_at < now()`; PGlite's clock has millisecond resolution, so two claims can share a timestamp).
    await clockTick();
    expect(await db.fhir.exports.claim('w3', 0)).toBeDefined();
    await db.fhir.exports.cancel(a.id);
    await db.fhir.exports.cancel(b.id);
  });

  test('a job taken over from a dead worker completes despite that worker\'s partial files', async () => {
    const job = await db.fhir.exports.create('test', PARAMS);
    expect((await db.fhir.exports.claim('dead', 300))?.id).toBe(job.id);
    // The dead worker got as far as its first file ('wx' used to hit EEXIST on it and crash the process).
    mkdirSync(join(dir, job.id), { recursive: true });
    writeFileSync(join(dir, job.id, 'Observation-1.ndjson'), '{"resourceType":"Observation","id":"partial"}\n');
    await clockTick(); // as above: a claim in the same millisecond is not yet stale, even at staleSeconds 0
    const taken = await db.fhir.exports.claim('w2', 0);
    expect(taken?.id).toBe(job.id);
    await runExport(taken!, deps());
    const done = await db.fhir.exports.get(job.id);
    expect(done?.status).toBe('completed');
    expect(done?.output.reduce((n, f) => n + f.count, 0)).toBe(done?.progress.total);
    expect(readFileSync(join(dir, job.id, 'Observation-1.ndjson'), 'utf8')).not.toContain('partial');
  });

  test('the runner deletes expired jobs and their files', async () => {
    const runner = new ExportRunner({ ...deps({ ttlHours: 0 }), pollMs: 50, staleSeconds: 300 });
    const job = await db.fhir.exports.create('test', PARAMS);
    runner.start();
    runner.wake();
    try {
      for (let i = 0; i < 100 && (await db.fhir.exports.get(job.id)) !== undefined; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await runner.close();
    }
    expect(await db.fhir.exports.get(job.id)).toBeUndefined();
    expect(readdirSync(dir)).not.toContain(job.id);
  });
});
