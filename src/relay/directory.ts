import type { Patient, Resource } from 'fhir/r4';
import type { NationalCredentials } from './credentials';
import type { NationalPlatform } from './national-platform';
import { failed, isOutcome, problem, type DeliveryResult } from './outcome';

export const NIK_SYSTEM = 'https://fhir.kemkes.go.id/id/nik';

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

/** The IHS number in a Patient-create answer: `data["Patient ID:"]` as documented, `data.patient_id` as SDKs read it, or `data.resourceID` when it exists (§2.3). */
function ihsFromCreate(body: unknown): string | undefined {
  const data = (body as { data?: Record<string, unknown> } | undefined)?.data ?? {};
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
    if (!nik) return { ok: false, result: failed('RELAY-PATIENT-UNKNOWN') };
    const cached = this.patients.get(nik);
    if (cached) return { ok: true, value: cached };
    const found = await this.platform.request(creds, { method: 'GET', path: `/Patient?identifier=${encodeURIComponent(`${NIK_SYSTEM}|${nik}`)}` }, 'patient-search', signal);
    if (found.kind !== 'response' || found.status !== 200) return { ok: false, result: problem(found, creds.organizationId) };
    const entry = (found.body as { entry?: { resource?: Resource }[] } | undefined)?.entry ?? [];
    const ihs = entry[0]?.resource?.id;
    if (ihs) {
      remember(this.patients, nik, ihs);
      return { ok: true, value: ihs };
    }
    if (!this.createPatients) return { ok: false, result: failed('RELAY-PATIENT-UNKNOWN') };
    return this.create(creds, nik, patient, signal);
  }

  private async create(creds: NationalCredentials, nik: string, patient: Patient, signal?: AbortSignal): Promise<Resolved<string>> {
    const { id: _id, meta: _meta, ...body } = patient;
    const created = await this.platform.request(creds, { method: 'POST', path: '/Patient', json: { ...body, multipleBirthInteger: patient.multipleBirthInteger ?? 0 } }, 'patient-create', signal);
    if (created.kind !== 'response' || created.status !== 200) return { ok: false, result: problem(created, creds.organizationId) };
    const ihs = ihsFromCreate(created.body);
    if (!ihs) {
      const message = (created.body as { message?: unknown } | undefined)?.message;
      return { ok: false, result: failed('RELAY-PATIENT-CREATE', { detail: typeof message === 'string' ? message : 'no IHS number in the answer' }) };
    }
    remember(this.patients, nik, ihs);
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
