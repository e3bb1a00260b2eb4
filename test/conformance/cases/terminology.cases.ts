import { type Case, type Json, baseObservation, basePatient, ptm, withChange } from '../support';

/**
 * Bindings (terminologies.html#strength) and code validity: value sets with explicit code lists,
 * complete CodeSystems, and the systems checked by their own rules (LOINC check digit, SNOMED CT
 * Verhoeff check digit, ICD-10 pattern, UCUM grammar).
 */
const obs = baseObservation;
const pat = basePatient;
const coding = (system: string, code: string): Json => ({ coding: [{ system, code }] });
const condition = (code: Json): Json => ({ resourceType: 'Condition', code, subject: { reference: 'Patient/p1' } });
const encounter = (): Json => ({ resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' } });

export const terminologyCases: Case[] = [
  { name: 'required binding: Observation.status "done" is not an ObservationStatus', resource: withChange(obs(), 'status', 'done'), valid: false, errors: ['Observation.status'] },
  { name: 'required binding: Patient.gender "M"', resource: withChange(pat(), 'gender', 'M'), valid: false, errors: ['Patient.gender'] },
  { name: 'required binding: Encounter.status "completed" (R5 code)', resource: withChange(encounter(), 'status', 'completed'), valid: false, errors: ['Encounter.status'] },
  { name: 'required binding: Identifier.use "primary"', resource: withChange(pat(), 'identifier', [{ use: 'primary', value: '1' }]), valid: false, errors: ['Patient.identifier[0].use'] },
  { name: 'required binding: ContactPoint.system "mobile"', resource: withChange(pat(), 'telecom', [{ system: 'mobile', value: '0812' }]), valid: false, errors: ['Patient.telecom[0].system'] },
  { name: 'required binding: Address.use "domicile"', resource: withChange(pat(), 'address', [{ use: 'domicile', city: 'Lumajang' }]), valid: false, errors: ['Patient.address[0].use'] },
  { name: 'required binding: HumanName.use "legal"', resource: withChange(pat(), 'name', [{ use: 'legal', text: 'Rina' }]), valid: false, errors: ['Patient.name[0].use'] },
  { name: 'required binding: Bundle.type "collectionx"', resource: { resourceType: 'Bundle', type: 'collectionx' }, valid: false, errors: ['Bundle.type'] },
  { name: 'required binding: Narrative.status "done"', resource: withChange(pat(), 'text', { status: 'done', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' }), valid: false, errors: ['Patient.text.status'] },
  { name: 'required binding on CodeableConcept: clinicalStatus from another system', resource: withChange(condition(coding('http://hl7.org/fhir/sid/icd-10', 'I10')), 'clinicalStatus', coding('http://example.org/status', 'active')), valid: false, errors: ['Condition.clinicalStatus'] },
  { name: 'required binding on CodeableConcept: text only', resource: withChange(condition(coding('http://hl7.org/fhir/sid/icd-10', 'I10')), 'clinicalStatus', { text: 'active' }), valid: false, errors: ['Condition.clinicalStatus'] },
  { name: 'valid: required binding met by one of two codings', resource: withChange(condition(coding('http://hl7.org/fhir/sid/icd-10', 'I10')), 'clinicalStatus', { coding: [{ system: 'http://example.org/s', code: 'x' }, { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] }), valid: true },
  { name: 'unknown code in a complete CodeSystem (observation-category "vitals")', resource: withChange(obs(), 'category', [coding('http://terminology.hl7.org/CodeSystem/observation-category', 'vitals')]), valid: false, errors: ['Observation.category[0].coding[0].code'] },
  { name: 'unknown code in v3-ActCode (Encounter.class)', resource: withChange(encounter(), 'class', { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'XYZ' }), valid: false, errors: ['Encounter.class.code'] },
  { name: 'valid: extensible binding not met gives a warning only (Observation.interpretation)', resource: withChange(obs(), 'interpretation', [coding('http://snomed.info/sct', '38341003')]), valid: true, warnings: ['Observation.interpretation[0]'] },
  { name: 'valid: coding from an unknown system is not judged', resource: withChange(obs(), 'method', coding('http://example.org/methods', 'anything')), valid: true },
  { name: 'LOINC: wrong check digit (8480-5)', resource: withChange(obs(), 'code', coding('http://loinc.org', '8480-5')), valid: false, errors: ['Observation.code.coding[0].code'] },
  { name: 'LOINC: not of the form nnnnn-c', resource: withChange(obs(), 'code', coding('http://loinc.org', 'ABC')), valid: false, errors: ['Observation.code.coding[0].code'] },
  { name: 'valid: LOINC 29463-7 with its check digit', resource: withChange(obs(), 'code', coding('http://loinc.org', '29463-7')), valid: true },
  { name: 'SNOMED CT: wrong Verhoeff check digit (38341004)', resource: withChange(obs(), 'code', coding('http://snomed.info/sct', '38341004')), valid: false, errors: ['Observation.code.coding[0].code'] },
  { name: 'SNOMED CT: leading zero', resource: withChange(obs(), 'code', coding('http://snomed.info/sct', '0383410')), valid: false, errors: ['Observation.code.coding[0].code'] },
  { name: 'SNOMED CT: description id partition (not a concept)', resource: withChange(obs(), 'code', coding('http://snomed.info/sct', '1234567016')), valid: false, errors: ['Observation.code.coding[0].code'] },
  { name: 'valid: SNOMED CT 38341003 (hypertension)', resource: withChange(obs(), 'code', coding('http://snomed.info/sct', '38341003')), valid: true },
  { name: 'ICD-10: "I1O" is not a code', resource: condition(coding('http://hl7.org/fhir/sid/icd-10', 'I1O')), valid: false, errors: ['Condition.code.coding[0].code'] },
  { name: 'valid: ICD-10 E11.9', resource: condition(coding('http://hl7.org/fhir/sid/icd-10', 'E11.9')), valid: true },
  { name: 'UCUM: "mmHg" is not UCUM (mm[Hg] is)', resource: withChange(obs(), 'valueQuantity.code', 'mmHg'), valid: false, errors: ['Observation.valueQuantity.code'] },
  { name: 'valid: UCUM kg/m2', resource: withChange(obs(), 'valueQuantity', { value: 22.1, unit: 'kg/m2', system: 'http://unitsofmeasure.org', code: 'kg/m2' }), valid: true },
  { name: 'valid: a unit code outside UCUM with no system is not judged', resource: withChange(obs(), 'valueQuantity', { value: 1, unit: 'tablet' }), valid: true },
  { name: 'UCUM in a Coding', resource: withChange(obs(), 'method', coding('http://unitsofmeasure.org', 'furlongs/fortnight')), valid: false, errors: ['Observation.method.coding[0].code'] },
  { name: 'tester ValueSet: code outside the value set', validator: 'tester', profile: 'https://tester.example.org/fhir/StructureDefinition/color-observation', resource: withChange(withChange(obs(), 'valueQuantity', undefined), 'valueCodeableConcept', coding('https://tester.example.org/fhir/CodeSystem/colors', 'blue')), valid: false, errors: ['Observation.valueCodeableConcept'] },
  { name: 'valid: tester ValueSet: nested code of a complete CodeSystem', validator: 'tester', profile: 'https://tester.example.org/fhir/StructureDefinition/color-observation', resource: withChange(withChange(withChange(obs(), 'valueQuantity', undefined), 'valueCodeableConcept', coding('https://tester.example.org/fhir/CodeSystem/colors', 'light-green')), 'performer', [{ reference: 'Practitioner/1' }]), valid: true },
  { name: 'ILP: Condition code outside ICD-10 (ilp-icd10 required binding)', validator: 'ilp', resource: withChange(ptm('Condition', 'I10'), 'code', coding('http://snomed.info/sct', '38341003')), valid: false, errors: ['Condition.code'] },
  { name: 'ILP: smoking status answer outside the item value set', validator: 'ilp', resource: withChange(ptm('Observation', '72166-2'), 'valueCodeableConcept', coding('http://snomed.info/sct', '38341003')), valid: false, errors: ['Observation.valueCodeableConcept'] },
  { name: 'ILP: care plan activity kind not in ilp-careplan-activity-kind', validator: 'ilp', resource: withChange(ptm('CarePlan'), 'activity.0.detail.code', coding('https://ilp-gateway.github.io/fhir/CodeSystem/ilp-careplan-activity-kind', 'surgery')), valid: false, errors: ['CarePlan.activity[0].detail.code'] },
  { name: 'ILP: unknown code in our complete CodeSystem ilp-answer', validator: 'ilp', resource: withChange(ptm('Observation', 'tb-screening-result'), 'valueCodeableConcept', coding('https://ilp-gateway.github.io/fhir/CodeSystem/ilp-answer', 'tbc-maybe')), valid: false, errors: ['Observation.valueCodeableConcept.coding[0].code'] },
];
