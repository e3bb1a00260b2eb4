import { randomUUID } from 'node:crypto';
import type { BundleEntry, Patient } from 'fhir/r4';
import { NIK, NIK_IBU, bundleSubmission, conditionalPut, newNik, patient, put, submission, submissionId, transaction, urn, visit } from '../../support/bundles';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const patientOf = async (sid: string): Promise<string> => {
  const record = await db.submissions.findSubmission('10000005', sid);
  const ref = record?.resources.find((r) => r.resourceType === 'Patient');
  if (!ref) throw new Error(`no Patient in ${sid}`);
  return ref.id;
};

describe(`conditional PUT Patient?identifier=nik|… on ${testDbKind()}`, () => {
  test('two different submissions for one NIK share one Patient', async () => {
    const nik = newNik();
    const a = submissionId('COND-A');
    const b = submissionId('COND-B');
    await db.submissions.saveSubmission(submission(visit({ nik }), a));
    await db.submissions.saveSubmission(submission(visit({ nik, patientName: 'Rina W.' }), b));
    const id = await patientOf(a);
    expect(await patientOf(b)).toBe(id);
    const found = await db.resources.findByIdentifier('Patient', NIK, nik);
    expect(found.map((f) => f.id)).toEqual([id]);
    // The second visit changed the name: one more version of the same Patient.
    expect(found[0]).toMatchObject({ versionId: 2 });
    expect((found[0]!.resource as Patient).name?.[0]?.text).toBe('Rina W.');
  });

  // Changed deliberately (issue 9, docs/decisions/0014): with no match, an entry that carries an id
  // is an update-as-create with that id (FHIR R4 http.html#cond-update "no matches, id provided"), so
  // the ILP Patient keeps the organisation's derived id; without an id the store picks a fresh UUID.
  test('a new NIK creates a Patient with the id the entry carried, or a fresh UUID without one', async () => {
    const nik = newNik();
    const entry = conditionalPut({ ...patient(nik), id: 'client-chosen' }, NIK, nik);
    const saved = await db.submissions.saveSubmission(bundleSubmission(transaction([entry]), submissionId('COND-NEW')));
    expect(saved.submission.resources[0]?.id).toBe('client-chosen');
    const other = newNik();
    const { id: _none, ...withoutId } = patient(other) as Patient;
    const fresh = await db.submissions.saveSubmission(bundleSubmission(transaction([conditionalPut(withoutId as Patient, NIK, other)]), submissionId('COND-NEW2')));
    expect(fresh.submission.resources[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('the identifier may be URL-encoded, and a value alone matches any system', async () => {
    const nik = newNik();
    await db.submissions.saveSubmission(bundleSubmission(transaction([conditionalPut(patient(nik), NIK, nik)]), submissionId('COND-ENC')));
    const [existing] = await db.resources.findByIdentifier('Patient', NIK, nik);
    const encoded: BundleEntry = { fullUrl: urn(), resource: patient(nik, 'Encoded'), request: { method: 'PUT', url: `Patient?identifier=${encodeURIComponent(`${NIK}|${nik}`)}` } };
    const bare: BundleEntry = { fullUrl: urn(), resource: patient(nik, 'Bare'), request: { method: 'PUT', url: `Patient?identifier=${nik}` } };
    const first = await db.submissions.saveSubmission(bundleSubmission(transaction([encoded]), submissionId('COND-ENC')));
    const second = await db.submissions.saveSubmission(bundleSubmission(transaction([bare]), submissionId('COND-BARE')));
    expect(first.submission.resources[0]?.id).toBe(existing?.id);
    expect(second.submission.resources[0]?.id).toBe(existing?.id);
  });

  test('an identifier several resources share (nik-ibu of twins) is allowed and found on each', async () => {
    const motherNik = newNik();
    const twins = [{ id: randomUUID(), name: 'Bayi Ny. Rina 1' }, { id: randomUUID(), name: 'Bayi Ny. Rina 2' }];
    const entries = twins.map((t) => put({ ...patient(motherNik, t.name, NIK_IBU), id: t.id }));
    await db.submissions.saveSubmission(bundleSubmission(transaction(entries), submissionId('TWINS')));
    const found = await db.resources.findByIdentifier('Patient', NIK_IBU, motherNik);
    expect(found.map((f) => f.id).sort()).toEqual(twins.map((t) => t.id).sort());
  });

  test('a conditional update matching several resources is refused with 412 and stores nothing', async () => {
    const motherNik = newNik();
    const entries = [randomUUID(), randomUUID()].map((id) => put({ ...patient(motherNik, 'twin', NIK_IBU), id }));
    await db.submissions.saveSubmission(bundleSubmission(transaction(entries), submissionId('TWINS')));
    const sid = submissionId('AMBIGUOUS');
    const ambiguous = conditionalPut(patient(motherNik, 'which one?', NIK_IBU), NIK_IBU, motherNik);
    await expect(db.submissions.saveSubmission(bundleSubmission(transaction([ambiguous]), sid))).rejects.toMatchObject({
      status: 412,
      issues: [expect.objectContaining({ errorCode: 'STORE-CONDITIONAL-MULTIPLE', expression: 'Bundle.entry[0].request.url' })],
    });
    expect(await db.submissions.findSubmission('10000005', sid)).toBeUndefined();
  });

  test('a Patient found by NIK is never deleted when a later version of one visit leaves it out', async () => {
    const nik = newNik();
    const v = visit({ nik });
    const sid = submissionId('KEEP-PATIENT');
    const first = await db.submissions.saveSubmission(submission(v, sid));
    const patientId = first.submission.resources[0]!.id;
    const withoutPatient = transaction([put({ resourceType: 'Basic', id: randomUUID(), code: { text: 'note' } })]);
    const second = await db.submissions.saveSubmission(bundleSubmission(withoutPatient, sid));
    expect(second.submission.removed.map((r) => r.resourceType).sort()).toEqual(['Encounter', 'Observation', 'Observation']);
    expect(await db.resources.read('Patient', patientId)).toMatchObject({ deleted: false, versionId: 1 });
  });
});
