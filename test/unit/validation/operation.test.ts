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
