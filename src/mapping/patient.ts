import type { Extension, Identifier, Patient } from 'fhir/r4';
import { v5 as uuidv5 } from 'uuid';
import { ILP, SYSTEMS } from '../fhir/canonical';
import { areaCodes } from '../intake/area-codes';
import type { MappingContext } from './context';
import { newbornKeyValue } from './patient-key';

/** Namespace of local Patient ids (UUID v5). Never change it: every organisation's Patient ids would move. */
const PATIENT_NAMESPACE = 'b4a7f1c2-9d3e-5a60-8e21-7c4d0f9a6b13';

/**
 * What identifies a person within one organisation's records: the NIK, or for a newborn without
 * one the mother's NIK and the birth order (docs/decisions/0014).
 */
export type PatientKey = { nik: string } | { motherNik: string; birthDate: string; multipleBirth: number };

/**
 * THE derivation of a local Patient id (docs/decisions/0010-tenant-isolation.md): each
 * organisation keeps its own Patient per person, so the id is derived from the organisation AND
 * the person's key. One vendor's visit therefore never changes another organisation's Patient,
 * and the same visit re-sent maps onto the same Patient. SATUSEHAT's MPI stays the source of
 * truth for identity: the relay resolves the NIK to the IHS number per record.
 */
export function patientId(organizationId: string, key: PatientKey): string {
  const person = 'nik' in key ? `nik|${key.nik}` : `nik-ibu|${key.motherNik}|${key.birthDate}|${key.multipleBirth}`;
  return uuidv5(`patient|${organizationId}|${person}`, PATIENT_NAMESPACE);
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
 * NIK, and for a newborn the mother's NIK (nik-ibu) with our local newborn key (mother's NIK and
 * birth order), which the conditional update matches on (patient-key.ts).
 */
function identifiers(p: MappingContext['sub']['raw']['patient']): Identifier[] {
  const out: Identifier[] = [];
  if (p.nik !== undefined) out.push({ use: 'official', system: SYSTEMS.nik, value: p.nik });
  if (p.motherNik !== undefined) {
    out.push({ use: 'official', system: SYSTEMS.motherNik, value: p.motherNik });
    if (p.multipleBirth !== undefined) out.push({ use: 'secondary', system: ILP.newbornIdentifierSystem, value: newbornKeyValue(p.motherNik, p.birthDate, p.multipleBirth) });
  }
  return out;
}

/**
 * Patient as SATUSEHAT's MPI expects it (satusehat-api §2.3, §3.5): NIK identifier (or nik-ibu and
 * multipleBirthInteger for a newborn), administrativeCode address. Its id is the organisation's own
 * Patient of this person (patientId); the Bundle updates the organisation's Patient matched by any of
 * its identifiers (a newborn record linked to the NIK keeps its newborn id), or creates it with that id.
 */
export function mapPatient(ctx: MappingContext): Patient {
  const p = ctx.sub.raw.patient;
  const patient: Patient = {
    resourceType: 'Patient',
    id: patientId(ctx.orgId, p.nik !== undefined ? { nik: p.nik } : { motherNik: p.motherNik ?? '', birthDate: p.birthDate, multipleBirth: p.multipleBirth ?? 1 }),
    identifier: identifiers(p),
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
  // SATUSEHAT requires multipleBirthInteger on a created Patient (RuleNumber 10167, satusehat-api §2.3).
  if (p.multipleBirth !== undefined) patient.multipleBirthInteger = p.multipleBirth;
  if (p.ihsNumber) patient.identifier?.push({ use: 'official', system: SYSTEMS.ihsNumber, value: p.ihsNumber });
  if (p.phone) patient.telecom = [{ system: 'phone', value: p.phone.replace(/[ -]/g, ''), use: 'mobile' }];
  return patient;
}
