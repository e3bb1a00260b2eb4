import { createIlpValidator } from '../../../src/validation/ilp/ilp-validator';
import { modeOptions } from '../../../src/validation/modes';

/**
 * Rules added to agree with the HL7 reference validator (issue 13; scored against
 * fhir-test-cases in test/conformance/hl7-reference.test.ts). Each: one failing and one passing input.
 */
const validator = createIlpValidator();
const errorsAt = (r: unknown): string[] => validator.validate(r, modeOptions('r4')).filter((i) => i.severity === 'error').map((i) => i.expression ?? '');

const searchset = (entry: unknown[], link: unknown[] = []): unknown => ({ resourceType: 'Bundle', type: 'searchset', ...(link.length > 0 ? { link } : {}), entry });
const basic = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ resourceType: 'Basic', id: 'b1', code: { text: 'x' }, ...extra });

test.each([
  ['Bundle.entry.fullUrl must be absolute', { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'Basic/b1', resource: basic() }] }, 'Bundle.entry[0].fullUrl'],
  ['a paging link relation occurs once', searchset([], [{ relation: 'self', url: 'http://x/a' }, { relation: 'self', url: 'http://x/b' }]), 'Bundle.link[1]'],
  ['search results have ids', searchset([{ fullUrl: 'http://x/Basic/1', resource: { ...basic(), id: undefined }, search: { mode: 'match' } }]), 'Bundle.entry[0].resource'],
  ['search.mode outcome is an OperationOutcome', searchset([{ fullUrl: 'http://x/Basic/1', resource: basic(), search: { mode: 'outcome' } }]), 'Bundle.entry[0].resource'],
  ['per-1: a date start and a dateTime end of the same day (FHIRPath: empty, so not true)', { resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, period: { start: '2023-06-21', end: '2023-06-21T06:20:00Z' } }, 'Encounter.period'],
  ['que-12 as corrected: two enableWhen need enableBehavior', { resourceType: 'Questionnaire', status: 'active', item: [{ linkId: '1', type: 'boolean' }, { linkId: '2', type: 'boolean', enableWhen: [{ question: '1', operator: '=', answerBoolean: true }, { question: '1', operator: 'exists', answerBoolean: true }] }] }, 'Questionnaire.item[1]'],
  ['no extensions on Resource.id', { ...basic(), _id: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] } }, 'Basic.id'],
  ['base64Binary must be base64', { resourceType: 'Binary', contentType: 'text/plain', data: '%%%2@()()' }, 'Binary.data'],
  ['Attachment.size matches the data', { resourceType: 'Media', status: 'completed', content: { contentType: 'text/plain', data: 'aGVsbG8=', size: 100 } }, 'Media.content'],
  ['no <script> in a narrative', { ...basic(), text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div>' } }, 'Basic.text.div'],
  ['an unknown extension is an error in r4 mode', basic({ extension: [{ url: 'https://vendor.example.id/ext', valueString: 'x' }] }), 'Basic.extension[0]'],
  ['a canonical is absolute or a fragment', { resourceType: 'Measure', status: 'active', library: ['Library/lib-1'] }, 'Measure.library[0]'],
  ['ValueSet.compose.include.system is absolute', { resourceType: 'ValueSet', status: 'active', compose: { include: [{ system: 'c1' }] } }, 'ValueSet.compose.include[0].system'],
  ['urn:uuid is lower case', { resourceType: 'ValueSet', status: 'active', url: 'urn:uuid:6A2EE390-978E-42C6-8F88-C17DFF3BD8A0' }, 'ValueSet.url'],
  ['Coding.system is a code system, not a value set', basic({ code: { coding: [{ system: 'http://hl7.org/fhir/ValueSet/measure-type', code: 'x' }] } }), 'Basic.code.coding[0].system'],
  ['a CodeSystem supplement has content supplement', { resourceType: 'CodeSystem', status: 'active', content: 'complete', supplements: 'http://loinc.org' }, 'CodeSystem.content'],
  ['SNOMED CT codes listed in a ValueSet are checked', { resourceType: 'ValueSet', status: 'active', compose: { include: [{ system: 'http://snomed.info/sct', concept: [{ code: '1' }] }] } }, 'ValueSet.compose.include[0].concept[0]'],
  ['an extension is used only in its context', { resourceType: 'Patient', name: [{ family: 'F', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/humanname-mothers-family', valueString: 'M' }] }] }, 'Patient.name[0].extension[0]'],
])('%s', (_name, resource, expression) => {
  expect(errorsAt(resource)).toContain(expression);
});

test.each([
  ['urn:uuid fullUrls and absolute URLs', { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:6a2ee390-978e-42c6-8f88-c17dff3bd8a0', resource: basic() }, { fullUrl: 'http://x/Basic/2', resource: { ...basic(), id: '2' } }] }],
  ['an OperationOutcome without id in a searchset (not a match)', searchset([{ resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] }, search: { mode: 'outcome' } }])],
  ['per-1: a date start before a dateTime end', { resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, period: { start: '2023-06-20', end: '2023-06-21T06:20:00Z' } }],
  ['a sized attachment', { resourceType: 'Media', status: 'completed', content: { contentType: 'text/plain', data: 'aGVsbG8=', size: 5 } }],
  ['a sub-extension (relative url) of a known complex extension', { resourceType: 'Patient', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-nationality', extension: [{ url: 'code', valueCodeableConcept: { text: 'ID' } }] }] }],
  ['the extension on its context element', { resourceType: 'Patient', name: [{ _family: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/humanname-mothers-family', valueString: 'M' }] }, family: 'F' }] }],
])('valid: %s', (_name, resource) => {
  expect(errorsAt(resource)).toEqual([]);
});

/** Added in the second pass on issue 13 (the validator branch): each rule with a failing and a passing input. */
const obs = (code: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ resourceType: 'Observation', status: 'final', code: { coding: [code] }, ...extra });
const vitalOk = {
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
  subject: { reference: 'Patient/p1' }, effectiveDateTime: '2024-01-02T10:00:00+07:00',
  valueQuantity: { value: 37, unit: 'C', system: 'http://unitsofmeasure.org', code: 'Cel' },
};
const cs = (extra: Record<string, unknown>): Record<string, unknown> => ({ resourceType: 'CodeSystem', url: 'http://example.org/cs', status: 'active', content: 'complete', ...extra });

test.each([
  ['a vital-sign code (SNOMED CT body temperature) calls for the R4 profile: bodytemp needs LOINC 8310-5', obs({ system: 'http://snomed.info/sct', code: '276885007' }, vitalOk), 'Observation.code.coding'],
  ['bp: component slices are told apart by codes fixed in their coding sub-slices', obs({ system: 'http://loinc.org', code: '85354-9' }, { ...vitalOk, valueQuantity: undefined, component: [{ code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } }] }), 'Observation.component'],
  ['vs-1 sees effective[x] as a dateTime: precise to the day', obs({ system: 'http://loinc.org', code: '8310-5' }, { ...vitalOk, effectiveDateTime: '2024' }), 'Observation.effectiveDateTime'],
  ['dom-3: a contained resource is referenced', { resourceType: 'Condition', subject: { reference: 'Patient/p1' }, contained: [{ resourceType: 'Practitioner', id: 'pr1' }] }, 'Condition.contained[0]'],
  ['a #id reference names a contained resource (beside ref-1)', { resourceType: 'Condition', subject: { reference: 'Patient/p1' }, recorder: { reference: '#nobody' } }, 'Condition.recorder'],
  ['a relative reference is Type/id', { resourceType: 'Condition', subject: { reference: 'p1' } }, 'Condition.subject'],
  ['an extension has a url', basic({ extension: [{ valueString: 'x' }] }), 'Basic.extension[0]'],
  ['an extension url has no version', { resourceType: 'Patient', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-congregation|4.0.0', valueString: 'x' }] }, 'Patient.extension[0]'],
  ['a RESTful fullUrl ends with the type and id', { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://x/Basic/b2', resource: basic() }] }, 'Bundle.entry[0].fullUrl'],
  ['an entry with relative references has a fullUrl', { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Condition', subject: { reference: 'Patient/p1' } }, request: { method: 'PUT', url: 'Condition/c1' } }] }, 'Bundle.entry[0]'],
  ['a complete CodeSystem states its concept count right', cs({ count: 2, concept: [{ code: 'a' }] }), 'CodeSystem.count'],
  ['a supplement defines no codes of its own (LOINC)', cs({ content: 'supplement', supplements: 'http://loinc.org', concept: [{ code: 'test' }] }), 'CodeSystem.concept[0]'],
  ['an HL7 concept property keeps its type', cs({ property: [{ code: 'notSelectable', uri: 'http://hl7.org/fhir/concept-properties#notSelectable', type: 'dateTime' }] }), 'CodeSystem.property[0]'],
  ['no made-up properties in the HL7 namespace', cs({ property: [{ code: 'order', uri: 'http://hl7.org/fhir/concept-properties#order', type: 'decimal' }] }), 'CodeSystem.property[0]'],
  ['a SNOMED CT attribute filter takes = or in', { resourceType: 'ValueSet', status: 'active', compose: { include: [{ system: 'http://snomed.info/sct', filter: [{ property: '1142143009', op: 'not-in', value: '734137005' }] }] } }, 'ValueSet.compose.include[0].filter[0]'],
  ['a search expression starts from its base', { resourceType: 'SearchParameter', url: 'http://example.org/sp', name: 'n', status: 'active', description: 'd', code: 'name', base: ['Patient'], type: 'string', expression: 'Organization.name' }, 'SearchParameter.expression'],
  ['a derived SearchParameter keeps to its parent\'s bases', { resourceType: 'SearchParameter', url: 'http://example.org/sp', name: 'n', status: 'active', description: 'd', code: 'name', base: ['Patient'], type: 'string', expression: 'Patient.name', derivedFrom: 'http://hl7.org/fhir/SearchParameter/Organization-name' }, 'SearchParameter'],
  ['eld-19 on the whole path', { resourceType: 'StructureDefinition', url: 'http://example.org/sd', name: 'X', status: 'draft', kind: 'resource', abstract: false, type: 'Observation', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Observation', derivation: 'constraint', differential: { element: [{ id: 'Observation...unit', path: 'Observation...unit' }] } }, 'StructureDefinition.differential.element[0]'],
])('%s', (_name, resource, expression) => {
  expect(errorsAt(resource)).toContain(expression);
});

test.each([
  ['body temperature with LOINC 8310-5 meets bodytemp', obs({ system: 'http://loinc.org', code: '8310-5' }, vitalOk)],
  ['a contained resource referenced by #id, and one referring to its container by #', { resourceType: 'Condition', subject: { reference: 'Patient/p1' }, recorder: { reference: '#pr1' }, contained: [{ resourceType: 'Practitioner', id: 'pr1' }, { resourceType: 'Provenance', id: 'pv1', target: [{ reference: '#' }], recorded: '2024-01-02T10:00:00+07:00', agent: [{ who: { reference: '#pr1' } }] }] }],
  ['a RESTful fullUrl with its own type and id', { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://x/Basic/b1', resource: basic() }] }],
  ['a complete CodeSystem with the right count and HL7 properties as defined', cs({ count: 2, property: [{ code: 'notSelectable', uri: 'http://hl7.org/fhir/concept-properties#notSelectable', type: 'boolean' }], concept: [{ code: 'a', concept: [{ code: 'b' }] }] })],
  ['a derived SearchParameter on its parent\'s base', { resourceType: 'SearchParameter', url: 'http://example.org/sp', name: 'n', status: 'active', description: 'd', code: 'name', base: ['Organization'], type: 'string', expression: 'Organization.name | Organization.alias', derivedFrom: 'http://hl7.org/fhir/SearchParameter/Organization-name' }],
])('valid: %s', (_name, resource) => {
  expect(errorsAt(resource)).toEqual([]);
});
