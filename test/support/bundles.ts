import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, Encounter, FhirResource, Observation, Patient } from 'fhir/r4';
import type { SaveSubmissionInput } from '../../src/store/ports';

/**
 * Small transaction Bundles shaped like the mapping's output: the Patient by a conditional PUT on
 * its NIK, everything else by PUT Type/id, references between entries by urn:uuid fullUrls.
 */
export const NIK = 'https://fhir.kemkes.go.id/id/nik';
export const NIK_IBU = 'https://fhir.kemkes.go.id/id/nik-ibu';
export const ORG = '10000005';

/** A random 16-digit NIK in DKI Jakarta (province 31), unique enough for one test run. */
export function newNik(): string {
  return `31${String(randomInt(10 ** 7)).padStart(7, '0')}${String(randomInt(10 ** 7)).padStart(7, '0')}`;
}

export function urn(): string {
  return `urn:uuid:${randomUUID()}`;
}

export function conditionalPut(resource: FhirResource, system: string, value: string, fullUrl = urn()): BundleEntry {
  return { fullUrl, resource, request: { method: 'PUT', url: `${resource.resourceType}?identifier=${system}|${value}` } };
}

export function put(resource: FhirResource & { id: string }, fullUrl = urn()): BundleEntry {
  return { fullUrl, resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } };
}

export function transaction(entries: BundleEntry[]): Bundle {
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}

export function patient(nik: string, name = 'Rina Wulandari', system = NIK): Patient {
  return { resourceType: 'Patient', identifier: [{ system, value: nik }], name: [{ text: name }], gender: 'female', birthDate: '2002-03-14' };
}

/** The content of one visit; tests change a field to make a "changed payload". */
export interface Visit {
  nik: string;
  patientName: string;
  encounterId: string;
  status: Encounter['status'];
  observations: { id: string; loinc: string; value: number }[];
}

export function visit(overrides: Partial<Visit> = {}): Visit {
  return {
    nik: newNik(),
    patientName: 'Rina Wulandari',
    encounterId: randomUUID(),
    status: 'finished',
    observations: [
      { id: randomUUID(), loinc: '8480-6', value: 142 },
      { id: randomUUID(), loinc: '8462-4', value: 92 },
    ],
    ...overrides,
  };
}

export function visitBundle(v: Visit): Bundle {
  const patientUrl = urn();
  const encounterUrl = urn();
  const encounter: Encounter & { id: string } = {
    resourceType: 'Encounter',
    id: v.encounterId,
    status: v.status,
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    identifier: [{ system: `http://sys-ids.kemkes.go.id/encounter/${ORG}`, value: v.encounterId }],
    subject: { reference: patientUrl },
    period: { start: '2024-07-29T01:15:00+00:00' },
  };
  const observations = v.observations.map(
    (o): Observation & { id: string } => ({
      resourceType: 'Observation',
      id: o.id,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: o.loinc }] },
      subject: { reference: patientUrl },
      encounter: { reference: encounterUrl },
      valueQuantity: { value: o.value, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    }),
  );
  return transaction([
    conditionalPut(patient(v.nik, v.patientName), NIK, v.nik, patientUrl),
    put(encounter, encounterUrl),
    ...observations.map((o) => put(o)),
  ]);
}

export function hashOf(payload: unknown): string {
  return createHash('sha256').update(JSON.stringify(payload)).digest('hex');
}

/** What saveSubmission receives for a visit: the visit itself stands in for the vendor payload. */
export function submission(v: Visit, submissionId: string, organizationId = ORG): SaveSubmissionInput {
  return { organizationId, submissionId, payload: v, payloadHash: hashOf(v), bundle: visitBundle(v), warnings: [] };
}

/** The same as submission(), around a hand-made Bundle. */
export function bundleSubmission(bundle: Bundle, submissionId: string, organizationId = ORG): SaveSubmissionInput {
  return { organizationId, submissionId, payload: bundle, payloadHash: hashOf(bundle), bundle, warnings: [] };
}

let counter = 0;
export function submissionId(prefix = 'STORE'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now()}-${counter}`;
}
