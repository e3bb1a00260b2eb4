import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, BundleEntry, Encounter, Observation, Patient } from 'fhir/r4';
import { ORG, urn } from '../../support/bundles';
import { startGateway, type TestGateway } from '../../support/gateway';

/** The gateway for FHIR API tests: authentication off (routes are auth-agnostic), exports in a temporary directory. */
export async function startFhirGateway(env: Record<string, string> = {}): Promise<TestGateway & { exportDir: string }> {
  const exportDir = mkdtempSync(join(tmpdir(), 'ilp-export-'));
  // Status polls every 100 ms in tests: no Retry-After limit unless a test asks for one.
  const gw = await startGateway({ AUTH_DISABLED: '1', EXPORT_DIR: exportDir, EXPORT_RETRY_AFTER_SECONDS: '0', ...env });
  return {
    ...gw,
    exportDir,
    close: async () => {
      await gw.close();
      rmSync(exportDir, { recursive: true, force: true });
    },
  };
}

export interface Json { [key: string]: unknown }

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/fhir+json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

export const ADMIN_CODE = 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode';

export function regionAddress(village: string): Patient['address'] {
  const codes = { province: village.slice(0, 2), city: village.slice(0, 4), district: village.slice(0, 6), village };
  return [{ use: 'home', country: 'ID', extension: [{ url: ADMIN_CODE, extension: Object.entries(codes).map(([url, valueCode]) => ({ url, valueCode })) }] }];
}

export function searchIds(bundle: Json, mode = 'match'): string[] {
  const entries = (bundle.entry ?? []) as BundleEntry[];
  return entries.filter((e) => (e.search?.mode ?? 'match') === mode).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`).sort();
}

export function link(bundle: Json, relation: string): string | undefined {
  return ((bundle.link ?? []) as { relation: string; url: string }[]).find((l) => l.relation === relation)?.url;
}

/** A FHIR-native vendor's transaction: POST entries with urn:uuid fullUrls, the Patient by conditional create on NIK. */
export function vendorTransaction(opts: { nik: string; village: string; org?: string; identifier?: string; systolic?: number; start?: string }): Bundle {
  const patientUrl = urn();
  const encounterUrl = urn();
  const patient: Patient = { resourceType: 'Patient', identifier: [{ system: 'https://fhir.kemkes.go.id/id/nik', value: opts.nik }], name: [{ text: 'Sari Dewi' }], gender: 'female', birthDate: '1990-05-01', address: regionAddress(opts.village) };
  const start = opts.start ?? '2025-03-10T02:00:00+00:00';
  const end = '2025-03-10T02:30:00+00:00';
  const visitId = opts.identifier ?? `V-${opts.nik}-${start}`;
  // What our ILP profiles require of a FHIR-native vendor (SATUSEHAT's mandatory elements):
  // identifiers in the organisation's sys-ids namespace, status history, a performer.
  const encounter: Encounter = {
    resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    identifier: [{ system: `http://sys-ids.kemkes.go.id/encounter/${opts.org ?? ORG}`, value: visitId }],
    statusHistory: [{ status: 'finished', period: { start, end } }],
    subject: { reference: patientUrl }, serviceProvider: { reference: `Organization/${opts.org ?? ORG}` },
    period: { start, end },
  };
  const observation: Observation = {
    resourceType: 'Observation', status: 'final', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, subject: { reference: patientUrl }, encounter: { reference: encounterUrl },
    identifier: [{ system: `http://sys-ids.kemkes.go.id/observation/${opts.org ?? ORG}`, value: `${visitId}.8480-6` }],
    performer: [{ reference: 'Practitioner/10009880728' }],
    effectiveDateTime: opts.start ?? '2025-03-10T02:05:00+00:00',
    valueQuantity: { value: opts.systolic ?? 128, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
  };
  return {
    resourceType: 'Bundle', type: 'transaction',
    ...(opts.identifier ? { identifier: { system: 'https://simpus.example/bundle', value: opts.identifier } } : {}),
    entry: [
      { fullUrl: patientUrl, resource: patient, request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=https://fhir.kemkes.go.id/id/nik|${opts.nik}` } },
      { fullUrl: encounterUrl, resource: encounter, request: { method: 'POST', url: 'Encounter' } },
      { fullUrl: urn(), resource: observation, request: { method: 'POST', url: 'Observation' } },
    ],
  };
}
