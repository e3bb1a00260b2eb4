import { ILP, SYSTEMS } from '../fhir/canonical';
import type { IlpSubmission } from '../intake/submission';

/**
 * How a visit finds its local Patient: by NIK, or for a newborn without one by the mother's NIK,
 * its birth date and birth order (SATUSEHAT newborn pattern, satusehat-api §2.1–§2.3: a nik-ibu
 * search returns all of a mother's children, told apart by birth date and multipleBirthInteger;
 * without the birth date two singleton siblings would be one record). When a visit carries
 * both, the Bundle matches on either (FHIR search: a comma is OR), so the newborn's record is
 * found and gets the NIK added: the records are linked, not duplicated (docs/decisions/0014).
 * Kept in one small function so the per-organisation scoping (docs/decisions/0010) applies to it
 * in one place.
 */
export interface PatientMatchKey {
  system: string;
  value: string;
}

export function newbornKeyValue(motherNik: string, birthDate: string, multipleBirth: number): string {
  return `${motherNik}-${birthDate}-${multipleBirth}`;
}

export function patientKeys(p: IlpSubmission['patient']): PatientMatchKey[] {
  const keys: PatientMatchKey[] = [];
  if (p.nik !== undefined) keys.push({ system: SYSTEMS.nik, value: p.nik });
  if (p.motherNik !== undefined && p.multipleBirth !== undefined) {
    keys.push({ system: ILP.newbornIdentifierSystem, value: newbornKeyValue(p.motherNik, p.birthDate, p.multipleBirth) });
  }
  return keys;
}

/** `Patient?identifier=<system>|<value>[,<system>|<value>]` (FHIR R4 http.html#cond-update). */
export function patientConditionalUrl(p: IlpSubmission['patient']): string {
  return `Patient?identifier=${patientKeys(p).map((k) => `${k.system}|${k.value}`).join(',')}`;
}
