import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { TestGateway, startGateway } from '../../support/gateway';
import { PTM, clone, ptm, withChange } from '../../conformance/support';

/** POST /fhir/$validate and /fhir/{type}/$validate through the real gateway (resource-operation-validate.html). */
let gw: TestGateway;
beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw.close(); });

const post = (path: string, body: unknown) => request(gw.url).post(path).set('Content-Type', 'application/fhir+json').send(JSON.stringify(body));

test('a valid ILP Observation: 200 application/fhir+json OperationOutcome without errors', async () => {
  const res = await post('/fhir/Observation/$validate', ptm('Observation', '29463-7'));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expect(res.body.issue.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
});

test('Observation.status "done" and a wrong unit: each issue with its FHIRPath expression and Indonesian text', async () => {
  const obs = withChange(withChange(ptm('Observation', '8480-6'), 'status', 'done'), 'valueQuantity.code', 'mmHg');
  const res = await post('/fhir/Observation/$validate', obs);
  expect(res.status).toBe(200);
  const errors = res.body.issue.filter((i: { severity: string }) => i.severity === 'error');
  expect(errors).toContainEqual(expect.objectContaining({ code: 'code-invalid', expression: ['Observation.status'] }));
  expect(errors).toContainEqual(expect.objectContaining({ code: 'value', expression: ['Observation.valueQuantity.code'], details: expect.objectContaining({ text: expect.stringMatching(/^Nilai harus tepat/) }) }));
});

test('POST /fhir/$validate with a Bundle reports entries by index', async () => {
  const bundle = withChange(clone(PTM), 'entry.4.resource.valueQuantity.value', 900);
  const res = await post('/fhir/$validate', bundle);
  expect(res.status).toBe(200);
  expect(res.body.issue).toContainEqual(expect.objectContaining({ severity: 'error', expression: ['Bundle.entry[4].resource.valueQuantity.value'] }));
});

test('Parameters with resource and profile', async () => {
  const body = { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: { resourceType: 'Patient', gender: 'female' } }, { name: 'profile', valueCanonical: 'https://ilp-gateway.github.io/fhir/StructureDefinition/ilp-patient' }] };
  const res = await post('/fhir/$validate', body);
  expect(res.status).toBe(200);
  expect(res.body.issue.map((i: { expression?: string[] }) => i.expression?.[0])).toEqual(expect.arrayContaining(['Patient.identifier', 'Patient.birthDate']));
});

test('?profile= applies a profile', async () => {
  const res = await post('/fhir/Patient/$validate?profile=https://ilp-gateway.github.io/fhir/StructureDefinition/ilp-patient', { resourceType: 'Patient', gender: 'female' });
  expect(res.body.issue.map((i: { expression?: string[] }) => i.expression?.[0])).toContain('Patient.birthDate');
});

test('a type mismatch between URL and body is 400', async () => {
  const res = await post('/fhir/Patient/$validate', ptm('Observation', '8480-6'));
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [expect.objectContaining({ code: 'invalid' })] });
});

test('malformed JSON is 400 and not JSON at all is 415, both OperationOutcomes', async () => {
  const bad = await request(gw.url).post('/fhir/$validate').set('Content-Type', 'application/fhir+json').send('{"resourceType":');
  expect(bad.status).toBe(400);
  expect(bad.body.resourceType).toBe('OperationOutcome');
  const text = await request(gw.url).post('/fhir/$validate').set('Content-Type', 'text/plain').send('hello');
  expect(text.status).toBe(415);
  expect(text.body.resourceType).toBe('OperationOutcome');
});

test('the reference visit passes the profile validator at intake; warnings about our own mapping are not passed on', async () => {
  const body = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'examples', 'ilp-submission.example.json'), 'utf8');
  const res = await request(gw.url).post('/ilp/v1/encounters/$validate').set('Content-Type', 'application/json').send(body);
  expect(res.status).toBe(200);
  expect(res.body.valid).toBe(true);
  const codes = res.body.outcome.issue.map((i: { details?: { coding?: { code: string }[] } }) => i.details?.coding?.[0]?.code);
  // The validator's warnings about our own mapping (extensible bindings) are not passed on to
  // vendors, who cannot act on them; errors would block the visit.
  expect(codes).not.toContain('VAL-CODE-EXTENSIBLE');
  expect(codes).toContain('WARN-NIK-BIRTHDATE');
});

test('?mode=r4 validates against base R4 only; ?mode=ilp (default) applies the ILP profiles; an unknown mode is 400', async () => {
  // Capillary glucose (not a vital sign: r4 would also hold a blood pressure to R4's bp profile).
  const obs = withChange(withChange(ptm('Observation', '41653-7'), 'encounter', undefined), 'performer', undefined);
  const errors = (body: { issue: { severity: string }[] }): number => body.issue.filter((i) => i.severity === 'error').length;
  const ilp = await post('/fhir/Observation/$validate', obs);
  expect(errors(ilp.body)).toBeGreaterThan(0);
  const r4 = await post('/fhir/Observation/$validate?mode=r4', obs);
  expect(r4.status).toBe(200);
  expect(errors(r4.body)).toBe(0);
  const bad = await post('/fhir/Observation/$validate?mode=create', obs);
  expect(bad.status).toBe(400);
  expect(bad.body.issue[0].details.coding[0].code).toBe('VAL-MODE');
});
