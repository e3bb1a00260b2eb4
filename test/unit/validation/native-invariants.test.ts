import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NATIVE_KEYS, nativeInvariant, simpleExpression } from '../../../src/validation/invariants';

/**
 * Each native invariant must give fhirpath.js's verdict on its R4 expression (an invariant holds
 * only when the expression evaluates to true). Inputs cover the passing and failing side of each.
 */
interface FhirPath {
  evaluate(resource: unknown, expr: { base: string; expression: string }, env: Record<string, unknown>, model: unknown): unknown[];
}
const fhirpath = jest.requireActual<FhirPath>('fhirpath');
const model: unknown = jest.requireActual('fhirpath/fhir-context/r4');

interface Def { structures: { snapshot: { element: { path: string; constraint?: { key: string; expression: string }[] }[] } }[] }
const defs = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'generated', 'fhir-r4-definitions.json'), 'utf8')) as Def;
const expressions = new Map<string, { base: string; expression: string }>();
for (const sd of defs.structures) for (const e of sd.snapshot.element) for (const c of e.constraint ?? []) if (!expressions.has(c.key)) expressions.set(c.key, { base: e.path, expression: c.expression });

type J = Record<string, unknown>;
const obs = (extra: J): J => ({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, ...extra });
const bundle = (extra: J): J => ({ resourceType: 'Bundle', ...extra });
const put = (url: string, r: J = { resourceType: 'Patient', id: 'p' }): J => ({ fullUrl: url, resource: r, request: { method: 'PUT', url: 'Patient/p' } });

/** [key, node, %resource] triples; each key appears with inputs on both sides. */
const INPUTS: [string, unknown, J][] = [
  ['ext-1', { url: 'x', valueString: 'a' }, {}], ['ext-1', { url: 'x' }, {}], ['ext-1', { url: 'x', valueString: 'a', extension: [{ url: 'y', valueString: 'b' }] }, {}],
  ['dom-2', obs({}), obs({})], ['dom-2', obs({ contained: [{ resourceType: 'Patient', contained: [{ resourceType: 'Patient' }] }] }), obs({ contained: [{ resourceType: 'Patient', contained: [{ resourceType: 'Patient' }] }] })],
  ['dom-4', obs({ contained: [{ resourceType: 'Patient', meta: { versionId: '1' } }] }), {}], ['dom-4', obs({ contained: [{ resourceType: 'Patient', id: 'a' }] }), {}],
  ['dom-5', obs({ contained: [{ resourceType: 'Patient', meta: { security: [{ code: 'R' }] } }] }), {}], ['dom-5', obs({ contained: [{ resourceType: 'Patient', id: 'a' }] }), {}],
  ['obs-6', obs({ valueString: 'x' }), {}], ['obs-6', obs({ valueString: 'x', dataAbsentReason: { text: 'x' } }), {}], ['obs-6', obs({ dataAbsentReason: { text: 'x' } }), {}],
  ['obs-7', obs({ valueString: 'x', component: [{ code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] } }] }), {}],
  ['obs-7', obs({ valueString: 'x', component: [{ code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] } }] }), {}],
  ['obs-7', obs({ component: [{ code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] } }] }), {}],
  ['per-1', { start: '2024-01-01T10:00:00Z', end: '2024-01-01T11:00:00Z' }, {}], ['per-1', { start: '2024-01-02', end: '2024-01-01' }, {}], ['per-1', { start: '2024-01-01T10:00:00+07:00', end: '2024-01-01T04:00:00Z' }, {}], ['per-1', { start: '2024-01-01' }, {}],
  ['qty-3', { value: 1, code: 'mg' }, {}], ['qty-3', { value: 1, code: 'mg', system: 'http://unitsofmeasure.org' }, {}], ['qty-3', { value: 1 }, {}],
  ['bdl-1', bundle({ type: 'transaction', total: 1 }), {}], ['bdl-1', bundle({ type: 'searchset', total: 1 }), {}],
  ['bdl-2', bundle({ type: 'collection', entry: [{ search: { mode: 'match' }, resource: { resourceType: 'Patient' } }] }), {}], ['bdl-2', bundle({ type: 'searchset', entry: [{ search: { mode: 'match' }, resource: { resourceType: 'Patient' } }] }), {}],
  ['bdl-3', bundle({ type: 'transaction', entry: [{ resource: { resourceType: 'Patient' } }] }), {}], ['bdl-3', bundle({ type: 'transaction', entry: [put('urn:uuid:1')] }), {}], ['bdl-3', bundle({ type: 'collection', entry: [put('urn:uuid:1')] }), {}],
  ['bdl-4', bundle({ type: 'transaction-response', entry: [{ response: { status: '200' } }] }), {}], ['bdl-4', bundle({ type: 'transaction', entry: [{ ...put('urn:uuid:1'), response: { status: '200' } }] }), {}],
  ['bdl-5', { fullUrl: 'urn:uuid:1' }, {}], ['bdl-5', { request: { method: 'GET', url: 'Patient' } }, {}],
  ['bdl-7', bundle({ type: 'transaction', entry: [put('urn:uuid:1'), put('urn:uuid:1')] }), {}], ['bdl-7', bundle({ type: 'transaction', entry: [put('urn:uuid:1'), put('urn:uuid:2')] }), {}],
  ['bdl-8', { fullUrl: 'http://x/Patient/1/_history/1' }, {}], ['bdl-8', { fullUrl: 'http://x/Patient/1' }, {}],
  ['bdl-9', bundle({ type: 'document', identifier: { system: 'x' } }), {}], ['bdl-9', bundle({ type: 'document', identifier: { system: 'x', value: '1' } }), {}], ['bdl-9', bundle({ type: 'collection' }), {}],
  ['bdl-10', bundle({ type: 'document' }), {}], ['bdl-10', bundle({ type: 'document', timestamp: '2024-01-01T00:00:00Z' }), {}],
  ['bdl-11', bundle({ type: 'document', entry: [{ resource: { resourceType: 'Patient' } }] }), {}], ['bdl-11', bundle({ type: 'document', entry: [{ resource: { resourceType: 'Composition' } }] }), {}],
  ['bdl-12', bundle({ type: 'message', entry: [{ resource: { resourceType: 'Patient' } }] }), {}], ['bdl-12', bundle({ type: 'message', entry: [{ resource: { resourceType: 'MessageHeader' } }] }), {}],
  ['vs-2', obs({ valueString: 'x' }), {}], ['vs-2', obs({}), {}], ['vs-2', obs({ dataAbsentReason: { text: 'x' } }), {}], ['vs-2', obs({ hasMember: [{ reference: 'Observation/1' }] }), {}],
  ['vs-3', { code: { text: 'x' }, valueQuantity: { value: 1 } }, {}], ['vs-3', { code: { text: 'x' } }, {}], ['vs-3', { code: { text: 'x' }, dataAbsentReason: { text: 'x' } }, {}],
  ['cpt-2', { value: '0812' }, {}], ['cpt-2', { value: '0812', system: 'phone' }, {}],
  ['cpl-3', { detail: { status: 'scheduled' }, reference: { reference: 'ServiceRequest/1' } }, {}], ['cpl-3', { detail: { status: 'scheduled' } }, {}],
  ['con-4', { resourceType: 'Condition', abatementDateTime: '2024', clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] } }, {}],
  ['con-4', { resourceType: 'Condition', abatementDateTime: '2024', clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] } }, {}],
  ['con-5', { resourceType: 'Condition', clinicalStatus: { text: 'x' }, verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error' }] } }, {}],
  ['con-5', { resourceType: 'Condition', clinicalStatus: { text: 'x' }, verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] } }, {}],
];

describe.each(NATIVE_KEYS.filter((k) => INPUTS.some(([key]) => key === k)))('native %s agrees with fhirpath.js', (key) => {
  const expr = expressions.get(key);
  test.each(INPUTS.filter(([k]) => k === key).map(([, node, res], i) => [i, node, res] as const))('input %d', (_i, node, res) => {
    if (!expr) throw new Error(`no R4 expression for ${key}`);
    const resource = Object.keys(res).length > 0 ? res : (node as J);
    const reference = fhirpath.evaluate(node, { base: expr.base, expression: expr.expression }, { resource, rootResource: resource }, model);
    const native = nativeInvariant(key)?.(node, resource, resource);
    expect(native).toBe(reference.length === 1 && reference[0] === true);
  });
});

test('both sides of every tested invariant are covered', () => {
  for (const key of new Set(INPUTS.map(([k]) => k))) {
    const verdicts = INPUTS.filter(([k]) => k === key).map(([, node, res]) => nativeInvariant(key)?.(node, Object.keys(res).length > 0 ? res : (node as J), res));
    expect({ key, pass: verdicts.includes(true), fail: verdicts.includes(false) }).toEqual({ key, pass: true, fail: true });
  }
});

describe('matches(\'regex\') compiled to a RegExp agrees with fhirpath.js', () => {
  test.each([
    ["matches('^[0-9]{16}$')", '3174010101700001'], ["matches('^[0-9]{16}$')", '317401010170000a'], ["matches('^[0-9]{16}$')", '31740101017000011'],
    ["matches('[0-9]')", 'x12'], ["matches('^A.B$')", 'A\nB'], ["matches('it\\'s')", "it's"],
  ])('%s on %j', (expression, value) => {
    const reference = fhirpath.evaluate(value, { base: 'Identifier.value', expression }, {}, model);
    expect(simpleExpression(expression)?.(value, {}, {})).toBe(reference.length === 1 && reference[0] === true);
  });
  test('other expressions are left to fhirpath.js', () => expect(simpleExpression("matches('a') and true")).toBeUndefined());
});
