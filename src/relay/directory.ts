import type { Patient } from 'fhir/r4';
import type { NationalCredentials } from './credentials';
import type { NationalPlatform } from './national-platform';
import { failed, isOutcome, problem, type DeliveryResult } from './outcome';

export const NIK_SYSTEM = 'https://fhir.kemkes.go.id/id/nik';
/** A newborn without a NIK is found and created by its mother's NIK (satusehat-api §2.1–§2.3). */
export const MOTHER_NIK_SYSTEM = 'https://fhir.kemkes.go.id/id/nik-ibu';

/**
 * National identities the relay needs before it can send a visit: the patient's IHS number
 * (MPI lookup by NIK, satusehat-api.md §2.2; create when absent if allowed, §2.3) and the
 * existence of each practitioner (`GET Practitioner/<IHS>`). Both are cached in memory: IHS numbers
 * never change for a NIK, and a practitioner once known stays known. The cache is bounded.
 */
export type Resolved<T> = { ok: true; value: T } | { ok: false; result: DeliveryResult };

const MAX_CACHED = 50_000;

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_CACHED) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

/**
 * The IHS number in a Patient-create answer: `data["Patient ID:"]` as documented, `data.patient_id`
 * as SDKs read it, or `data.resourceID` when it exists; a newborn created by the mother's NIK
 * answers inside `create_patient` (§2.3).
 */
function ihsFromCreate(body: unknown): string | undefined {
  const b = body as { data?: Record<string, unknown>; create_patient?: { data?: Record<string, unknown> } } | undefined;
  const data = b?.create_patient?.data ?? b?.data ?? {};
  const id = data['Patient ID:'] ?? data.patient_id ?? data.resourceID;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export class NationalDirectory {
  private readonly patients = new Map<string, string>();
  private readonly practitioners = new Set<string>();

  constructor(
    private readonly platform: NationalPlatform,
    private readonly createPatients: boolean,
  ) {}

  async patient(creds: NationalCredentials, patient: Patient, signal?: AbortSignal): Promise<Resolved<string>> {
    const nik = patient.identifier?.find((i) => i.system === NIK_SYSTEM)?.value;
    const motherNik = patient.identifier?.find((i) => i.system === MOTHER_NIK_SYSTEM)?.value;
    if (!nik && !motherNik) return { ok: false, result: failed('RELAY-PATIENT-UNKNOWN') };
    // A newborn is one of possibly several children of the mother: the birth order tells them apart.
    const key = nik ?? `${MOTHER_NIK_SYSTEM}|${motherNik ?? ''}|${patient.multipleBirthInteger ?? 1}`;
    const cached = this.patients.get(key);
    if (cached) return { ok: true, value: cached };
    const system = nik ? NIK_SYSTEM : MOTHER_NIK_SYSTEM;
    const found = await this.platform.request(creds, { method: 'GET', path: `/Patient?identifier=${encodeURIComponent(`${system}|${nik ?? motherNik ?? ''}`)}` }, 'patient-search', signal);
    if (found.kind !== 'response' || found.status !== 200) return { ok: false, result: problem(found, creds.organizationId) };
    const entry = (found.body as { entry?: { resource?: Patient }[] } | undefined)?.entry ?? [];
    const ihs = (nik ? entry[0] : entry.find((e) => sameNewborn(e.resource, patient)))?.resource?.id;
    if (ihs) {
      remember(this.patients, key, ihs);
      return { ok: true, value: ihs };
    }
    if (!this.createPatients) return { ok: false, result: failed('RELAY-PATIENT-UNKNOWN') };
    return this.create(creds, key, patient, signal);
  }

  private async create(creds: NationalCredentials, key: string, patient: Patient, signal?: AbortSignal): Promise<Resolved<string>> {
    const { id: _id, meta: _meta, ...body } = patient;
    // Only the national identifiers: our local newborn key means nothing to the MPI.
    const identifier = (body.identifier ?? []).filter((i) => i.system?.startsWith('https://fhir.kemkes.go.id/id/'));
    const created = await this.platform.request(creds, { method: 'POST', path: '/Patient', json: { ...body, identifier, multipleBirthInteger: patient.multipleBirthInteger ?? 0 } }, 'patient-create', signal);
    if (created.kind !== 'response' || created.status !== 200) return { ok: false, result: problem(created, creds.organizationId) };
    const ihs = ihsFromCreate(created.body);
    if (!ihs) {
      const message = (created.body as { message?: unknown } | undefined)?.message;
      return { ok: false, result: failed('RELAY-PATIENT-CREATE', { detail: typeof message === 'string' ? message : 'no IHS number in the answer' }) };
    }
    remember(this.patients, key, ihs);
    return { ok: true, value: ihs };
  }

  async practitioner(creds: NationalCredentials, ihs: string, signal?: AbortSignal): Promise<Resolved<true>> {
    if (this.practitioners.has(ihs)) return { ok: true, value: true };
    const found = await this.platform.request(creds, { method: 'GET', path: `/Practitioner/${encodeURIComponent(ihs)}` }, 'practitioner-read', signal);
    if (found.kind === 'response' && found.status === 200) {
      if (this.practitioners.size < MAX_CACHED) this.practitioners.add(ihs);
      return { ok: true, value: true };
    }
    // A 404 is the platform's answer only with its OperationOutcome (a wrong URL or a proxy answers 404 too).
    if (found.kind === 'response' && found.status === 404 && isOutcome(found.body)) return { ok: false, result: failed('RELAY-PRACTITIONER-UNKNOWN', { ihs }) };
    return { ok: false, result: problem(found, creds.organizationId) };
  }
}

/**
 * Among the mother's children (MPI search by nik-ibu "may return many", §2.2) the one with the same
 * birth order and, when both carry one, the same birth date.
 */
function sameNewborn(candidate: Patient | undefined, patient: Patient): boolean {
  if (!candidate) return false;
  if ((candidate.multipleBirthInteger ?? 1) !== (patient.multipleBirthInteger ?? 1)) return false;
  return !candidate.birthDate || !patient.birthDate || candidate.birthDate === patient.birthDate;
}
