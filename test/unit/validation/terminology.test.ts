import { Registry } from '../../../src/validation/registry';
import { Terminology } from '../../../src/validation/terminology';

/** Value set membership offline (valueset.html#compositions). */
const registry = new Registry();
const CS = 'https://t.example.org/CodeSystem/c';
registry.add({ resourceType: 'CodeSystem', url: CS, content: 'complete', concept: [{ code: 'a' }, { code: 'b', concept: [{ code: 'b1', concept: [{ code: 'b11' }] }] }] });
registry.add({ resourceType: 'CodeSystem', url: 'https://t.example.org/CodeSystem/frag', content: 'fragment', concept: [{ code: 'x' }] });
const vs = (id: string, compose: object): void => registry.add({ resourceType: 'ValueSet', url: `https://t.example.org/ValueSet/${id}`, compose } as never);
vs('all', { include: [{ system: CS }] });
vs('list', { include: [{ system: CS, concept: [{ code: 'a' }] }] });
vs('isa', { include: [{ system: CS, filter: [{ property: 'concept', op: 'is-a', value: 'b' }] }] });
vs('desc', { include: [{ system: CS, filter: [{ property: 'concept', op: 'descendent-of', value: 'b' }] }] });
vs('minus', { include: [{ system: CS }], exclude: [{ system: CS, concept: [{ code: 'a' }] }] });
vs('ref', { include: [{ valueSet: ['https://t.example.org/ValueSet/list'] }] });
vs('regex', { include: [{ system: CS, filter: [{ property: 'code', op: 'regex', value: 'b.*' }] }] });
vs('loinc', { include: [{ system: 'http://loinc.org' }] });
const t = new Terminology(registry);
const url = (id: string): string => `https://t.example.org/ValueSet/${id}`;

test.each([
  ['all', 'b11', 'member'], ['all', 'zz', 'not-member'], ['list', 'a', 'member'], ['list', 'b', 'not-member'],
  ['isa', 'b', 'member'], ['isa', 'b11', 'member'], ['isa', 'a', 'not-member'], ['desc', 'b', 'not-member'], ['desc', 'b1', 'member'],
  ['minus', 'a', 'not-member'], ['minus', 'b', 'member'], ['ref', 'a', 'member'], ['regex', 'b', 'unknown'],
])('%s contains %s: %s', (id, code, expected) => {
  expect(t.contains(url(id), CS, code)).toBe(expected);
});

test('a code from another system is not a member', () => expect(t.contains(url('all'), 'http://other', 'a')).toBe('not-member'));
test('an unknown value set is unknown, never a failure', () => expect(t.contains(url('nope'), CS, 'a')).toBe('unknown'));
test('LOINC included whole: membership by check digit', () => {
  expect(t.contains(url('loinc'), 'http://loinc.org', '8480-6')).toBe('member');
  expect(t.contains(url('loinc'), 'http://loinc.org', '8480-5')).toBe('not-member');
});
test('a code in a fragment CodeSystem is known; one outside is not judged', () => {
  expect(t.checkCode('https://t.example.org/CodeSystem/frag', 'x')).toEqual({ ok: true });
  expect(t.checkCode('https://t.example.org/CodeSystem/frag', 'y')).toEqual({ ok: 'unknown' });
  expect(t.checkCode(CS, 'y')).toMatchObject({ ok: false, kind: 'unknown-code' });
});
test('the core value set administrative-gender comes from the generated definitions', () => {
  expect(t.contains('http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1', undefined, 'female')).toBe('member');
  expect(t.contains('http://hl7.org/fhir/ValueSet/administrative-gender', undefined, 'F')).toBe('not-member');
});
