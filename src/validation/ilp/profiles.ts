import { SYSTEMS } from '../../fhir/canonical';
import type { StructureDefinition } from '../model';
import { el, profile, ref, sdUrl } from './builders';
import { EXTENSION_URLS } from './extensions';
import { VS } from './value-sets';

/**
 * The ILP resource profiles: what SATUSEHAT requires of the resources an ILP visit becomes
 * (satusehat-api §3, §7 RuleNumbers cited per element) and what our mapping promises
 * (docs/decisions/0003-mapping-conventions.md). Differentials only; snapshots are generated
 * (snapshot.ts, scripts/gen-validation-profiles.mjs).
 */

export const PROFILE_URLS = {
  patient: sdUrl('ilp-patient'),
  encounter: sdUrl('ilp-encounter'),
  observation: sdUrl('ilp-observation'),
  condition: sdUrl('ilp-condition'),
  carePlan: sdUrl('ilp-careplan'),
  immunization: sdUrl('ilp-immunization'),
} as const;

const extSlice = (base: string, name: string, url: string, min: number, max: string) =>
  el(`${base}.extension`, { id: `${base}.extension:${name}`, sliceName: name, min, max, type: [{ code: 'Extension', profile: [url] }] });

const urlSlicing = { discriminator: [{ type: 'value' as const, path: 'url' }], rules: 'open' as const };

export function patientProfile(version: string): StructureDefinition {
  const nik = 'Patient.identifier:nik';
  return profile({ id: 'ilp-patient', type: 'Patient', title: 'ILP Patient', description: 'A patient of an ILP visit, identified by NIK as SATUSEHAT\'s master patient index requires (satusehat-api §2.3).' }, version, [
    el('Patient.identifier', { min: 1, slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } }),
    el('Patient.identifier', { id: nik, sliceName: 'nik', min: 0, max: '1', short: 'NIK (Nomor Induk Kependudukan)' }),
    el('Patient.identifier.system', { id: `${nik}.system`, min: 1, fixedUri: SYSTEMS.nik }),
    el('Patient.identifier.value', {
      id: `${nik}.value`, min: 1,
      constraint: [{ key: 'ilp-nik-1', severity: 'error', human: 'A NIK is 16 digits', expression: "matches('^[0-9]{16}$')" }],
    }),
    el('Patient.name', { min: 1 }),
    el('Patient.gender', { min: 1 }),
    el('Patient.birthDate', { min: 1 }),
    el('Patient.address.extension', { slicing: urlSlicing }),
    extSlice('Patient.address', 'administrativeCode', EXTENSION_URLS.administrativeCode, 0, '1'),
  ]);
}

export function encounterProfile(version: string): StructureDefinition {
  return profile({ id: 'ilp-encounter', type: 'Encounter', title: 'ILP Encounter', description: 'One ILP visit: cluster, life-cycle groups and setting, with the status history SATUSEHAT requires (RuleNumber 10122).' }, version, [
    el('Encounter.extension', { slicing: urlSlicing }),
    extSlice('Encounter', 'cluster', EXTENSION_URLS.cluster, 1, '1'),
    extSlice('Encounter', 'lifeCycle', EXTENSION_URLS.lifeCycle, 0, '*'),
    extSlice('Encounter', 'setting', EXTENSION_URLS.setting, 0, '1'),
    el('Encounter.identifier', { min: 1 }),
    el('Encounter.statusHistory', { min: 1, short: 'SATUSEHAT requires arrived, in-progress and finished with periods (RuleNumber 10122)' }),
    el('Encounter.type', { binding: { strength: 'extensible', valueSet: VS.visitType } }),
    el('Encounter.subject', { min: 1, type: ref('Patient') }),
    el('Encounter.period', { min: 1 }),
    el('Encounter.period.start', { min: 1 }),
    el('Encounter.serviceProvider', { min: 1, type: ref('Organization') }),
  ]);
}

export function observationProfile(version: string): StructureDefinition {
  // SATUSEHAT requires status, code, subject, encounter, performer and asks for effectiveDateTime;
  // identifier and category are optional there (satusehat-api.md §3.2), so they are optional here:
  // the gateway's transaction intake adds the identifier its relay needs (fhir-rest/relay-identifiers.ts).
  return profile({ id: 'ilp-observation', type: 'Observation', title: 'ILP Observation', description: 'A screening result of an ILP visit; each catalogue item has its own profile derived from this one.' }, version, [
    el('Observation.code.coding', { min: 1 }),
    el('Observation.subject', { min: 1, type: ref('Patient') }),
    el('Observation.encounter', { min: 1, type: ref('Encounter') }),
    el('Observation.effective[x]', { min: 1, type: [{ code: 'dateTime' }] }),
    el('Observation.performer', { min: 1 }),
  ]);
}

export function conditionProfile(version: string): StructureDefinition {
  return profile({ id: 'ilp-condition', type: 'Condition', title: 'ILP Condition', description: 'A diagnosis of an ILP visit, coded in ICD-10 as SATUSEHAT requires (satusehat-api §3.4).' }, version, [
    // SATUSEHAT requires code, subject and encounter (rules 10125/10126, satusehat-api.md §3.3);
    // clinicalStatus and category are optional there, so they are here.
    el('Condition.code', { min: 1, binding: { strength: 'required', valueSet: VS.icd10 } }),
    el('Condition.subject', { type: ref('Patient') }),
    el('Condition.encounter', { min: 1 }),
  ]);
}

export function carePlanProfile(version: string): StructureDefinition {
  return profile({ id: 'ilp-careplan', type: 'CarePlan', title: 'ILP CarePlan', description: 'The follow-up plan of an ILP visit: the vendor\'s activities and those the catalogue adds for positive screenings.' }, version, [
    // SATUSEHAT requires title, description, subject, encounter and author (rules 10328/10329/10380-10382, satusehat-api.md §3.4).
    el('CarePlan.title', { min: 1 }),
    el('CarePlan.description', { min: 1 }),
    el('CarePlan.subject', { type: ref('Patient') }),
    el('CarePlan.encounter', { min: 1 }),
    el('CarePlan.author', { min: 1 }),
    el('CarePlan.activity.detail.code', { min: 1, binding: { strength: 'required', valueSet: VS.activityKind } }),
  ]);
}

/** A vaccine dose of an ILP visit (catalog/vaccines.ts; KMK Tabel 7–8), as SATUSEHAT takes doses. */
export function immunizationProfile(version: string): StructureDefinition {
  return profile({ id: 'ilp-immunization', type: 'Immunization', title: 'ILP Immunization', description: 'One vaccine dose of an ILP visit: KIA short name (and the KFA code where known), dose number, occurrence in UTC.' }, version, [
    el('Immunization.identifier', { min: 1 }),
    el('Immunization.vaccineCode.coding', { min: 1 }),
    el('Immunization.patient', { type: ref('Patient') }),
    el('Immunization.encounter', { min: 1, type: ref('Encounter') }),
    el('Immunization.occurrence[x]', { type: [{ code: 'dateTime' }] }),
    el('Immunization.performer', { min: 1 }),
    el('Immunization.protocolApplied', { min: 1 }),
    el('Immunization.protocolApplied.doseNumber[x]', { type: [{ code: 'positiveInt' }] }),
  ]);
}
