import { createValidator } from '../../../src/validation/engine';
import type { StructureDefinition } from '../../../src/validation/model';

/** Engine behaviour around profiles: selection, broken profiles, de-duplication. */
const URL = 'https://t.example.org/StructureDefinition/';
const profile = (id: string, element: StructureDefinition['differential'], base = 'http://hl7.org/fhir/StructureDefinition/Patient'): StructureDefinition => ({
  resourceType: 'StructureDefinition', url: URL + id, type: 'Patient', kind: 'resource', derivation: 'constraint', baseDefinition: base, differential: element,
});

const validator = createValidator();
validator.load([
  profile('broken', { element: [{ id: 'Patient.nickname', path: 'Patient.nickname', min: 1 }] }),
  profile('gendered', { element: [{ id: 'Patient.gender', path: 'Patient.gender', min: 1 }] }),
  profile('born', { element: [{ id: 'Patient.birthDate', path: 'Patient.birthDate', min: 1 }] }, URL + 'gendered'),
  profile('unevaluable', { element: [{ id: 'Patient', path: 'Patient', constraint: [{ key: 'unev-1', severity: 'error', human: 'one given name', expression: 'name.given.single().exists()' }] }] }),
]);

test('an invariant FHIRPath cannot evaluate is a warning (not evaluated), not an error against the data', () => {
  const issues = validator.validate({ resourceType: 'Patient', meta: { profile: [URL + 'unevaluable'] }, name: [{ given: ['Sari', 'Dewi'] }] });
  const unevaluated = issues.filter((i) => i.errorCode === 'VAL-INVARIANT-ERROR');
  expect(unevaluated).toHaveLength(1);
  expect(unevaluated[0]).toMatchObject({ severity: 'warning', expression: 'Patient' });
  expect(unevaluated[0]?.message.en).toMatch(/unev-1 could not be evaluated/);
});

test('a profile whose snapshot cannot be generated is an error on the resource, not a crash', () => {
  const issues = validator.validate({ resourceType: 'Patient', meta: { profile: [URL + 'broken'] } });
  expect(issues).toContainEqual(expect.objectContaining({ severity: 'error', code: 'processing', errorCode: 'VAL-PROFILE-INVALID', expression: 'Patient' }));
});

test('a profile and its base profile: the derived one carries both rules, each reported once', () => {
  const issues = validator.validate({ resourceType: 'Patient', meta: { profile: [URL + 'gendered', URL + 'born'] }, active: 'yes' });
  const where = issues.filter((i) => i.severity === 'error').map((i) => i.expression).sort();
  expect(where).toEqual(['Patient.active', 'Patient.birthDate', 'Patient.gender']);
});

test('an explicit profile applies to the top-level resource only', () => {
  const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001', resource: { resourceType: 'Patient' } }] };
  const issues = validator.validate(bundle, { profiles: [URL + 'gendered'] });
  expect(issues).toContainEqual(expect.objectContaining({ errorCode: 'VAL-PROFILE-TYPE', expression: 'Bundle' }));
  expect(issues.map((i) => i.expression)).not.toContain('Bundle.entry[0].resource.gender');
});

test('a pathologically nested resource is one fatal issue, not a stack overflow', () => {
  const deep: Record<string, unknown> = { resourceType: 'Patient' };
  let at = deep;
  for (let i = 0; i < 20_000; i++) {
    const next: Record<string, unknown> = { url: 'http://x.example.org/e' };
    at.extension = [next];
    at = next;
  }
  const issues = validator.validate(deep);
  expect(issues).toEqual([expect.objectContaining({ severity: 'fatal', errorCode: 'VAL-TOO-DEEP' })]);
  // Ordinary nesting is validated as before.
  expect(validator.validate({ resourceType: 'Patient', extension: [{ url: 'http://x.example.org/e', extension: [{ url: 'a', valueString: 'b' }] }] }).some((i) => i.errorCode === 'VAL-TOO-DEEP')).toBe(false);
});
