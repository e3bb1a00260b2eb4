import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, Patient } from 'fhir/r4';
import type { SaveSubmissionInput } from '../../../src/store/ports';
import { NIK, NIK_IBU, ORG, bundleSubmission, conditionalPut, newNik, patient, put, submission, submissionId, transaction, visit, visitBundle } from '../../support/bundles';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Saves `input`, expects the given error, and checks that nothing of it was stored. */
async function expectNothingStored(input: SaveSubmissionInput, error: object): Promise<void> {
  const outboxBefore = (await db.outbox.list(100_000)).length;
  await expect(db.submissions.saveSubmission(input)).rejects.toMatchObject(error);
  expect(await db.submissions.findSubmission(input.organizationId, input.submissionId)).toBeUndefined();
  expect((await db.outbox.list(100_000)).length).toBe(outboxBefore);
  for (const entry of input.bundle.entry ?? []) {
    const [type, id] = (entry.request?.url ?? '').split('/');
    if (type && id && !id.includes('?')) expect(await db.resources.read(type, id)).toBeUndefined();
  }
}

const issue = (errorCode: string, expression: string) => ({ issues: [expect.objectContaining({ errorCode, expression })] });

describe(`a Bundle that fails part-way stores nothing (${testDbKind()})`, () => {
  // Rows are written in (type, id) order: Encounter, Observation, Observation, then the Patient fails.
  test('failure while writing: the Encounter and Observations were written, then the Patient fails', async () => {
    const v = visit();
    const input = submission(v, submissionId('MIDWAY'));
    (input.bundle.entry![0]!.resource as Patient).name = [{ text: 'Rina\u0000' }];
    await expectNothingStored(input, { status: 422, ...issue('STORE-TEXT-NUL', 'Bundle.entry[0].resource') });
    expect(await db.resources.findByIdentifier('Patient', NIK, v.nik)).toEqual([]);
    expect(await db.resources.history('Encounter', v.encounterId)).toEqual([]);
  });

  test('a conditional update that matches two resources', async () => {
    const motherNik = newNik();
    await db.submissions.saveSubmission(
      bundleSubmission(transaction([randomUUID(), randomUUID()].map((id) => put({ ...patient(motherNik, 'twin', NIK_IBU), id }))), submissionId('TWINS')),
    );
    const v = visit();
    const bundle = visitBundle(v);
    bundle.entry!.push(conditionalPut(patient(motherNik, 'which twin?', NIK_IBU), NIK_IBU, motherNik));
    await expectNothingStored(bundleSubmission(bundle, submissionId('AMBIGUOUS')), { status: 412, ...issue('STORE-CONDITIONAL-MULTIPLE', 'Bundle.entry[4].request.url') });
    expect(await db.resources.findByIdentifier('Patient', NIK, v.nik)).toEqual([]);
  });

  const refused: [string, (b: Bundle) => void, string][] = [
    ['a POST entry', (b) => { b.entry![2]!.request = { method: 'POST', url: 'Observation' }; }, 'Bundle.entry[2].request'],
    ['an entry without a request', (b) => { delete b.entry![3]!.request; }, 'Bundle.entry[3].request'],
    ['a URL naming another type', (b) => { b.entry![1]!.request!.url = `Observation/${randomUUID()}`; }, 'Bundle.entry[1].request'],
    ['a resource.id that differs from the URL', (b) => { b.entry![1]!.resource!.id = 'other'; }, 'Bundle.entry[1].resource.id'],
    ['an invalid id', (b) => { b.entry![1]!.request!.url = 'Encounter/not_valid!'; }, 'Bundle.entry[1].request'],
    ['a search parameter other than identifier', (b) => { b.entry![0]!.request!.url = 'Patient?name=Rina'; }, 'Bundle.entry[0].request'],
    ['a conditional identifier the resource does not carry', (b) => { b.entry![0]!.request!.url = `Patient?identifier=${NIK}|${newNik()}`; }, 'Bundle.entry[0].resource.identifier'],
    ['two entries for one resource', (b) => { b.entry!.push(b.entry![1]! as BundleEntry); }, 'Bundle.entry[4].request'],
    ['a batch instead of a transaction', (b) => { b.type = 'batch'; }, 'Bundle.type'],
  ];
  test.each(refused)('%s is refused with 422', async (_name, spoil, expression) => {
    const bundle = visitBundle(visit());
    spoil(bundle);
    await expectNothingStored(bundleSubmission(bundle, submissionId('REFUSED')), { status: 422, ...issue('STORE-ENTRY-UNSUPPORTED', expression) });
  });

  test('a failed new version leaves the previous version exactly as it was', async () => {
    const v = visit();
    const sid = submissionId('KEEP-V1');
    const first = await db.submissions.saveSubmission(submission(v, sid));
    const changed = submission({ ...v, status: 'cancelled' }, sid);
    (changed.bundle.entry![0]!.resource as Patient).name = [{ text: 'Rina\u0000' }];
    await expect(db.submissions.saveSubmission(changed)).rejects.toMatchObject({ status: 422 });
    expect(await db.submissions.findSubmission(ORG, sid)).toEqual(first.submission);
    expect(await db.resources.history('Encounter', v.encounterId)).toHaveLength(1);
    const rows = (await db.outbox.list(100_000)).filter((r) => r.submissionPk === first.submission.id);
    expect(rows).toHaveLength(1);
  });
});
