import type { Encounter, Observation, Patient } from 'fhir/r4';
import type { ResourceRef, SaveOutcome } from '../../../src/store/ports';
import { ORG, submission, submissionId, visit, type Visit } from '../../support/bundles';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const refOf = (outcome: SaveOutcome, type: string): ResourceRef => {
  const ref = outcome.submission.resources.find((r) => r.resourceType === type);
  if (!ref) throw new Error(`no ${type} in ${JSON.stringify(outcome.submission.resources)}`);
  return ref;
};

describe(`saveSubmission on ${testDbKind()}`, () => {
  const sid = submissionId('LIFECYCLE');
  const v1: Visit = visit();
  // v2: one Observation changed, one dropped, one added; Patient and Encounter unchanged.
  const [bp, dia] = v1.observations;
  const v2: Visit = { ...v1, observations: [{ ...bp!, value: 150 }, { id: '7d1c7a55-4a4c-4d0e-9d0a-2f3b0b3c1e01', loinc: '29463-7', value: 61.5 }] };
  let created: SaveOutcome;
  let unchanged: SaveOutcome;
  let updated: SaveOutcome;

  beforeAll(async () => {
    created = await db.submissions.saveSubmission(submission(v1, sid));
    unchanged = await db.submissions.saveSubmission(submission(v1, sid));
    updated = await db.submissions.saveSubmission(submission(v2, sid));
  });

  test('first receipt is created as version 1, accepted, with every resource at version 1', () => {
    expect(created.kind).toBe('created');
    expect(created.submission).toMatchObject({ organizationId: ORG, submissionId: sid, version: 1, status: 'accepted', removed: [], warnings: [], nationalIds: {} });
    expect(created.submission.resources.map((r) => [r.resourceType, r.versionId])).toEqual([
      ['Patient', 1], ['Encounter', 1], ['Observation', 1], ['Observation', 1],
    ]);
    expect(created.submission.receivedAt).toMatch(ISO_UTC);
    expect(created.submission.nationalOutcome).toBeUndefined();
  });

  test('the same payload hash again is unchanged: same record, no new version', () => {
    expect(unchanged.kind).toBe('unchanged');
    expect(unchanged.submission).toEqual(created.submission);
  });

  test('a changed payload is version 2 of the same submission and the same resource ids', () => {
    expect(updated.kind).toBe('updated');
    expect(updated.submission.id).toBe(created.submission.id);
    expect(updated.submission.version).toBe(2);
    expect(updated.submission.status).toBe('accepted');
    expect(refOf(updated, 'Patient')).toEqual(refOf(created, 'Patient'));
    expect(refOf(updated, 'Encounter')).toEqual(refOf(created, 'Encounter'));
    expect(updated.submission.resources).toContainEqual({ resourceType: 'Observation', id: bp!.id, versionId: 2 });
    expect(updated.submission.resources).toContainEqual({ resourceType: 'Observation', id: '7d1c7a55-4a4c-4d0e-9d0a-2f3b0b3c1e01', versionId: 1 });
  });

  test('history has a second version only for what changed', async () => {
    const patientId = refOf(created, 'Patient').id;
    expect(await db.resources.history('Patient', patientId)).toHaveLength(1);
    expect(await db.resources.history('Encounter', v1.encounterId)).toHaveLength(1);
    const bpHistory = await db.resources.history('Observation', bp!.id);
    expect(bpHistory.map((h) => h.versionId)).toEqual([2, 1]);
    expect((bpHistory[0]!.resource as Observation).valueQuantity?.value).toBe(150);
    expect((bpHistory[1]!.resource as Observation).valueQuantity?.value).toBe(142);
  });

  test('a resource the new version no longer has is deleted with a new version and listed as removed', async () => {
    expect(updated.submission.removed).toEqual([{ resourceType: 'Observation', id: dia!.id, versionId: 2 }]);
    const current = await db.resources.read('Observation', dia!.id);
    expect(current).toMatchObject({ deleted: true, versionId: 2 });
    expect(current?.resource).toBeUndefined();
    const v1Content = await db.resources.vread('Observation', dia!.id, 1);
    expect((v1Content?.resource as Observation).valueQuantity?.value).toBe(92);
  });

  test('stored content has urn:uuid references rewritten to Type/id and meta set', async () => {
    const patientId = refOf(created, 'Patient').id;
    const enc = await db.resources.read('Encounter', v1.encounterId);
    const encounter = enc?.resource as Encounter;
    expect(encounter.subject?.reference).toBe(`Patient/${patientId}`);
    expect(encounter.meta).toEqual({ versionId: '1', lastUpdated: enc?.lastUpdated });
    expect(enc?.lastUpdated).toMatch(ISO_UTC);
    const obs = (await db.resources.read('Observation', bp!.id))?.resource as Observation;
    expect(obs.encounter?.reference).toBe(`Encounter/${v1.encounterId}`);
    expect(obs.subject?.reference).toBe(`Patient/${patientId}`);
    expect(obs.meta?.versionId).toBe('2');
    expect(JSON.stringify(obs)).not.toContain('urn:uuid:');
  });

  test('exactly one outbox row per created or updated version', async () => {
    const rows = (await db.outbox.list(10_000)).filter((r) => r.submissionPk === created.submission.id);
    expect(rows.map((r) => [r.submissionVersion, r.status, r.attempts])).toEqual([[1, 'pending', 0], [2, 'pending', 0]]);
    expect(rows[0]!.createdAt).toMatch(ISO_UTC);
    expect(rows[0]!.availableAt).toMatch(ISO_UTC);
    expect(Number(rows[1]!.id)).toBeGreaterThan(Number(rows[0]!.id));
  });

  test('getSubmission and findSubmission return the current version', async () => {
    expect(await db.submissions.getSubmission(created.submission.id)).toEqual(updated.submission);
    expect(await db.submissions.findSubmission(ORG, sid)).toEqual(updated.submission);
    expect(await db.submissions.findSubmission('other-org', sid)).toBeUndefined();
    expect(await db.submissions.getSubmission('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await db.submissions.getSubmission('not-a-uuid')).toBeUndefined();
  });

  test('re-sending version 1 after version 2 makes version 3 and brings the deleted resource back', async () => {
    const again = await db.submissions.saveSubmission(submission(v1, sid));
    expect(again.kind).toBe('updated');
    expect(again.submission.version).toBe(3);
    expect(again.submission.resources).toContainEqual({ resourceType: 'Observation', id: dia!.id, versionId: 3 });
    expect(again.submission.removed).toEqual([{ resourceType: 'Observation', id: '7d1c7a55-4a4c-4d0e-9d0a-2f3b0b3c1e01', versionId: 2 }]);
    expect(await db.resources.read('Observation', dia!.id)).toMatchObject({ deleted: false, versionId: 3 });
  });
});

describe(`resource reads on ${testDbKind()}`, () => {
  test('read, vread and history of what is not there', async () => {
    expect(await db.resources.read('Patient', 'nope')).toBeUndefined();
    expect(await db.resources.vread('Patient', 'nope', 1)).toBeUndefined();
    expect(await db.resources.history('Patient', 'nope')).toEqual([]);
    expect(await db.resources.findByIdentifier('Patient', 'https://fhir.kemkes.go.id/id/nik', '0000000000000000')).toEqual([]);
  });

  test('findByIdentifier finds the Patient by NIK with its current content', async () => {
    const v = visit({ patientName: 'Siti Aminah' });
    const saved = await db.submissions.saveSubmission(submission(v, submissionId('FIND')));
    const found = await db.resources.findByIdentifier('Patient', 'https://fhir.kemkes.go.id/id/nik', v.nik);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ resourceType: 'Patient', id: refOf(saved, 'Patient').id, versionId: 1, deleted: false });
    expect((found[0]!.resource as Patient).name?.[0]?.text).toBe('Siti Aminah');
  });

  test('submission warnings are kept with the version that produced them', async () => {
    const v = visit();
    const input = { ...submission(v, submissionId('WARN')), warnings: [{ severity: 'warning' as const, code: 'business-rule' as const, diagnostics: 'check' }] };
    const saved = await db.submissions.saveSubmission(input);
    expect(saved.submission.warnings).toEqual(input.warnings);
  });
});
