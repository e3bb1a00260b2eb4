import { Registry } from '../../../src/validation/registry';
import { SnapshotError, generateSnapshot } from '../../../src/validation/snapshot';
import type { ElementDefinition, StructureDefinition } from '../../../src/validation/model';

/** Snapshot generation from a differential against the R4 base (profiling.html#snapshot). */
const registry = new Registry();
const profile = (type: string, element: ElementDefinition[], base?: string): StructureDefinition => ({
  resourceType: 'StructureDefinition', url: `https://t.example.org/StructureDefinition/${type}-x`, type, kind: 'resource', derivation: 'constraint',
  baseDefinition: base ?? `http://hl7.org/fhir/StructureDefinition/${type}`, differential: { element },
});
const ids = (sd: StructureDefinition): string[] => (sd.snapshot?.element ?? []).map((e) => e.id ?? '');
const byId = (sd: StructureDefinition, id: string): ElementDefinition | undefined => sd.snapshot?.element.find((e) => e.id === id);

test('merges a constraint into an existing element and keeps the base cardinality for the JSON shape', () => {
  const sd = generateSnapshot(profile('Observation', [{ id: 'Observation.category', path: 'Observation.category', min: 1, max: '1' }]), registry);
  expect(byId(sd, 'Observation.category')).toMatchObject({ min: 1, max: '1', base: { max: '*' } });
  expect(ids(sd).length).toBe(ids(generateSnapshot(profile('Observation', []), registry)).length);
});

test('dives into a datatype: Observation.code.coding gets the CodeableConcept children', () => {
  const sd = generateSnapshot(profile('Observation', [{ id: 'Observation.code.coding', path: 'Observation.code.coding', min: 1 }]), registry);
  expect(ids(sd)).toEqual(expect.arrayContaining(['Observation.code.id', 'Observation.code.coding', 'Observation.code.text']));
  expect(byId(sd, 'Observation.code.coding')?.min).toBe(1);
  expect(ids(sd).indexOf('Observation.code.coding')).toBe(ids(sd).indexOf('Observation.code') + 3);
});

test('a choice restricted to one type exposes that type\'s children (value[x].code)', () => {
  const sd = generateSnapshot(profile('Observation', [
    { id: 'Observation.value[x]', path: 'Observation.value[x]', type: [{ code: 'Quantity' }] },
    { id: 'Observation.value[x].code', path: 'Observation.value[x].code', fixedCode: 'mm[Hg]' },
  ]), registry);
  expect(byId(sd, 'Observation.value[x].code')).toMatchObject({ path: 'Observation.value[x].code', fixedCode: 'mm[Hg]' });
});

test('a choice may be named by its typed name (Observation.valueQuantity)', () => {
  const sd = generateSnapshot(profile('Observation', [{ id: 'Observation.valueQuantity', path: 'Observation.valueQuantity', min: 1 }]), registry);
  expect(byId(sd, 'Observation.value[x]')?.min).toBe(1);
});

test('a slice is inserted after the sliced element, optional, with its own children', () => {
  const sd = generateSnapshot(profile('Patient', [
    { id: 'Patient.identifier', path: 'Patient.identifier', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } },
    { id: 'Patient.identifier:nik', path: 'Patient.identifier', sliceName: 'nik', max: '1' },
    { id: 'Patient.identifier:nik.system', path: 'Patient.identifier.system', fixedUri: 'https://fhir.kemkes.go.id/id/nik' },
  ]), registry);
  const list = ids(sd);
  expect(list.indexOf('Patient.identifier:nik')).toBeGreaterThan(list.indexOf('Patient.identifier.assigner'));
  expect(byId(sd, 'Patient.identifier:nik')).toMatchObject({ sliceName: 'nik', min: 0, max: '1' });
  expect(byId(sd, 'Patient.identifier:nik')?.slicing).toBeUndefined();
  expect(byId(sd, 'Patient.identifier:nik.system')).toMatchObject({ path: 'Patient.identifier.system', fixedUri: 'https://fhir.kemkes.go.id/id/nik' });
});

test('a backbone element of a contentReference is expanded from the referenced element', () => {
  const sd = generateSnapshot(profile('Bundle', [{ id: 'Bundle.entry.link.relation', path: 'Bundle.entry.link.relation', short: 'x' }]), registry);
  expect(byId(sd, 'Bundle.entry.link.relation')).toMatchObject({ path: 'Bundle.entry.link.relation', short: 'x' });
});

test('an unknown path is refused, not guessed', () => {
  expect(() => generateSnapshot(profile('Patient', [{ id: 'Patient.nickname', path: 'Patient.nickname', min: 1 }]), registry)).toThrow(SnapshotError);
});

test('re-slicing is refused', () => {
  expect(() => generateSnapshot(profile('Patient', [{ id: 'Patient.identifier:a/b', path: 'Patient.identifier', sliceName: 'a/b' }]), registry)).toThrow(/re-slicing/);
});

test('a profile on a profile: the base profile\'s snapshot is the starting point', () => {
  const first = profile('Patient', [{ id: 'Patient.gender', path: 'Patient.gender', min: 1 }]);
  const local = new Registry();
  local.add(first);
  const second = generateSnapshot({ ...profile('Patient', [{ id: 'Patient.birthDate', path: 'Patient.birthDate', min: 1 }], first.url), url: 'https://t.example.org/StructureDefinition/second' }, local);
  expect(byId(second, 'Patient.gender')?.min).toBe(1);
  expect(byId(second, 'Patient.birthDate')?.min).toBe(1);
});
