import { type Case, type Json, baseObservation, basePatient, ptm, withChange } from '../support';

/**
 * Slicing (profiling.html#slicing): value/pattern, exists, type and profile discriminators, open
 * and closed rules, slice cardinality; on our profiles (ILP Patient NIK slice, ILP Encounter
 * extensions, SATUSEHAT administrativeCode) and on the tester profiles in ../tester-profiles/,
 * which have differentials only (their snapshots are generated when loaded).
 */
const T = 'https://tester.example.org/fhir/StructureDefinition/';
const NIK = 'https://fhir.kemkes.go.id/id/nik';
const loinc = (code: string): Json => ({ coding: [{ system: 'http://loinc.org', code }] });
const mmHg = (value: number): Json => ({ value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });
const panel = (components: Json[]): Json => ({ ...withChange(baseObservation(), 'valueQuantity', undefined), code: loinc('85354-9'), component: components });
const sys = { code: loinc('8480-6'), valueQuantity: mmHg(120) };
const dia = { code: loinc('8462-4'), valueQuantity: mmHg(80) };
const admin = (): Json[] => ((ptm('Patient').address as Json[])[0]?.extension as Json[]);
const adminParts = (): Json[] => (admin()[0]?.extension as Json[]);
const patientWithParts = (parts: Json[]): Json => withChange(ptm('Patient'), 'address.0.extension.0.extension', parts);
const encounterExtensions = (): Json[] => ptm('Encounter').extension as Json[];
const withoutUrl = (list: Json[], url: string): Json[] => list.filter((e) => !String(e.url).endsWith(url));

export const slicingCases: Case[] = [
  { name: 'valid: pattern discriminator, both slices present (tester bp-panel)', validator: 'tester', profile: `${T}bp-panel`, resource: panel([sys, dia]), valid: true },
  { name: 'pattern discriminator, closed: a component of a third code', validator: 'tester', profile: `${T}bp-panel`, resource: panel([sys, dia, { code: loinc('8867-4'), valueQuantity: { value: 70 } }]), valid: false, errors: ['Observation.component[2]'] },
  { name: 'slice min: diastolic missing', validator: 'tester', profile: `${T}bp-panel`, resource: panel([sys, { ...sys }]), valid: false, errors: ['Observation.component'] },
  { name: 'slice max: systolic twice', validator: 'tester', profile: `${T}bp-panel`, resource: panel([sys, sys, dia]), valid: false, errors: ['Observation.component'] },
  { name: 'constraint inside a slice: systolic unit fixed to mm[Hg]', validator: 'tester', profile: `${T}bp-panel`, resource: panel([{ ...sys, valueQuantity: { value: 120, system: 'http://unitsofmeasure.org', code: 'kPa' } }, dia]), valid: false, errors: ['Observation.component[0].valueQuantity.code'] },
  { name: 'type restriction inside a slice: systolic as a string', validator: 'tester', profile: `${T}bp-panel`, resource: panel([{ code: loinc('8480-6'), valueString: '120' }, dia]), valid: false, errors: ['Observation.component[0].valueString'] },
  { name: 'valid: exists discriminator, one dated identifier', validator: 'tester', profile: `${T}dated-identifier-patient`, resource: withChange(basePatient(), 'identifier', [{ value: 'a', period: { start: '2020-01-01' } }, { value: 'b' }]), valid: true },
  { name: 'exists discriminator: no dated identifier (slice min 1)', validator: 'tester', profile: `${T}dated-identifier-patient`, resource: withChange(basePatient(), 'identifier', [{ value: 'b' }]), valid: false, errors: ['Patient.identifier'] },
  { name: 'exists discriminator: two dated identifiers (slice max 1)', validator: 'tester', profile: `${T}dated-identifier-patient`, resource: withChange(basePatient(), 'identifier', [{ value: 'a', period: { start: '2020' } }, { value: 'b', period: { start: '2021' } }]), valid: false, errors: ['Patient.identifier'] },
  { name: 'valid: profile discriminator, the ILP cluster extension matched by profile', validator: 'tester', profile: `${T}clustered-encounter`, resource: ptm('Encounter'), valid: true },
  { name: 'profile discriminator: cluster extension with an invalid code matches no slice', validator: 'tester', profile: `${T}clustered-encounter`, resource: withChange(ptm('Encounter'), 'extension.0.valueCoding.code', '9'), valid: false, errors: ['Encounter.extension'] },
  { name: 'valid: type discriminator, valueQuantity slice', validator: 'tester', profile: `${T}quantity-only-observation`, resource: baseObservation(), valid: true },
  { name: 'type discriminator, closed: valueString matches no slice', validator: 'tester', profile: `${T}quantity-only-observation`, resource: withChange(withChange(baseObservation(), 'valueQuantity', undefined), 'valueString', 'x'), valid: false, errors: ['Observation.valueString'] },
  { name: 'type discriminator: constraint of the matched slice (system required)', validator: 'tester', profile: `${T}quantity-only-observation`, resource: withChange(baseObservation(), 'valueQuantity', { value: 1, unit: 'x' }), valid: false, errors: ['Observation.valueQuantity.system'] },
  { name: 'profile invariant (tst-1) of a tester profile', validator: 'tester', profile: `${T}color-observation`, resource: withChange(withChange(baseObservation(), 'valueQuantity', undefined), 'valueCodeableConcept', { coding: [{ system: 'https://tester.example.org/fhir/CodeSystem/colors', code: 'red' }] }), valid: false, errors: ['Observation'] },
  { name: 'max 0 in a tester profile (Observation.note)', validator: 'tester', profile: `${T}color-observation`, resource: { ...withChange(withChange(baseObservation(), 'valueQuantity', undefined), 'valueCodeableConcept', { coding: [{ system: 'https://tester.example.org/fhir/CodeSystem/colors', code: 'red' }] }), performer: [{ reference: 'Practitioner/1' }], note: [{ text: 'x' }] }, valid: false, errors: ['Observation.note'] },
  { name: 'ILP Patient: two NIK identifiers (nik slice max 1)', validator: 'ilp', resource: withChange(ptm('Patient'), 'identifier', [{ system: NIK, value: '3174010101700001' }, { system: NIK, value: '3174010101700002' }]), valid: false, errors: ['Patient.identifier'] },
  { name: 'ILP Patient: NIK of 15 digits (ilp-nik-1)', validator: 'ilp', resource: withChange(ptm('Patient'), 'identifier', [{ system: NIK, value: '317401010170000' }]), valid: false, errors: ['Patient.identifier[0].value'] },
  { name: 'valid: ILP Patient with NIK and another identifier (open slicing)', validator: 'ilp', resource: withChange(ptm('Patient'), 'identifier', [{ system: NIK, value: '3174010101700001' }, { system: 'http://example.org/mrn', value: 'RM-1' }]), valid: true },
  { name: 'ILP Encounter: cluster extension missing (slice min 1)', validator: 'ilp', resource: withChange(ptm('Encounter'), 'extension', withoutUrl(encounterExtensions(), 'ilp-cluster')), valid: false, errors: ['Encounter.extension'] },
  { name: 'ILP Encounter: two cluster extensions (slice max 1)', validator: 'ilp', resource: withChange(ptm('Encounter'), 'extension', [...encounterExtensions(), encounterExtensions()[0]]), valid: false, errors: ['Encounter.extension'] },
  { name: 'ILP Encounter: cluster extension with valueString (value[x] restricted to Coding)', validator: 'ilp', resource: withChange(ptm('Encounter'), 'extension.0', { url: 'https://ilp-gateway.github.io/fhir/StructureDefinition/ilp-cluster', valueString: '3' }), valid: false, errors: ['Encounter.extension[0].valueString'] },
  { name: 'ILP Encounter: cluster code outside ilp-cluster', validator: 'ilp', resource: withChange(ptm('Encounter'), 'extension.0.valueCoding.code', '9'), valid: false, errors: ['Encounter.extension[0].valueCoding'] },
  { name: 'ILP Encounter: life-cycle code outside ilp-life-cycle', validator: 'ilp', resource: withChange(ptm('Encounter'), 'extension.1.valueCoding.code', 'anak'), valid: false, errors: ['Encounter.extension[1].valueCoding'] },
  { name: 'administrativeCode: unknown part (closed slicing)', validator: 'ilp', resource: patientWithParts([...adminParts(), { url: 'kelurahan', valueCode: '1' }]), valid: false, errors: [`Patient.address[0].extension[0].extension[${adminParts().length}]`] },
  { name: 'administrativeCode: village missing (slice min 1)', validator: 'ilp', resource: patientWithParts(adminParts().filter((p) => p.url !== 'village')), valid: false, errors: ['Patient.address[0].extension[0].extension'] },
  { name: 'administrativeCode: part as valueString instead of valueCode', validator: 'ilp', resource: patientWithParts(adminParts().map((p) => (p.url === 'rt' ? { url: 'rt', valueString: '2' } : p))), valid: false, errors: [`Patient.address[0].extension[0].extension[${adminParts().findIndex((p) => p.url === 'rt')}].valueString`] },
  { name: 'administrativeCode: a value on the complex extension itself', validator: 'ilp', resource: withChange(ptm('Patient'), 'address.0.extension.0.valueCode', '35'), valid: false, errors: ['Patient.address[0].extension[0].valueCode'] },
  { name: 'valid: ILP Patient with administrativeCode without rt/rw', validator: 'ilp', resource: patientWithParts(adminParts().filter((p) => p.url !== 'rt' && p.url !== 'rw')), valid: true },
  { name: 'unknown extension is a warning, not an error (extensibility.html)', validator: 'ilp', resource: withChange(ptm('Patient'), 'extension', [{ url: 'https://vendor.example.org/x', valueString: 'a' }]), valid: true, warnings: ['Patient.extension[0]'] },
];

