/** Which AuditEvent a request is (type, sub-types, action) and what of its query may be stored. */
import { classify } from '../../../src/audit/classify';
import { TouchedSet, addAnswer, addRequestPatients } from '../../../src/audit/entities';
import { buildAuditEvent } from '../../../src/audit/event';
import { REDACTED, redactQuery } from '../../../src/audit/query';
import { outcomeOf } from '../../../src/audit/codes';
import { compactForStorage, expandStored } from '../../../src/audit/stored';

const codes = (method: string, path: string) => {
  const k = classify(method, path);
  return k && { type: k.type.code, subtypes: k.subtypes.map((s) => s.code), action: k.action };
};

test.each([
  ['GET', '/fhir/Observation', 'rest', ['search-type'], 'R'],
  ['GET', '/fhir/Observation/o1', 'rest', ['read'], 'R'],
  ['GET', '/fhir/Observation/o1/_history', 'rest', ['history-instance'], 'R'],
  ['GET', '/fhir/Observation/o1/_history/2', 'rest', ['vread'], 'R'],
  ['POST', '/fhir', 'rest', [], 'E'],
  ['POST', '/fhir/Patient/$validate', 'rest', ['operation', 'http://hl7.org/fhir/OperationDefinition/Resource-validate'], 'E'],
  ['POST', '/fhir/$export', 'rest', ['operation', 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export'], 'E'],
  ['GET', '/fhir/Group/g1/$export', 'rest', ['operation', 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export'], 'E'],
  ['DELETE', '/fhir/bulkstatus/0a6e4d0e-3c8f-4b7e-9a39-0d5bb4c7a001', 'rest', ['operation', 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export', 'export-cancel'], 'D'],
  ['GET', '/fhir/AuditEvent', '110101', ['search-type'], 'R'],
  ['POST', '/ilp/v1/encounters', 'rest', ['create', 'ilp-submit'], 'C'],
  ['POST', '/ilp/v1/encounters/$validate', 'rest', ['operation', 'http://hl7.org/fhir/OperationDefinition/Resource-validate', 'ilp-validate'], 'E'],
  ['POST', '/auth/token', '110114', ['110122'], 'E'],
  ['POST', '/admin/v1/submissions/requeue', '110100', ['admin-requeue'], 'U'],
  ['PUT', '/admin/v1/credentials/10000005', '110100', ['admin-credentials-put'], 'U'],
  ['GET', '/nowhere', 'rest', [], 'R'],
])('%s %s → %s %j %s', (method, path, type, subtypes, action) => {
  expect(codes(method, path)).toEqual({ type, subtypes, action });
});

test.each(['/healthz', '/readyz', '/metrics', '/fhir/metadata', '/fhir/.well-known/smart-configuration', '/ilp/v1/openapi.json'])('%s is not audited (public, no personal data)', (path) => {
  expect(classify('GET', path)).toBeUndefined();
});

test('an id that is not a FHIR id (NUL, path tricks) is not turned into an entity reference', () => {
  expect(classify('GET', '/fhir/Observation/%00')?.reference).toBeUndefined();
  expect(classify('GET', '/fhir/Observation/a%2F..')?.reference).toBeUndefined();
  expect(classify('GET', '/fhir/Observation/ok-1')?.reference).toEqual({ type: 'Observation', id: 'ok-1' });
});

describe('query redaction (decision 0012)', () => {
  const red = (type: string | undefined, q: string) => Object.fromEntries(new URLSearchParams(redactQuery(type, [...new URLSearchParams(q)])));
  test('identifiers, names, phones, free text and unknown parameters are redacted; codes, dates, references kept', () => {
    expect(red('Patient', 'identifier=https://fhir.kemkes.go.id/id/nik|3201010101010001&name=Rina&phone=0812&birthdate=1990&_count=5&village=3508012001')).toEqual({
      identifier: REDACTED, name: REDACTED, phone: REDACTED, birthdate: '1990', _count: '5', village: '3508012001',
    });
    expect(red('Observation', 'patient=Patient/p1&code=http://loinc.org|8480-6&date=ge2025-01-01&subject:identifier=3201010101010001&code:text=rina')).toEqual({
      patient: 'Patient/p1', code: 'http://loinc.org|8480-6', date: 'ge2025-01-01', 'subject:identifier': REDACTED, 'code:text': REDACTED,
    });
    expect(redactQuery('Patient', [['3201010101010001', 'x']])).toBe(`${encodeURIComponent(REDACTED)}=${encodeURIComponent(REDACTED)}`);
  });
  test('an export _typeFilter is redacted inside', () => {
    const out = red(undefined, `_type=Patient,Observation&_typeFilter=${encodeURIComponent('Patient?identifier=3201010101010001&gender=female')}`);
    expect(out._type).toBe('Patient,Observation');
    expect(out._typeFilter).toBe(`Patient?identifier=${encodeURIComponent(REDACTED)}&gender=female`);
  });
  test('AuditEvent searches keep their own parameters', () => {
    expect(red('AuditEvent', 'altid=vendor-a&patient=p1&date=ge2026&who=x')).toEqual({ altid: 'vendor-a', patient: 'p1', date: 'ge2026', [REDACTED]: REDACTED });
  });
});

test('entities: a searchset names its resources and their Patients; a transaction its locations and the Patients its entries name', () => {
  const s = new TouchedSet();
  addAnswer(s, { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Observation', id: 'o1', subject: { reference: 'Patient/p1' } } }, { resource: { resourceType: 'Patient', id: 'p2' } }] });
  expect(s.result()).toEqual({ resources: ['Observation/o1', 'Patient/p2'], patients: ['Patient/p1', 'Patient/p2'] });
  const t = new TouchedSet();
  addAnswer(t, { resourceType: 'Bundle', type: 'transaction-response', entry: [{ response: { location: 'Encounter/e1/_history/1' } }] });
  addRequestPatients(t, { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Encounter', subject: { reference: 'Patient/p9' } } }, { resource: { resourceType: 'Observation', subject: { reference: 'urn:uuid:x' } } }] });
  expect(t.result()).toEqual({ resources: ['Encounter/e1'], patients: ['Patient/p9'] });
  // A batch of GETs (Medplum's auto-batching): each search's searchset names what was read.
  const batch = new TouchedSet();
  addAnswer(batch, { resourceType: 'Bundle', type: 'batch-response', entry: [
    { resource: { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Observation', id: 'o7', subject: { reference: 'Patient/p7' } } }] }, response: { status: '200' } },
    { resource: { resourceType: 'Patient', id: 'p8' }, response: { status: '200' } },
    { resource: { resourceType: 'Bundle', type: 'history', entry: [{ resource: { resourceType: 'Patient', id: 'p9', meta: { versionId: '2' } } }] }, response: { status: '200' } },
  ] });
  expect(batch.result()).toEqual({ resources: ['Observation/o7', 'Patient/p8', 'Patient/p9'], patients: ['Patient/p7', 'Patient/p8', 'Patient/p9'] });
  const none = new TouchedSet();
  addAnswer(none, { resourceType: 'OperationOutcome', id: 'x' });
  expect(none.result()).toEqual({ resources: [], patients: [] });
});

test('outcome codes: 0 success, 4 client error or abandoned, 8 server error', () => {
  expect([outcomeOf(200, true), outcomeOf(202, true), outcomeOf(404, true), outcomeOf(200, false), outcomeOf(503, true)]).toEqual(['0', '0', '4', '4', '8']);
});

test('the builder: agent with altId and who.identifier, source Application Server, Patients as Person/Patient entities', () => {
  const e = buildAuditEvent({
    id: 'x', started: '2026-01-01T00:00:00.000Z', recorded: '2026-01-01T00:00:00.010Z', type: { code: 'rest' }, subtypes: [], action: 'R', status: 500, completed: true,
    clientId: 'c1', address: '10.0.0.1', touched: { resources: ['Patient/p1', 'Observation/o1'], patients: ['Patient/p1'] }, identifiers: [], query: 'a=b', observer: 'ILP Gateway test',
  });
  expect(e).toMatchObject({ outcome: '8', outcomeDesc: 'HTTP 500', agent: [{ altId: 'c1', requestor: true, who: { identifier: { system: 'urn:ilp-gateway:client', value: 'c1' } }, network: { address: '10.0.0.1', type: '2' } }, { requestor: false }] });
  expect(e.source.type).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }]);
  expect(e.entity?.map((x) => [x.what?.reference, x.type?.code, x.role?.code])).toEqual([['Patient/p1', '1', '1'], ['Observation/o1', '2', '4'], [undefined, '2', '24']]);
  expect(Buffer.from(e.entity![2]!.query!, 'base64').toString()).toBe('a=b');
});

test('stored compactly (reference entities only in the indexed columns) and expanded back to the same AuditEvent', () => {
  const e = buildAuditEvent({
    id: 'y', started: '2026-01-01T00:00:00.000Z', recorded: '2026-01-01T00:00:00.010Z', type: { code: 'rest' }, subtypes: [], action: 'R', status: 200, completed: true,
    touched: { resources: ['Observation/o1', 'Patient/p2'], patients: ['Patient/p1', 'Patient/p2'] }, identifiers: [{ system: 'urn:ilp-gateway:submission', value: 's1' }], query: 'a=b', observer: 'ILP Gateway test',
  });
  const content = compactForStorage(e);
  expect(JSON.stringify(content)).not.toContain('Observation/o1');
  expect(content.entity).toHaveLength(2);
  expect(expandStored({ content, patients: ['Patient/p1', 'Patient/p2'], entities: ['Observation/o1', 'Patient/p2', 'Patient/p1'] })).toEqual(e);
  const bare = buildAuditEvent({ ...{ id: 'z', started: 'x', recorded: 'x', type: { code: 'rest' }, subtypes: [], action: 'R', status: 401, completed: true, observer: 'o' }, touched: { resources: [], patients: [] }, identifiers: [] });
  expect(expandStored({ content: compactForStorage(bare), patients: [], entities: [] })).toEqual(bare);
});
