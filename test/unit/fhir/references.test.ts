import { rewriteReferences } from '../../../src/fhir/references';

const PATIENT = 'urn:uuid:0b2a4c7e-1f55-4b7a-9d1e-5b1f7e2a9c01';
const ENCOUNTER = 'urn:uuid:6d8f3e21-7a4b-4c9e-8f0a-2e5d1c3b4a02';
const map = new Map([
  [PATIENT, 'Patient/P02478375538'],
  [ENCOUNTER, 'Encounter/6d8f3e21-7a4b-4c9e-8f0a-2e5d1c3b4a02'],
]);

describe('rewriteReferences (FHIR R4 http.html#trules)', () => {
  test('rewrites references at any depth, in objects and arrays', () => {
    const observation = {
      resourceType: 'Observation',
      subject: { reference: PATIENT, display: 'Rina' },
      encounter: { reference: ENCOUNTER },
      performer: [{ reference: 'Practitioner/10009880728' }, { reference: PATIENT }],
      component: [{ extension: [{ url: 'x', valueReference: { reference: ENCOUNTER } }] }],
    };
    expect(rewriteReferences(observation, map)).toEqual({
      resourceType: 'Observation',
      subject: { reference: 'Patient/P02478375538', display: 'Rina' },
      encounter: { reference: 'Encounter/6d8f3e21-7a4b-4c9e-8f0a-2e5d1c3b4a02' },
      performer: [{ reference: 'Practitioner/10009880728' }, { reference: 'Patient/P02478375538' }],
      component: [{ extension: [{ url: 'x', valueReference: { reference: 'Encounter/6d8f3e21-7a4b-4c9e-8f0a-2e5d1c3b4a02' } }] }],
    });
  });

  test('leaves references that are not in the map as they are', () => {
    const unknown = { subject: { reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' }, basedOn: [{ reference: 'ServiceRequest/1' }] };
    expect(rewriteReferences(unknown, map)).toEqual(unknown);
  });

  test('touches only `reference` keys: an identifier whose value is the urn keeps it', () => {
    const resource = {
      identifier: [{ system: 'urn:ietf:rfc:3986', value: PATIENT }],
      note: [{ text: PATIENT }],
      reference: { nested: PATIENT },
    };
    expect(rewriteReferences(resource, map)).toEqual(resource);
  });

  test('does not change its input and returns a copy', () => {
    const input = { subject: { reference: PATIENT }, items: [{ reference: ENCOUNTER }] };
    const snapshot = structuredClone(input);
    const output = rewriteReferences(input, map);
    expect(input).toEqual(snapshot);
    expect(output).not.toBe(input);
    expect(output.items).not.toBe(input.items);
  });

  test('passes primitives, null and empty containers through', () => {
    expect(rewriteReferences(null, map)).toBeNull();
    expect(rewriteReferences(42, map)).toBe(42);
    expect(rewriteReferences(PATIENT, map)).toBe(PATIENT);
    expect(rewriteReferences([], map)).toEqual([]);
    expect(rewriteReferences({ reference: PATIENT }, new Map())).toEqual({ reference: PATIENT });
  });
});
