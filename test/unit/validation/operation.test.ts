import { createIlpValidator } from '../../../src/validation/ilp/ilp-validator';
import { validateOperation } from '../../../src/validation/operation';

/** $validate (resource-operation-validate.html): body forms, profile, answers. */
const validator = createIlpValidator();
const patient = { resourceType: 'Patient', gender: 'female', birthDate: '2000-01-01' };
const params = (parameter: unknown[]): unknown => ({ resourceType: 'Parameters', parameter });

test('a valid resource: 200, valid, All OK', () => {
  const r = validateOperation(validator, { body: { resourceType: 'Basic', code: { text: 'x' } } });
  expect(r).toMatchObject({ status: 200, valid: true });
  expect(r.outcome.issue).toEqual([expect.objectContaining({ severity: 'information', diagnostics: 'All OK' })]);
});

test('an invalid resource is still 200, with the issues', () => {
  const r = validateOperation(validator, { body: { ...patient, gender: 'x' }, type: 'Patient' });
  expect(r).toMatchObject({ status: 200, valid: false });
  expect(r.outcome.issue).toContainEqual(expect.objectContaining({ severity: 'error', code: 'code-invalid', expression: ['Patient.gender'] }));
});

test('Parameters with resource and profile', () => {
  const r = validateOperation(validator, { body: params([{ name: 'resource', resource: patient }, { name: 'profile', valueUri: 'https://ilp-gateway.github.io/fhir/StructureDefinition/ilp-patient' }]) });
  expect(r.valid).toBe(false);
  expect(r.outcome.issue.map((i) => i.expression?.[0])).toEqual(expect.arrayContaining(['Patient.identifier', 'Patient.name']));
});

test('issues carry the Bahasa Indonesia message and the error code', () => {
  const r = validateOperation(validator, { body: { ...patient, foo: 1 } });
  expect(r.outcome.issue[0]).toMatchObject({ details: { text: 'Elemen "foo" tidak dikenal', coding: [expect.objectContaining({ code: 'VAL-UNKNOWN-ELEMENT' })] } });
});

test.each([
  ['Parameters without resource', params([{ name: 'mode', valueCode: 'create' }]), undefined, undefined, /"resource"/],
  ['profile parameter not a uri', params([{ name: 'resource', resource: patient }, { name: 'profile', valueInteger: 1 }]), undefined, undefined, /valueUri/],
  ['type in the URL differs', patient, 'Observation', undefined, /URL names Observation/],
  ['unknown profile', patient, undefined, 'https://nowhere.example.org/x', /unknown profile/],
])('400: %s', (_name, body, type, profile, message) => {
  const r = validateOperation(validator, { body, ...(type ? { type } : {}), ...(profile ? { profile } : {}) });
  expect(r.status).toBe(400);
  expect(r.outcome.issue[0]?.diagnostics).toMatch(message);
});

describe('mode (issue 13): ilp applies the ILP profiles by type, r4 only base R4 + meta.profile + profile', () => {
  const baseObservation = {
    // Capillary glucose: not a vital sign, so r4 holds it to the base Observation only.
    resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '41653-7' }] },
    subject: { reference: 'Patient/p1' }, valueQuantity: { value: 120, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
  };
  test('default (ilp): a base-valid Observation fails the ILP profile', () => {
    const r = validateOperation(validator, { body: baseObservation });
    expect(r.valid).toBe(false);
    expect(r.outcome.issue.map((i) => i.expression?.[0])).toContain('Observation.encounter');
  });
  test('query mode=r4: the same Observation is valid', () => {
    expect(validateOperation(validator, { body: baseObservation, mode: 'r4' })).toMatchObject({ status: 200, valid: true });
  });
  test('r4: an Observation with a vital-sign code is held to its R4 vital signs profile (observation-vitalsigns.html), as the HL7 validator does', () => {
    const systolic = { ...baseObservation, code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } };
    const r = validateOperation(validator, { body: systolic, mode: 'r4' });
    expect(r.valid).toBe(false);
    const codes = r.outcome.issue.map((i) => i.details?.coding?.[0]?.code);
    expect(codes).toContain('VAL-VITAL-SIGNS');
    expect(r.outcome.issue.map((i) => i.diagnostics)).toContain('Slice Observation.code.coding:BPCode: minimum required = 1, but only found 0');
  });
  test('Parameters mode=r4 (valueCode) wins over the query', () => {
    const r = validateOperation(validator, { body: params([{ name: 'resource', resource: baseObservation }, { name: 'mode', valueCode: 'r4' }]), mode: 'ilp' });
    expect(r.valid).toBe(true);
  });
  test('r4: an unknown extension is an error, as the HL7 validator reports it', () => {
    const ext = { ...baseObservation, extension: [{ url: 'https://vendor.example.id/fhir/StructureDefinition/x', valueString: 'y' }] };
    expect(validateOperation(validator, { body: ext, mode: 'r4' }).valid).toBe(false);
    expect(validateOperation(validator, { body: { ...ext, code: baseObservation.code }, mode: 'ilp' }).outcome.issue)
      .toContainEqual(expect.objectContaining({ severity: 'warning', expression: ['Observation.extension[0]'] }));
  });
  test.each([['query', { mode: 'create' }], ['Parameters', { body: params([{ name: 'resource', resource: baseObservation }, { name: 'mode', valueCode: 'strict' }]) }]])(
    '400 for an unknown mode (%s)', (_where, extra) => {
      const r = validateOperation(validator, { body: baseObservation, ...extra });
      expect(r.status).toBe(400);
      expect(r.outcome.issue[0]?.details?.coding?.[0]?.code).toBe('VAL-MODE');
    },
  );
});

test('the $validate OperationDefinition documents mode and validates as R4', async () => {
  const { VALIDATE_OPERATION } = await import('../../../src/fhir-rest/validate/operation');
  const { modeOptions } = await import('../../../src/validation/modes');
  expect(VALIDATE_OPERATION.parameter?.find((p) => p.name === 'mode')).toMatchObject({ use: 'in', type: 'code', max: '1' });
  expect(validator.validate(VALIDATE_OPERATION, modeOptions('r4')).filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
});
