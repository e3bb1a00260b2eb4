/**
 * Posyandu visits relayed to the simulator (issue 9): a newborn without a NIK is created at the MPI
 * by its mother's NIK, a Td dose (KFA VG139) is delivered as an Immunization, and a dose whose KFA
 * code is unknown (HB0) stays in the gateway rather than sinking the transaction.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDbKind } from '../../support/database';
import { uniqueId, type Json } from '../../support/submissions';
import { startRelayHarness, submit, waitForStatus, type RelayHarness } from './harness';

interface ResourceView { resourceType: string; id: string; nationalId?: string }

const golden = (name: string): Json => JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'golden', `${name}.input.json`), 'utf8')) as Json;

describe(`Posyandu visits relayed (${testDbKind()})`, () => {
  let h: RelayHarness;
  beforeAll(async () => { h = await startRelayHarness({ RELAY_CREATE_PATIENTS: '1' }); });
  afterAll(async () => { await h?.close(); });

  test('a newborn without a NIK is created by the mother\'s NIK; HB0 (no KFA code yet) stays local', async () => {
    const visit = golden('newborn-kn1-no-nik');
    visit.submissionId = uniqueId('KN1');
    visit.start = '2024-07-29T09:00:00+07:00';
    visit.immunizations = [{ vaccine: 'HB0', date: '2024-07-28' }];
    const id = await submit(h.url, visit);
    const done = await waitForStatus(h.url, id, ['delivered', 'rejected', 'failed']);
    expect(done.status).toBe('delivered');
    const resources = done.resources as ResourceView[];
    const ihs = resources.find((r) => r.resourceType === 'Patient')?.nationalId ?? '';
    expect(ihs).toMatch(/^P\d{11}$/);
    const national = h.sim.state.read('Patient', ihs) as { identifier?: { system: string; value: string }[]; multipleBirthInteger?: number };
    expect(national.identifier).toEqual(expect.arrayContaining([expect.objectContaining({ system: 'https://fhir.kemkes.go.id/id/nik-ibu', value: '9204014804000002' })]));
    expect(national.multipleBirthInteger).toBe(1);
    expect(resources.find((r) => r.resourceType === 'Immunization')?.nationalId).toBeUndefined();
    expect(resources.find((r) => r.resourceType === 'Encounter')?.nationalId).toBeDefined();
  });

  test('a Td dose (KFA VG139) reaches the platform as an Immunization of the visit', async () => {
    const visit = golden('school-child');
    visit.submissionId = uniqueId('UKS');
    const id = await submit(h.url, visit);
    const done = await waitForStatus(h.url, id, ['delivered', 'rejected', 'failed']);
    expect(done.status).toBe('delivered');
    const resources = done.resources as ResourceView[];
    const immunization = resources.find((r) => r.resourceType === 'Immunization');
    const national = h.sim.state.read('Immunization', immunization?.nationalId ?? '') as { vaccineCode?: { coding?: { system: string; code: string }[] }; encounter?: { reference?: string } } | undefined;
    expect(national?.vaccineCode?.coding?.[0]).toMatchObject({ system: 'http://sys-ids.kemkes.go.id/kfa', code: 'VG139' });
    const encounter = resources.find((r) => r.resourceType === 'Encounter');
    expect(national?.encounter?.reference).toBe(`Encounter/${encounter?.nationalId}`);
  });
});
