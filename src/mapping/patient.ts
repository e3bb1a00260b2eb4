import type { Extension, Patient } from 'fhir/r4';
import { SYSTEMS } from '../fhir/canonical';
import { areaCodes } from '../intake/area-codes';
import type { MappingContext } from './context';

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
 * address. No id: the Bundle updates the patient matched by NIK, or creates one.
 */
export function mapPatient(ctx: MappingContext): Patient {
  const p = ctx.sub.raw.patient;
  const patient: Patient = {
    resourceType: 'Patient',
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
