import type { SaveOutcome } from '../../../src/store/ports';
import { NIK, ORG, newNik, submission, submissionId, visit } from '../../support/bundles';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const kinds = (outcomes: SaveOutcome[]): string[] => outcomes.map((o) => o.kind).sort();

describe(`concurrent saves (${testDbKind()})`, () => {
  test('10 identical saves at once: one submission, one outbox row, nine unchanged', async () => {
    const v = visit();
    const sid = submissionId('PARALLEL-SAME');
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => db.submissions.saveSubmission(submission(v, sid))));
    expect(kinds(outcomes)).toEqual(['created', ...Array<string>(9).fill('unchanged')]);
    expect(new Set(outcomes.map((o) => o.submission.id)).size).toBe(1);
    const rows = (await db.outbox.list(100_000)).filter((r) => r.submissionPk === outcomes[0]!.submission.id);
    expect(rows).toHaveLength(1);
    expect(await db.resources.findByIdentifier('Patient', NIK, v.nik)).toHaveLength(1);
  });

  test('10 different submissions for the same new NIK at once: one Patient', async () => {
    const nik = newNik();
    const inputs = Array.from({ length: 10 }, () => submission(visit({ nik }), submissionId('PARALLEL-NIK')));
    const outcomes = await Promise.all(inputs.map((input) => db.submissions.saveSubmission(input)));
    expect(kinds(outcomes)).toEqual(Array<string>(10).fill('created'));
    const patients = await db.resources.findByIdentifier('Patient', NIK, nik);
    expect(patients).toHaveLength(1);
    const patientIds = new Set(outcomes.map((o) => o.submission.resources.find((r) => r.resourceType === 'Patient')?.id));
    expect([...patientIds]).toEqual([patients[0]!.id]);
    // Every visit sent identical Patient content: one version, however the requests interleaved.
    expect(await db.resources.history('Patient', patients[0]!.id)).toHaveLength(1);
    expect((await db.outbox.list(100_000)).filter((r) => outcomes.some((o) => o.submission.id === r.submissionPk))).toHaveLength(10);
  });

  test('5 different payloads for one submission at once: versions 1 to 5, one outbox row each', async () => {
    const sid = submissionId('PARALLEL-VERSIONS');
    const base = visit();
    const inputs = Array.from({ length: 5 }, (_, i) => submission({ ...base, observations: [{ ...base.observations[0]!, value: 140 + i }] }, sid));
    const outcomes = await Promise.all(inputs.map((input) => db.submissions.saveSubmission(input)));
    expect(kinds(outcomes)).toEqual(['created', 'updated', 'updated', 'updated', 'updated']);
    expect(outcomes.map((o) => o.submission.version).sort()).toEqual([1, 2, 3, 4, 5]);
    const record = await db.submissions.findSubmission(ORG, sid);
    expect(record?.version).toBe(5);
    const rows = (await db.outbox.list(100_000)).filter((r) => r.submissionPk === record?.id);
    expect(rows.map((r) => r.submissionVersion).sort()).toEqual([1, 2, 3, 4, 5]);
    const history = await db.resources.history('Observation', base.observations[0]!.id);
    expect(history.map((h) => h.versionId)).toEqual([5, 4, 3, 2, 1]);
    // Versions never go back in time, whichever transaction started first.
    const times = history.map((h) => h.lastUpdated).reverse();
    expect([...times].sort()).toEqual(times);
    expect(new Set(times).size).toBe(5);
  });

  test('reads while transactions are open see only committed data', async () => {
    const v = visit();
    const sid = submissionId('READ-DURING');
    const saving = db.submissions.saveSubmission(submission(v, sid));
    const reads = await Promise.all(Array.from({ length: 5 }, () => db.submissions.findSubmission(ORG, sid)));
    const saved = await saving;
    // Each read saw nothing (not committed yet) or the whole committed submission, never a part of it.
    expect(reads).toHaveLength(5);
    for (const r of reads) expect([undefined, saved.submission]).toContainEqual(r);
    expect(await db.submissions.findSubmission(ORG, sid)).toEqual(saved.submission);
  });
});
