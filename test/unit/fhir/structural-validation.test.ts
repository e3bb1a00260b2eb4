import { fhirPath, loadStructuralValidator, validateBundleStructure, validateStructure } from '../../../src/fhir/structural-validation';

// Structural validation = the FHIR R4 JSON schema (generated/fhir-r4-schema.js, `npm run build`).
// Each case names the rule the schema enforces and the exact FHIRPath expression reported.

type Json = Record<string, unknown>;

const observation = (): Json => ({
  resourceType: 'Observation',
  id: '3f1c2a8e-5b7d-4e0a-9c61-0d2f7e8a1b34',
  identifier: [{ system: 'http://sys-ids.kemkes.go.id/observation/10000005', value: 'SIMPUS-3508-2024-000123-systolic-bp' }],
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] },
  subject: { reference: 'Patient/P02478375538', display: 'Rina Wulandari' },
  performer: [{ reference: 'Practitioner/10009880728' }],
  encounter: { reference: 'urn:uuid:0c6f6c8e-1f3c-4c8e-8e7e-2b3c4d5e6f70' },
  effectiveDateTime: '2024-07-29T01:15:00+00:00',
  issued: '2024-07-29T01:20:00+00:00',
  valueQuantity: { value: 142, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
  interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H' }] }],
});

const patient = (): Json => ({
  resourceType: 'Patient',
  identifier: [{ use: 'official', system: 'https://fhir.kemkes.go.id/id/nik', value: '9271060312000001' }],
  active: true,
  name: [{ use: 'official', text: 'Rina Wulandari' }],
  gender: 'female',
  birthDate: '2002-03-14',
  address: [{ use: 'home', line: ['Jl. Melati No. 5'], extension: [{ url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode', extension: [{ url: 'village', valueCode: '3508012001' }] }] }],
});

const encounter = (): Json => ({
  resourceType: 'Encounter',
  identifier: [{ system: 'http://sys-ids.kemkes.go.id/encounter/10000005', value: 'SIMPUS-3508-2024-000123' }],
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
  subject: { reference: 'Patient/P02478375538' },
  participant: [{ type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND' }] }], individual: { reference: 'Practitioner/10009880728' } }],
  period: { start: '2024-07-29T01:15:00+00:00', end: '2024-07-29T01:50:00+00:00' },
  location: [{ location: { reference: 'Location/308680cc-4007-46c3-9818-21d3d6340467' } }],
  statusHistory: [{ status: 'finished', period: { start: '2024-07-29T01:15:00+00:00', end: '2024-07-29T01:50:00+00:00' } }],
  serviceProvider: { reference: 'Organization/10000005' },
});

const entry = (resource: Json, n: number): Json => ({
  fullUrl: `urn:uuid:0c6f6c8e-1f3c-4c8e-8e7e-2b3c4d5e6f7${n}`,
  resource,
  request: { method: 'POST', url: String(resource.resourceType) },
});

const bundle = (...resources: Json[]): Json => ({ resourceType: 'Bundle', type: 'transaction', entry: resources.map(entry) });

const expressions = (resource: unknown): (string | undefined)[] => validateStructure(resource).map((i) => i.expression);

describe('validateStructure: valid R4 resources pass', () => {
  test.each([
    ['Observation', observation()],
    ['Patient', patient()],
    ['Encounter', encounter()],
    ['transaction Bundle', bundle(encounter(), observation(), patient())],
    ['Patient with only resourceType', { resourceType: 'Patient' }],
  ])('%s', (_name, resource) => {
    expect(validateStructure(resource)).toEqual([]);
  });
});

describe('validateStructure: what the R4 JSON schema catches, with the exact expression', () => {
  test.each<[string, (r: Json) => unknown, string, RegExp]>([
    ['JSON type: Quantity.value is a number, not a string', (r) => ({ ...r, valueQuantity: { value: '142' } }), 'Observation.valueQuantity.value', /expected a number, got string "142"/],
    ['unknown element (additionalProperties: false)', (r) => ({ ...r, foo: 1 }), 'Observation.foo', /unknown element "foo"/],
    ['unknown element with a non-identifier name', (r) => ({ ...r, 'foo-bar': 1 }), 'Observation.`foo-bar`', /unknown element "foo-bar"/],
    ['required element (min = 1)', ({ code: _code, ...r }) => r, 'Observation.code', /missing required element "code"/],
    ['required binding as enum: status "done"', (r) => ({ ...r, status: 'done' }), 'Observation.status', /"done" is not one of the allowed codes: registered, preliminary, final/],
    ['null is not a value', (r) => ({ ...r, status: null }), 'Observation.status', /null is not one of the allowed codes/],
    ['dateTime pattern: space instead of T', (r) => ({ ...r, effectiveDateTime: '2024-07-29 08:15:00+07:00' }), 'Observation.effectiveDateTime', /"2024-07-29 08:15:00\+07:00" is not a valid FHIR dateTime/],
    ['dateTime pattern: R4 requires seconds when a time is given', (r) => ({ ...r, effectiveDateTime: '2024-07-29T08:15+07:00' }), 'Observation.effectiveDateTime', /not a valid FHIR dateTime/],
    ['dateTime pattern: time without offset', (r) => ({ ...r, effectiveDateTime: '2024-07-29T08:15:00' }), 'Observation.effectiveDateTime', /not a valid FHIR dateTime/],
    ['instant pattern: date only', (r) => ({ ...r, issued: '2024-07-29' }), 'Observation.issued', /not a valid FHIR instant/],
    ['uri pattern: no whitespace', (r) => ({ ...r, code: { coding: [{ system: 'http://loinc.org' }, { system: 'http://loinc .org' }] } }), 'Observation.code.coding[1].system', /is not a valid FHIR canonical \/ uri \/ url/],
    ['string: empty string', (r) => ({ ...r, code: { text: '' } }), 'Observation.code.text', /empty string is not allowed/],
    ['cardinality 0..*: a single object where an array belongs', (r) => ({ ...r, category: { text: 'x' } }), 'Observation.category', /expected an array, got object/],
    ['cardinality 0..1: an array where a single object belongs', (r) => ({ ...r, subject: [{ reference: 'Patient/1' }] }), 'Observation.subject', /expected a JSON object, got array/],
    ['a complex type is an object: Reference as a string', (r) => ({ ...r, subject: 'Patient/P02478375538' }), 'Observation.subject', /expected a JSON object, got string "Patient\/P02478375538"/],
    ['no empty arrays', (r) => ({ ...r, category: [] }), 'Observation.category', /empty array is not allowed/],
    ['no empty objects (ele-1)', (r) => ({ ...r, code: {} }), 'Observation.code', /empty object is not allowed/],
    ['integer is a whole number', (r) => ({ ...r, valueQuantity: undefined, valueInteger: 1.5 }), 'Observation.valueInteger', /expected an integer, got number 1.5/],
    ['contained resources are checked against their own type', (r) => ({ ...r, contained: [{ resourceType: 'Patient', gender: 'm' }] }), 'Observation.contained[0].gender', /"m" is not one of the allowed codes: male, female, other, unknown/],
    ['missing resourceType', ({ resourceType: _t, ...r }) => r, 'Resource.resourceType', /missing required element "resourceType"/],
    ['unknown resourceType', (r) => ({ ...r, resourceType: 'Observasi' }), 'Resource.resourceType', /unknown resource type "Observasi"/],
    ['not an R4 resource type (Medplum proprietary)', () => ({ resourceType: 'User', email: 'a@b.c' }), 'Resource.resourceType', /unknown resource type "User"/],
    ['not a JSON object', () => [observation()], 'Resource', /expected a JSON object, got array/],
  ])('%s', (_rule, mutate, expression, detail) => {
    const issues = validateStructure(mutate(observation()));
    expect(issues.map((i) => i.expression)).toEqual([expression]);
    expect(issues[0]).toMatchObject({ severity: 'error', code: 'structure', errorCode: 'FHIR-STRUCTURE' });
    expect(issues[0]?.message.en).toMatch(detail);
  });

  test('every error is reported (allErrors), in document order', () => {
    const bad = { ...observation(), status: 'done', foo: 1, valueQuantity: { value: '142' } };
    expect(expressions(bad)).toEqual(['Observation.foo', 'Observation.status', 'Observation.valueQuantity.value']);
  });

  test('a huge number of errors is capped with a final count', () => {
    const bad: Json = { resourceType: 'Observation', status: 'final', code: { text: 'x' } };
    for (let i = 0; i < 150; i++) bad[`x${i}`] = i;
    const issues = validateStructure(bad);
    expect(issues).toHaveLength(101);
    expect(issues[100]?.message.en).toMatch(/50 further structural errors not shown/);
  });
});

describe('validateStructure: Bundle entries are validated against their own resourceType', () => {
  test('the error path goes through the entry index', () => {
    const b = bundle(encounter(), { ...observation(), subject: { reference: 5 } });
    expect(expressions(b)).toEqual(['Bundle.entry[1].resource.subject.reference']);
  });

  test('indexes inside the entry are kept', () => {
    const obs = { ...observation(), code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }, { system: 42 }] } };
    expect(expressions(bundle(obs))).toEqual(['Bundle.entry[0].resource.code.coding[1].system']);
  });

  test('one error per problem, not one per resource type of the oneOf', () => {
    const issues = validateStructure(bundle(patient(), { ...observation(), foo: 1 }));
    expect(issues.map((i) => [i.expression, i.message.en])).toEqual([
      ['Bundle.entry[1].resource.foo', 'Not valid FHIR R4: unknown element "foo"'],
    ]);
  });

  test('errors in several entries are all reported', () => {
    const b = bundle({ ...encounter(), status: 'selesai' }, observation(), { ...patient(), gender: 'L' });
    expect(expressions(b)).toEqual(['Bundle.entry[0].resource.status', 'Bundle.entry[2].resource.gender']);
  });

  test('an entry without resourceType is reported once, at resourceType', () => {
    const { resourceType: _t, ...noType } = observation();
    expect(expressions(bundle(noType))).toEqual(['Bundle.entry[0].resource.resourceType']);
  });

  test('an entry whose resource is not an object', () => {
    const b = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: 'Patient/1' }] };
    expect(expressions(b)).toEqual(['Bundle.entry[0].resource']);
  });

  test('Bundle-level rules: type is a required code', () => {
    expect(expressions({ resourceType: 'Bundle', type: 'batch-transaction' })).toEqual(['Bundle.type']);
  });
});

describe('validateStructure: what the R4 JSON schema does NOT catch (left to validation/)', () => {
  test.each<[string, (r: Json) => Json]>([
    ['impossible calendar dates (pattern only): 2024-02-30', (r) => ({ ...r, effectiveDateTime: '2024-02-30T01:15:00+00:00' })],
    ['codes of non-required bindings (category, interpretation, units)', (r) => ({ ...r, interpretation: [{ coding: [{ system: 'http://example.org', code: 'TINGGI' }] }] })],
    ['reference syntax', (r) => ({ ...r, subject: { reference: 'not a reference at all' } })],
    ['invariants (obs-6: dataAbsentReason only when there is no value)', (r) => ({ ...r, dataAbsentReason: { text: 'x' } })],
    ['choice types: two value[x] at once', (r) => ({ ...r, valueString: 'tinggi' })],
    ['primitive extension without its value (_status alone)', ({ status: _s, ...r }) => ({ ...r, status: 'final', _status: { extension: [{ url: 'http://x', valueString: 'y' }] } })],
    ['profile rules (SATUSEHAT: performer, encounter, +00:00 times)', ({ performer: _p, encounter: _e, ...r }) => ({ ...r, effectiveDateTime: '2024-07-29T08:15:00+07:00' })],
  ])('%s', (_gap, mutate) => {
    expect(validateStructure(mutate(observation()))).toEqual([]);
  });
});

describe('validateBundleStructure', () => {
  test('accepts a valid Bundle', () => {
    expect(validateBundleStructure(bundle(observation()))).toEqual([]);
  });

  test('refuses another resource type', () => {
    expect(validateBundleStructure(patient()).map((i) => [i.expression, i.message.en])).toEqual([
      ['Patient.resourceType', 'Not valid FHIR R4: expected a Bundle, got Patient'],
    ]);
  });

  test('reports entry errors like validateStructure', () => {
    expect(validateBundleStructure(bundle({ ...observation(), status: 'done' })).map((i) => i.expression)).toEqual([
      'Bundle.entry[0].resource.status',
    ]);
  });
});

describe('generated module', () => {
  test('exports the named validators and the 146 R4 resource types', () => {
    const m = loadStructuralValidator();
    for (const t of ['Patient', 'Encounter', 'Observation', 'Condition', 'CarePlan', 'Bundle', 'OperationOutcome', 'Organization', 'Location', 'Practitioner']) {
      expect(typeof m[`validate${t}`]).toBe('function');
    }
    expect(m.validateObservation?.(observation())).toBe(true);
    expect(m.validatePatient?.(observation())).toBe(false); // a per-type validator checks that type only
    expect(loadStructuralValidator().resourceTypes).toHaveLength(146);
    expect(loadStructuralValidator().resourceTypes).not.toContain('Project');
  });

  test('is loaded once', () => {
    expect(loadStructuralValidator()).toBe(loadStructuralValidator());
  });
});

describe('fhirPath', () => {
  test.each([
    [[], 'Bundle'],
    [['entry', '0', 'resource', 'code', 'coding', '1', 'system'], 'Bundle.entry[0].resource.code.coding[1].system'],
    [['_status'], 'Bundle._status'],
    [['a b'], 'Bundle.`a b`'],
    [['a`b'], 'Bundle.`a\\`b`'],
  ])('%j', (segments, expected) => {
    expect(fhirPath('Bundle', segments)).toBe(expected);
  });
});
