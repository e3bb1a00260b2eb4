import { type Case, type Json, ANC, PTM, clone, ptm, withChange } from '../support';

/**
 * Our ILP profiles (profiles/, docs/validation.md): every resource the mapping produced for the two
 * golden visits is valid; each profile rule rejects the data it is there to reject.
 */
const ILP = 'https://ilp-gateway.github.io/fhir/StructureDefinition/';
const sbp = (): Json => ptm('Observation', '8480-6');

function goldenCases(bundle: Json, visit: string): Case[] {
  return (bundle.entry as { resource: Json }[]).map(({ resource }, i) => {
    const code = ((resource.code as Json | undefined)?.coding as Json[] | undefined)?.[0]?.code;
    return { name: `valid: ${visit} entry ${i} ${String(resource.resourceType)}${code ? ` ${String(code)}` : ''} (mapping output)`, validator: 'ilp', resource: clone(resource), valid: true };
  });
}

export const ilpCases: Case[] = [
  ...goldenCases(PTM, 'PTM lansia'),
  ...goldenCases(ANC, 'ANC posyandu'),
  { name: 'valid: the whole PTM visit Bundle', validator: 'ilp', resource: clone(PTM), valid: true },
  { name: 'valid: the whole ANC visit Bundle', validator: 'ilp', resource: clone(ANC), valid: true },
  { name: 'systolic BP: unit mmHg instead of UCUM mm[Hg] (fixedCode)', validator: 'ilp', resource: withChange(sbp(), 'valueQuantity.code', 'mmHg'), valid: false, errors: ['Observation.valueQuantity.code'] },
  { name: 'systolic BP: 500 mmHg is outside 40..300 (maxValueDecimal)', validator: 'ilp', resource: withChange(sbp(), 'valueQuantity.value', 500), valid: false, errors: ['Observation.valueQuantity.value'] },
  { name: 'systolic BP: value as a string (value[x] restricted to Quantity)', validator: 'ilp', resource: withChange(withChange(sbp(), 'valueQuantity', undefined), 'valueString', '120'), valid: false, errors: ['Observation.valueString', 'Observation.value'] },
  { name: 'systolic BP: no value (value[x] min 1)', validator: 'ilp', resource: withChange(sbp(), 'valueQuantity', undefined), valid: false, errors: ['Observation.value'] },
  { name: 'systolic BP: no UCUM system', validator: 'ilp', resource: withChange(sbp(), 'valueQuantity.system', undefined), valid: false, errors: ['Observation.valueQuantity.system'] },
  { name: 'systolic BP: category laboratory instead of vital-signs (pattern)', validator: 'ilp', resource: withChange(sbp(), 'category.0.coding.0.code', 'laboratory'), valid: false, errors: ['Observation.category[0]'] },
  { name: 'Observation.status "done" is refused (R4 ObservationStatus)', validator: 'ilp', resource: withChange(sbp(), 'status', 'done'), valid: false, errors: ['Observation.status'] },
  { name: 'ILP Observation: no encounter', validator: 'ilp', resource: withChange(sbp(), 'encounter', undefined), valid: false, errors: ['Observation.encounter'] },
  // SATUSEHAT leaves Observation.identifier and category optional (satusehat-api.md §3.2); the FHIR intake adds the identifier (issue 13).
  { name: 'valid: ILP Observation without identifier (optional in SATUSEHAT)', validator: 'ilp', resource: withChange(sbp(), 'identifier', undefined), valid: true },
  { name: 'valid: ILP Observation without category (optional in SATUSEHAT)', validator: 'ilp', resource: withChange(sbp(), 'category', undefined), valid: true },
  { name: 'ILP Observation: no performer', validator: 'ilp', resource: withChange(sbp(), 'performer', undefined), valid: false, errors: ['Observation.performer'] },
  { name: 'ILP Observation: effectivePeriod instead of effectiveDateTime', validator: 'ilp', resource: withChange(withChange(sbp(), 'effectiveDateTime', undefined), 'effectivePeriod', { start: '2025-03-03T02:00:00+00:00' }), valid: false, errors: ['Observation.effectivePeriod'] },
  { name: 'ILP Observation: code with no coding (code.coding min 1)', validator: 'ilp', resource: withChange(sbp(), 'code', { text: 'Tekanan darah' }), valid: false, errors: ['Observation.code.coding'] },
  { name: 'SRQ-20 score: 25 is outside 0..20 (maxValueInteger)', validator: 'ilp', resource: withChange(ptm('Observation', 'srq20-score'), 'valueInteger', 25), valid: false, errors: ['Observation.valueInteger'] },
  { name: 'cough ≥ 2 weeks: valueString instead of valueBoolean', validator: 'ilp', resource: withChange(withChange(ptm('Observation', 'cough-2-weeks'), 'valueBoolean', undefined), 'valueString', 'ya'), valid: false, errors: ['Observation.valueString'] },
  { name: 'body weight: grams instead of kg', validator: 'ilp', resource: withChange(ptm('Observation', '29463-7'), 'valueQuantity.code', 'g'), valid: false, errors: ['Observation.valueQuantity.code'] },
  { name: 'ILP Patient: no identifier', validator: 'ilp', resource: withChange(ptm('Patient'), 'identifier', undefined), valid: false, errors: ['Patient.identifier'] },
  { name: 'ILP Patient: no birthDate', validator: 'ilp', resource: withChange(ptm('Patient'), 'birthDate', undefined), valid: false, errors: ['Patient.birthDate'] },
  { name: 'ILP Patient: no gender', validator: 'ilp', resource: withChange(ptm('Patient'), 'gender', undefined), valid: false, errors: ['Patient.gender'] },
  { name: 'ILP Patient: no name', validator: 'ilp', resource: withChange(ptm('Patient'), 'name', undefined), valid: false, errors: ['Patient.name'] },
  { name: 'ILP Encounter: no statusHistory (SATUSEHAT RuleNumber 10122)', validator: 'ilp', resource: withChange(ptm('Encounter'), 'statusHistory', undefined), valid: false, errors: ['Encounter.statusHistory'] },
  { name: 'ILP Encounter: no serviceProvider', validator: 'ilp', resource: withChange(ptm('Encounter'), 'serviceProvider', undefined), valid: false, errors: ['Encounter.serviceProvider'] },
  { name: 'ILP Encounter: no period', validator: 'ilp', resource: withChange(ptm('Encounter'), 'period', undefined), valid: false, errors: ['Encounter.period'] },
  { name: 'ILP Encounter: period without start', validator: 'ilp', resource: withChange(ptm('Encounter'), 'period.start', undefined), valid: false, errors: ['Encounter.period.start'] },
  { name: 'ILP Condition: no encounter', validator: 'ilp', resource: withChange(ptm('Condition', 'I10'), 'encounter', undefined), valid: false, errors: ['Condition.encounter'] },
  { name: 'valid: ILP Condition without clinicalStatus (optional in SATUSEHAT)', validator: 'ilp', resource: withChange(ptm('Condition', 'I10'), 'clinicalStatus', undefined), valid: true },
  { name: 'ILP CarePlan: no title (SATUSEHAT rule 10329)', validator: 'ilp', resource: withChange(ptm('CarePlan'), 'title', undefined), valid: false, errors: ['CarePlan.title'] },
  { name: 'ILP CarePlan: no author (SATUSEHAT rule 10382)', validator: 'ilp', resource: withChange(ptm('CarePlan'), 'author', undefined), valid: false, errors: ['CarePlan.author'] },
  { name: 'ILP CarePlan: no encounter', validator: 'ilp', resource: withChange(ptm('CarePlan'), 'encounter', undefined), valid: false, errors: ['CarePlan.encounter'] },
  { name: 'ILP CarePlan: activity without a kind code', validator: 'ilp', resource: withChange(ptm('CarePlan'), 'activity.0.detail.code', undefined), valid: false, errors: ['CarePlan.activity[0].detail.code'] },
  { name: 'explicit profile: ILP Patient profile on an Observation', validator: 'ilp', profile: `${ILP}ilp-patient`, resource: sbp(), valid: false, errors: ['Observation'] },
  { name: 'meta.profile: base validator applies the ILP item profile named in meta.profile', validator: 'base', resource: withChange(withChange(sbp(), 'meta', { profile: [`${ILP}ilp-obs-systolic-bp`] }), 'valueQuantity.value', 400), valid: false, errors: ['Observation.valueQuantity.value'] },
  { name: 'valid: meta.profile naming an unknown profile is a warning', validator: 'ilp', resource: withChange(sbp(), 'meta', { profile: ['https://unknown.example.org/StructureDefinition/x'] }), valid: true, warnings: ['Observation'] },
  { name: 'a Bundle entry failing its item profile is located by entry index', validator: 'ilp', resource: withChange(clone(PTM), 'entry.3.resource.valueQuantity.code', 'mmHg'), valid: false, errors: ['Bundle.entry[3].resource.valueQuantity.code'] },
];
