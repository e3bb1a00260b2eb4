import type { Encounter } from 'fhir/r4';
import { planSubmission, planTransaction, type TransactionEntry, type WritePlan } from '../../../src/write-plan/plan';
import { NIK, ORG, hashOf, newNik, patient, submission, submissionId, visit } from '../../support/bundles';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

function conditionalCreate(nik: string, sid: string): WritePlan {
  const encounter: Encounter = { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'urn:uuid:patient' } };
  const entries: TransactionEntry[] = [
    { kind: 'create-if-none', resourceType: 'Patient', system: NIK, value: nik, fullUrl: 'urn:uuid:patient', resource: patient(nik) },
    { kind: 'create', resourceType: 'Encounter', resource: encounter },
  ];
  const bundle = { resourceType: 'Bundle' as const, type: 'transaction' as const, identifier: { value: sid } };
  return planTransaction({ organizationId: ORG, submissionId: sid, stableIds: true, bundle, payloadHash: hashOf({ sid }), entries });
}

describe(`write plans on ${testDbKind()}`, () => {
  test('conditional create race: two plans creating one new Patient at once make ONE Patient; one answers 201, the other 200', async () => {
    const nik = newNik();
    const [a, b] = await Promise.all([
      db.fhir.transactions.saveTransaction(conditionalCreate(nik, submissionId('RACE-A'))),
      db.fhir.transactions.saveTransaction(conditionalCreate(nik, submissionId('RACE-B'))),
    ]);
    const patients = await db.resources.findByIdentifier('Patient', NIK, nik);
    expect(patients).toHaveLength(1);
    const [pa, pb] = [a!.results[0]!, b!.results[0]!];
    expect([pa.status, pb.status].sort()).toEqual([200, 201]);
    expect(pa.ref.id).toBe(patients[0]!.id);
    expect(pb.ref.id).toBe(patients[0]!.id);
    expect(await db.resources.history('Patient', patients[0]!.id)).toHaveLength(1);
    // Both Encounters point at the one Patient.
    for (const out of [a!, b!]) {
      const enc = await db.resources.read('Encounter', out.results[1]!.ref.id);
      expect((enc?.resource as Encounter).subject?.reference).toBe(`Patient/${patients[0]!.id}`);
    }
  });

  test('group commit: several plans in one transaction; a refused plan gets its own error and the others are written', async () => {
    const good = [visit(), visit()].map((v) => planSubmission(submission(v, submissionId('GROUP'))));
    const bad = planSubmission({ ...submission(visit(), submissionId('GROUP-BAD')), payload: { text: 'nul \u0000' } });
    const outcomes = await db.submissions.writeMany([good[0]!, bad, good[1]!]);
    expect(outcomes.map((o) => ('error' in o ? (o.error as { status?: number }).status : o.saved.kind))).toEqual(['created', 422, 'created']);
    for (const plan of good) expect((await db.submissions.findSubmission(ORG, plan.submissionId))?.version).toBe(1);
    expect(await db.submissions.findSubmission(ORG, bad.submissionId)).toBeUndefined();
    // Re-sent as a group: unchanged, nothing written twice.
    const again = await db.submissions.writeMany(good);
    expect(again.map((o) => ('error' in o ? 'error' : o.saved.kind))).toEqual(['unchanged', 'unchanged']);
  });
});
