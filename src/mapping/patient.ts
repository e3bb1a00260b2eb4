import type { Extension, Identifier, Patient } from 'fhir/r4';
import { ILP, SYSTEMS } from '../fhir/canonical';
import { areaCodes } from '../intake/area-codes';
import type { MappingContext } from './context';
import { newbornKeyValue } from './patient-key';

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
    if (p.multipleBirth !== undefined) out.push({ use: 'secondary', system: ILP.newbornIdentifierSystem, value: newbornKeyValue(p.motherNik, p.multipleBirth) });
  }
  return out;
}

/**
 * Patient as SATUSEHAT's MPI expects it (satusehat-api §2.3, §3.5): NIK identifier (or nik-ibu and
 * multipleBirthInteger for a newborn), administrativeCode address. No id: the Bundle updates the
 * patient matched by its identifiers, or creates one.
 */
export function mapPatient(ctx: MappingContext): Patient {
  const p = ctx.sub.raw.patient;
  const patient: Patient = {
    resourceType: 'Patient',
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
