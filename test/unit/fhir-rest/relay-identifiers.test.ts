import type { Bundle, Observation } from 'fhir/r4';
import { relayIdentifierValue, withRelayIdentifiers } from '../../../src/fhir-rest/relay-identifiers';

const obs = (extra: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, ...extra,
});

const bundle = (o: Observation, identifier?: string): Bundle => ({
  resourceType: 'Bundle', type: 'transaction',
  ...(identifier ? { identifier: { system: 'https://simpus.example/bundle', value: identifier } } : {}),
  entry: [{ fullUrl: 'urn:uuid:0b1c2d3e-0000-4000-8000-000000000001', resource: o, request: { method: 'POST', url: 'Observation' } }],
});

test('adds the organisation sys-ids identifier from the Bundle identifier and the entry fullUrl', () => {
  const out = withRelayIdentifiers(bundle(obs(), 'V-1'), '10000005');
  expect((out.entry?.[0]?.resource as Observation).identifier).toEqual([
    { system: 'http://sys-ids.kemkes.go.id/observation/10000005', value: 'V-1.0b1c2d3e-0000-4000-8000-000000000001' },
  ]);
});

test('leaves an entry that already has one, and does not modify its input', () => {
  const own = obs({ identifier: [{ system: 'http://sys-ids.kemkes.go.id/observation/10000005', value: 'mine' }] });
  const input = bundle(obs(), 'V-2');
  const before = JSON.stringify(input);
  withRelayIdentifiers(input, '10000005');
  expect(JSON.stringify(input)).toBe(before);
  const same = bundle(own, 'V-2');
  expect(withRelayIdentifiers(same, '10000005')).toBe(same);
});

test('without a Bundle identifier the value is a hash of the entry: the same content gives the same value', () => {
  const a = bundle(obs());
  const b = bundle(obs());
  expect(relayIdentifierValue(a, a.entry?.[0] ?? {}, 0)).toBe(relayIdentifierValue(b, b.entry?.[0] ?? {}, 0));
  expect(relayIdentifierValue(a, a.entry?.[0] ?? {}, 0)).toMatch(/^h\.[0-9a-f]{32}$/);
  const c = bundle(obs({ status: 'amended' }));
  expect(relayIdentifierValue(c, c.entry?.[0] ?? {}, 0)).not.toBe(relayIdentifierValue(a, a.entry?.[0] ?? {}, 0));
});
