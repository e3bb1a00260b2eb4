import type { Extension, Patient } from 'fhir/r4';
import { v5 as uuidv5 } from 'uuid';
import { SYSTEMS } from '../fhir/canonical';
import { areaCodes } from '../intake/area-codes';
import type { MappingContext } from './context';

/** Namespace of local Patient ids (UUID v5). Never change it: every organisation's Patient ids would move. */
const PATIENT_NAMESPACE = 'b4a7f1c2-9d3e-5a60-8e21-7c4d0f9a6b13';

/**
 * What identifies a person within one organisation's records: the NIK. (The posyandu work adds
 * the newborn key without a NIK of its own: mother's NIK + birth order.)
 */
export type PatientKey = { nik: string };

/**
 * THE derivation of a local Patient id (docs/decisions/0010-tenant-isolation.md): each
 * organisation keeps its own Patient per person, so the id is derived from the organisation AND
 * the person's key. One vendor's visit therefore never changes another organisation's Patient,
 * and the same visit re-sent maps onto the same Patient. SATUSEHAT's MPI stays the source of
 * truth for identity: the relay resolves the NIK to the IHS number per record.
 */
export function patientId(organizationId: string, key: PatientKey): string {
  return uuidv5(`patient|${organizationId}|nik|${key.nik}`, PATIENT_NAMESPACE);
}

/** SATUSEHAT examples send RT/RW without leading zeros ("002" → "2"). */
const trimZeros = (s: string): string => s.replace(/^0+(?=\d)/, '');

function administrativeCode(villageCode: string, rt?: string, rw?: string): Extension {
  const codes = areaCodes(villageCode);
  const parts: Extension[] = [
    { url: 'province', valueCode: codes.province },
    { url: 'city', valueCode: codes.city },
    { url: 'district', valueCode: codes.district },
    { url: 'village', valueCode: codes.village },
  ];
  if (rt) parts.push({ url: 'rt', valueCode: trimZeros(rt) });
  if (rw) parts.push({ url: 'rw', valueCode: trimZeros(rw) });
  return { url: SYSTEMS.administrativeCodeExtension, extension: parts };
}

/**
 * Patient as SATUSEHAT's MPI expects it (satusehat-api §2.3, §3.5): NIK identifier, administrativeCode
 * address; its id is the organisation's own Patient of this NIK (patientId).
 */
export function mapPatient(ctx: MappingContext): Patient {
  const p = ctx.sub.raw.patient;
  const patient: Patient = {
    resourceType: 'Patient',
    id: patientId(ctx.orgId, { nik: p.nik }),
    identifier: [{ use: 'official', system: SYSTEMS.nik, value: p.nik }],
    active: true,
    name: [{ use: 'official', text: p.name }],
    gender: p.gender,
    birthDate: p.birthDate,
    address: [{
      use: 'home',
      ...(p.address.line ? { line: [p.address.line] } : {}),
      country: 'ID',
      extension: [administrativeCode(p.address.villageCode, p.address.rt, p.address.rw)],
    }],
  };
  if (p.ihsNumber) patient.identifier?.push({ use: 'official', system: SYSTEMS.ihsNumber, value: p.ihsNumber });
  if (p.phone) patient.telecom = [{ system: 'phone', value: p.phone.replace(/[ -]/g, ''), use: 'mobile' }];
  return patient;
}
