import type { Bundle, BundleEntry, Observation, Patient, Resource } from 'fhir/r4';
import { OperationOutcomeError } from '../../../src/kernel';
import { decide, type CurrentRow, type Decision, type Found, type VersionRef } from '../../../src/write-plan/decide';
import { planSubmission, planTransaction, type WritePlan } from '../../../src/write-plan/plan';

const ORG = '10000005';
const NIK = 'https://fhir.kemkes.go.id/id/nik';
const T0 = '2026-12-01T08:00:00.000+00:00';
const T1 = '2026-12-02T08:00:00.000+00:00';

const patient: Patient = {
  resourceType: 'Patient', identifier: [{ system: NIK, value: '3508011234560001' }], name: [{ text: 'Siti' }],
  address: [{ extension: [{ url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode', extension: [{ url: 'village', valueCode: '3508011001' }] }] }],
};

function observation(id: string, value: number): Observation {
  return { resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] }, subject: { reference: 'urn:uuid:p' }, valueQuantity: { value, unit: 'kg' } };
}

function visit(observations: Observation[]): WritePlan {
  const entries: BundleEntry[] = [
    { fullUrl: 'urn:uuid:p', resource: patient, request: { method: 'PUT', url: `Patient?identifier=${NIK}|3508011234560001` } },
    ...observations.map((o): BundleEntry => ({ fullUrl: `urn:uuid:${o.id}`, resource: o, request: { method: 'PUT', url: `Observation/${o.id}` } })),
  ];
  const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: entries };
  return planSubmission({ organizationId: ORG, submissionId: 'V1', payload: {}, payloadHash: 'h', bundle, warnings: [] });
}

const nothingStored: Found = { matches: new Map(), current: new Map(), referenced: new Map(), previous: [] };

/** What the store would find after writing `d`: its versions as the current rows, its refs as the previous version. */
function storedAfter(d: Decision, plan: WritePlan, patientId: string): Found {
  const current = new Map<string, CurrentRow>();
  for (const v of d.versions) {
    current.set(`${v.resourceType}/${v.id}`, { organizationId: v.organizationId, residence: v.residence, versionId: v.versionId, lastUpdated: v.lastUpdated, deleted: v.content === null, content: v.content as Resource | null });
  }
  const patientEntry = plan.entries.find((e) => e.resourceType === 'Patient');
  return { matches: new Map([[patientEntry?.index ?? 0, [patientId]]]), current, referenced: new Map(), previous: d.written as VersionRef[] };
}

const versionsOf = (d: Decision): string[] => d.versions.map((v) => `${v.resourceType}/${v.id}@${v.versionId}${v.content === null ? ' deleted' : ''}`);

describe('write plan: decide', () => {
  const first = visit([observation('w', 12.5), observation('h', 90)]);
  const created = decide(first, nothingStored, T0);
  const patientId = created.written.find((r) => r.resourceType === 'Patient')?.id ?? '';

  it('a new visit: version 1 of every resource, 201 each, rows computed once per version', () => {
    expect(versionsOf(created)).toEqual(['Observation/h@1', 'Observation/w@1', `Patient/${patientId}@1`]);
    expect(created.results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(created.written.find((r) => r.resourceType === 'Patient')?.shared).toBe(true);
    // Each Observation carries its subject Patient's residence and references it by its final id.
    const w = created.versions.find((v) => v.id === 'w');
    expect(w?.residence).toBe('3508011001');
    expect((w?.content as Observation).subject?.reference).toBe(`Patient/${patientId}`);
    expect(created.search.reference.filter((r) => r.id === 'w' && r.code === 'subject')).toEqual([{ resourceType: 'Observation', id: 'w', code: 'subject', target_type: 'Patient', target_id: patientId }]);
    expect(created.identifiers).toEqual([{ resourceType: 'Patient', id: patientId, system: NIK, value: '3508011234560001' }]);
  });

  it('a changed visit: a new version only for the resource that changed; the others keep theirs', () => {
    const changed = visit([observation('w', 13.1), observation('h', 90)]);
    const d = decide(changed, storedAfter(created, first, patientId), T1);
    expect(versionsOf(d)).toEqual(['Observation/w@2']);
    expect(d.versions[0]?.exists).toBe(true);
    expect(d.written.map((r) => `${r.resourceType}/${r.id}@${r.versionId}`)).toEqual([`Patient/${patientId}@1`, 'Observation/w@2', 'Observation/h@1']);
    expect(d.results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect([...new Set(d.search.quantity.map((q) => `${q.id} ${q.value}`))]).toEqual(['w 13.1']);
    expect(d.removed).toEqual([]);
  });

  it('a removed Observation: a deleted version of it, listed as removed; the shared Patient is never deleted', () => {
    const fewer = visit([observation('w', 12.5)]);
    const d = decide(fewer, storedAfter(created, first, patientId), T1);
    expect(versionsOf(d)).toEqual(['Observation/h@2 deleted']);
    expect(d.removed).toEqual([{ resourceType: 'Observation', id: 'h', versionId: 2 }]);
    expect(d.versions[0]?.residence).toBe('3508011001');
    expect(d.search.token.some((t) => t.id === 'h')).toBe(false);
  });

  it('versions never go back in time: a clock behind the stored version writes 1 ms after it', () => {
    const changed = visit([observation('w', 14), observation('h', 90)]);
    const d = decide(changed, storedAfter(created, first, patientId), '2026-11-30T00:00:00.000+00:00');
    expect(d.versions[0]?.lastUpdated).toBe('2026-12-01T08:00:00.001+00:00');
  });

  it('two identifier matches are 412: the store never guesses between two records of one person', () => {
    const found: Found = { ...nothingStored, matches: new Map([[0, ['a', 'b']]]) };
    expect(() => decide(first, found, T0)).toThrow(expect.objectContaining({ status: 412 }) as unknown as Error);
  });

  it("another organisation's stored resource is neither overwritten nor referenced (403)", () => {
    const foreign: CurrentRow = { organizationId: 'other', residence: null, versionId: 1, lastUpdated: T0, deleted: false, content: observation('w', 1) };
    expect(() => decide(first, { ...nothingStored, current: new Map([['Observation/w', foreign]]) }, T0)).toThrow(expect.objectContaining({ status: 403 }) as unknown as Error);
  });
});

describe('write plan: FHIR transaction rules', () => {
  const obs = observation('x', 3);
  const base = { organizationId: ORG, submissionId: 'fhir:T', stableIds: true, bundle: { resourceType: 'Bundle', type: 'transaction' } as Bundle, payloadHash: 'h' };
  const stored: CurrentRow = { organizationId: ORG, residence: null, versionId: 2, lastUpdated: T0, deleted: false, content: { ...obs, subject: { reference: 'Patient/p1' } } as Observation };

  it('ifMatch naming another version than the current one is 412 STORE-VERSION-CONFLICT, nothing decided', () => {
    const plan = planTransaction({ ...base, entries: [{ kind: 'put', url: 'Observation/x', resource: { ...obs, subject: { reference: 'Patient/p1' } }, ifMatch: 1 }] });
    let error: unknown;
    try {
      decide(plan, { ...nothingStored, current: new Map([['Observation/x', stored]]) }, T1);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OperationOutcomeError);
    expect((error as OperationOutcomeError).status).toBe(412);
    expect((error as OperationOutcomeError).issues[0]?.errorCode).toBe('STORE-VERSION-CONFLICT');
  });

  it("ifMatch on another organisation's resource is 403, not a 412 that would tell its current version", () => {
    const plan = planTransaction({ ...base, entries: [{ kind: 'put', url: 'Observation/x', resource: { ...obs, subject: { reference: 'Patient/p1' } }, ifMatch: 1 }] });
    const foreign: CurrentRow = { ...stored, organizationId: 'other' };
    expect(() => decide(plan, { ...nothingStored, current: new Map([['Observation/x', foreign]]) }, T1)).toThrow(expect.objectContaining({ status: 403 }) as unknown as Error);
  });

  it('ifMatch equal to the current version: the next version, 200', () => {
    const plan = planTransaction({ ...base, entries: [{ kind: 'put', url: 'Observation/x', resource: { ...obs, status: 'amended', subject: { reference: 'Patient/p1' } }, ifMatch: 2 }] });
    const d = decide(plan, { ...nothingStored, current: new Map([['Observation/x', stored]]) }, T1);
    expect(versionsOf(d)).toEqual(['Observation/x@3']);
    expect(d.results).toEqual([{ ref: { resourceType: 'Observation', id: 'x', versionId: 3 }, status: 200 }]);
  });

  it('a conditional create that matches writes nothing and answers the match (200); references to it are rewritten', () => {
    const plan = planTransaction({ ...base, entries: [
      { kind: 'create-if-none', resourceType: 'Patient', system: NIK, value: '3508011234560001', fullUrl: 'urn:uuid:p', resource: patient },
      { kind: 'create', resourceType: 'Observation', resource: observation('ignored', 5) },
    ] });
    const current = new Map<string, CurrentRow>([['Patient/p9', { organizationId: ORG, residence: '3508011001', versionId: 4, lastUpdated: T0, deleted: false, content: { ...patient, id: 'p9' } }]]);
    const d = decide(plan, { ...nothingStored, matches: new Map([[0, ['p9']]]), current }, T1);
    expect(d.results[0]).toEqual({ ref: { resourceType: 'Patient', id: 'p9', versionId: 4 }, status: 200 });
    expect(d.results[1]?.status).toBe(201);
    expect(d.versions.map((v) => v.resourceType)).toEqual(['Observation']);
    expect((d.versions[0]?.content as Observation).subject?.reference).toBe('Patient/p9');
    expect(d.versions[0]?.residence).toBe('3508011001');
  });
});
