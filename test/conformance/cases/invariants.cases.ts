import { type Case, type Json, baseObservation, basePatient, withChange } from '../support';

/** Error-level invariants of R4 (conformance-rules.html#constraints): resources, datatypes and Bundle. */
const obs = baseObservation;
const pat = basePatient;
const condition = (): Json => ({
  resourceType: 'Condition',
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10' }] },
  subject: { reference: 'Patient/p1' },
});
const transaction = (entries: Json[]): Json => ({ resourceType: 'Bundle', type: 'transaction', entry: entries });
const putEntry = (i: number): Json => ({ fullUrl: `urn:uuid:00000000-0000-4000-8000-00000000000${i}`, resource: basePatient(), request: { method: 'PUT', url: `Patient/p${i}` } });

export const invariantCases: Case[] = [
  { name: 'obs-6: dataAbsentReason with a value', resource: withChange(obs(), 'dataAbsentReason', { text: 'not done' }), valid: false, errors: ['Observation'] },
  { name: 'obs-6 holds: dataAbsentReason without a value', resource: withChange(withChange(obs(), 'valueQuantity', undefined), 'dataAbsentReason', { text: 'not done' }), valid: true },
  { name: 'obs-7: a component repeats Observation.code while a value is present', resource: withChange(obs(), 'component', [{ code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] }, valueString: 'x' }]), valid: false, errors: ['Observation'] },
  { name: 'obs-7 holds: component with a different code', resource: withChange(obs(), 'component', [{ code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueString: 'x' }]), valid: true },
  { name: 'obs-3: referenceRange with neither low, high nor text', resource: withChange(obs(), 'referenceRange', [{ type: { text: 'normal' } }]), valid: false, errors: ['Observation.referenceRange[0]'] },
  { name: 'per-1: Period end before start', resource: withChange(obs(), 'effectivePeriod', { start: '2024-01-02T10:00:00Z', end: '2024-01-01T10:00:00Z' }), valid: false, errors: ['Observation.effectivePeriod'] },
  { name: 'per-1 holds across time zones (10:00+07:00 = 03:00Z)', resource: withChange(obs(), 'effectivePeriod', { start: '2024-01-01T10:00:00+07:00', end: '2024-01-01T04:00:00Z' }), valid: true },
  { name: 'qty-3: Quantity code without system', resource: withChange(obs(), 'valueQuantity', { value: 1, code: 'mm[Hg]' }), valid: false, errors: ['Observation.valueQuantity'] },
  { name: 'ref-1: local reference to a missing contained resource', resource: withChange(obs(), 'subject', { reference: '#p9' }), valid: false, errors: ['Observation.subject'] },
  { name: 'ref-1 holds: local reference to a contained Patient', resource: withChange(withChange(obs(), 'contained', [basePatient()]), 'subject', { reference: '#p1' }), valid: true },
  { name: 'dom-2: contained resource with its own contained', resource: withChange(obs(), 'contained', [withChange(pat(), 'contained', [{ resourceType: 'Patient', id: 'x', active: true }])]), valid: false, errors: ['Observation'] },
  { name: 'dom-4: contained resource with meta.versionId', resource: withChange(withChange(obs(), 'contained', [withChange(pat(), 'meta', { versionId: '1' })]), 'subject', { reference: '#p1' }), valid: false, errors: ['Observation'] },
  { name: 'dom-5: contained resource with meta.security', resource: withChange(withChange(obs(), 'contained', [withChange(pat(), 'meta', { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] })]), 'subject', { reference: '#p1' }), valid: false, errors: ['Observation'] },
  { name: 'pat-1: contact without any detail (FHIRPath)', resource: withChange(pat(), 'contact', [{ gender: 'male' }]), valid: false, errors: ['Patient.contact[0]'] },
  { name: 'pat-1 holds: contact with a name', resource: withChange(pat(), 'contact', [{ name: { text: 'Budi' } }]), valid: true },
  { name: 'ext-1: extension with both a value and extensions', resource: withChange(pat(), 'extension', [{ url: 'http://example.org/x', valueString: 'a', extension: [{ url: 'y', valueString: 'b' }] }]), valid: false, errors: ['Patient.extension[0]'] },
  { name: 'ext-1: extension with neither a value nor extensions', resource: withChange(pat(), 'extension', [{ url: 'http://example.org/x' }]), valid: false, errors: ['Patient.extension[0]'] },
  { name: 'bdl-1: total in a transaction', resource: { ...transaction([putEntry(1)]), total: 1 }, valid: false, errors: ['Bundle'] },
  { name: 'bdl-3: transaction entry without request', resource: transaction([{ fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001', resource: basePatient() }]), valid: false, errors: ['Bundle'] },
  { name: 'bdl-4: response in a transaction', resource: transaction([{ ...putEntry(1), response: { status: '200' } }]), valid: false, errors: ['Bundle'] },
  { name: 'bdl-7: the same fullUrl twice', resource: transaction([putEntry(1), putEntry(1)]), valid: false, errors: ['Bundle'] },
  { name: 'bdl-8: fullUrl with _history', resource: transaction([{ ...putEntry(1), fullUrl: 'http://x.org/fhir/Patient/1/_history/2' }]), valid: false, errors: ['Bundle.entry[0]'] },
  { name: 'bdl-5: entry with neither resource, request nor response', resource: { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001' }] }, valid: false, errors: ['Bundle.entry[0]'] },
  { name: 'valid: transaction with two PUT entries', resource: transaction([putEntry(1), putEntry(2)]), valid: true },
  { name: 'con-4: abatement while active', resource: withChange(condition(), 'abatementDateTime', '2024-01-01'), valid: false, errors: ['Condition'] },
  { name: 'con-5: entered-in-error with a clinical status', resource: withChange(condition(), 'verificationStatus', { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error' }] }), valid: false, errors: ['Condition'] },
  { name: 'cpl-3: activity with both detail and reference', resource: { resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: 'Patient/p1' }, activity: [{ reference: { reference: 'ServiceRequest/s1' }, detail: { status: 'scheduled', description: 'x' } }] }, valid: false, errors: ['CarePlan.activity[0]'] },
  { name: 'rng-2: Range low above high', resource: withChange(withChange(obs(), 'valueQuantity', undefined), 'valueRange', { low: { value: 5, system: 'http://unitsofmeasure.org', code: 'mg' }, high: { value: 1, system: 'http://unitsofmeasure.org', code: 'mg' } }), valid: false, errors: ['Observation.valueRange'] },
  { name: 'cpt-2: ContactPoint value without system', resource: withChange(pat(), 'telecom', [{ value: '0812' }]), valid: false, errors: ['Patient.telecom[0]'] },
  { name: 'txt-1: narrative div without the XHTML namespace', resource: withChange(pat(), 'text', { status: 'generated', div: '<div>Rina</div>' }), valid: false, errors: ['Patient.text.div'] },
  { name: 'valid: narrative div in the XHTML namespace', resource: withChange(pat(), 'text', { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Rina</div>' }), valid: true },
];
