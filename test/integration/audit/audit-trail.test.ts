/**
 * The audit trail over real sockets with authentication on (issue #8 item 5): every kind of
 * interaction leaves the right AuditEvent; refusals are recorded; nothing identifying is stored;
 * GET /fhir/AuditEvent filters by each parameter and never shows a vendor another client's events.
 */
import type { AuditEvent, Bundle } from 'fhir/r4';
import { Client } from 'pg';
import { expandStored } from '../../../src/audit/stored';
import { example, uniqueId } from '../../support/submissions';
import { vendorTransaction } from '../fhir/fhir-support';
import { call, startAuditGateway, tokenFor, type AuditGateway, type ClientName, type Json } from './audit-support';

// Each gateway hashes its clients' secrets (scrypt) and, on PGlite, initialises a database: slow on a busy machine.
jest.setTimeout(240_000);

let gw: AuditGateway;
const tokens = {} as Record<ClientName, string>;
const NIK = '9271060312000001';
const FHIR_NIK = '3508015505900002';
const started = new Date().toISOString();
let patientId = '';
let submissionId = '';

beforeAll(async () => {
  gw = await startAuditGateway();
  for (const c of ['vendor-a', 'vendor-b', 'ministry', 'operator', 'no-fhir'] as const) tokens[c] = await tokenFor(gw.url, c);
});
afterAll(async () => { await gw.close(); });

/** The events the requests so far caused, newest first (waits for the response's close event, then flushes). */
async function events(): Promise<AuditEvent[]> {
  await new Promise((r) => setTimeout(r, 30));
  await gw.app.audit!.recorder.flush();
  return (await gw.db.audit.search({ filters: [], count: 1000, offset: 0 })).events.map(expandStored);
}
async function last(): Promise<AuditEvent> {
  const [e] = await events();
  if (!e) throw new Error('no audit event recorded');
  return e;
}
const subtypes = (e: AuditEvent): (string | undefined)[] => (e.subtype ?? []).map((s) => s.code);
const refs = (e: AuditEvent): string[] => (e.entity ?? []).map((x) => x.what?.reference).filter((r): r is string => !!r);
const patients = (e: AuditEvent): string[] => (e.entity ?? []).filter((x) => x.role?.code === '1').map((x) => x.what?.reference ?? '');
const requestor = (e: AuditEvent) => e.agent.find((a) => a.requestor);
const fhir = (path: string, client: ClientName, opts: Parameters<typeof call>[1] = {}) => call(`${gw.url}/fhir${path}`, { token: tokens[client], ...opts });

test('a token request is a DICOM User Authentication event naming the client, never the secret or token', async () => {
  await tokenFor(gw.url, 'vendor-a');
  const e = await last();
  expect(e.type).toEqual({ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110114', display: 'User Authentication' });
  expect(subtypes(e)).toEqual(['110122']);
  expect(e.outcome).toBe('0');
  expect(requestor(e)).toMatchObject({ altId: 'vendor-a', requestor: true, who: { identifier: { system: 'urn:ilp-gateway:client', value: 'vendor-a' } }, network: { address: expect.stringMatching(/127\.0\.0\.1/) } });
  expect(e.source).toMatchObject({ observer: { display: expect.stringMatching(/^ILP Gateway/) }, type: [{ code: '4', display: 'Application Server' }] });
  expect(JSON.stringify(e)).not.toMatch(/secret-of|eyJ/);
});

test('a failed token request is recorded with outcome 4; an unknown client id is not copied into the event', async () => {
  const wrong = await fetch(`${gw.url}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=vendor-b&client_secret=guess' });
  expect(wrong.status).toBe(401);
  const e = await last();
  expect(e.outcome).toBe('4');
  expect(requestor(e)?.altId).toBe('vendor-b');
  const unknown = await fetch(`${gw.url}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=client_credentials&client_id=${NIK}&client_secret=x` });
  expect(unknown.status).toBe(401);
  const u = await last();
  expect(u.outcome).toBe('4');
  expect(requestor(u)?.altId).toBeUndefined();
  expect(JSON.stringify(u)).not.toContain(NIK);
});

test('ILP intake: create with the visit resources and its Patient as entities', async () => {
  const res = await call(`${gw.url}/ilp/v1/encounters`, { method: 'POST', token: tokens['vendor-a'], body: { ...example(), submissionId: uniqueId('AUDIT') }, headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(202);
  submissionId = String(res.body.id);
  const e = await last();
  expect(e.type.code).toBe('rest');
  expect(subtypes(e)).toEqual(['create', 'ilp-submit']);
  expect(e.action).toBe('C');
  expect(e.outcome).toBe('0');
  expect(requestor(e)?.altId).toBe('vendor-a');
  const [patient] = patients(e);
  expect(patient).toMatch(/^Patient\/[A-Za-z0-9\-.]+$/);
  patientId = patient!.slice('Patient/'.length);
  expect(refs(e).some((r) => r.startsWith('Encounter/'))).toBe(true);
  expect(refs(e).some((r) => r.startsWith('Observation/'))).toBe(true);
  expect(e.entity?.find((x) => x.role?.code === '1')).toMatchObject({ type: { code: '1', display: 'Person' }, role: { code: '1', display: 'Patient' } });
});

test('ILP status read names the submission resources', async () => {
  expect((await call(`${gw.url}/ilp/v1/submissions/${submissionId}`, { token: tokens['vendor-a'] })).status).toBe(200);
  const e = await last();
  expect(subtypes(e)).toEqual(['read', 'ilp-status']);
  expect(e.action).toBe('R');
  expect(patients(e)).toEqual([`Patient/${patientId}`]);
  expect(e.entity?.some((x) => x.what?.identifier?.value === submissionId)).toBe(true);
});

test('FHIR read, history and vread name the Patient', async () => {
  expect((await fhir(`/Patient/${patientId}`, 'vendor-a')).status).toBe(200);
  let e = await last();
  expect(subtypes(e)).toEqual(['read']);
  expect(patients(e)).toEqual([`Patient/${patientId}`]);
  expect((await fhir(`/Patient/${patientId}/_history`, 'vendor-a')).status).toBe(200);
  e = await last();
  expect(subtypes(e)).toEqual(['history-instance']);
  expect(patients(e)).toEqual([`Patient/${patientId}`]);
  expect((await fhir(`/Patient/${patientId}/_history/1`, 'vendor-a')).status).toBe(200);
  e = await last();
  expect(subtypes(e)).toEqual(['vread']);
  expect(patients(e)).toEqual([`Patient/${patientId}`]);
});

test('a read of a missing resource is recorded with outcome 4 and the reference asked for', async () => {
  expect((await fhir('/Observation/does-not-exist', 'vendor-a')).status).toBe(404);
  const e = await last();
  expect(e.outcome).toBe('4');
  expect(e.outcomeDesc).toBe('HTTP 404');
  expect(refs(e)).toEqual(['Observation/does-not-exist']);
});

test('a search records the returned resources and the query with the NIK redacted', async () => {
  const res = await fhir(`/Patient?identifier=${encodeURIComponent(`https://fhir.kemkes.go.id/id/nik|${NIK}`)}&_count=10`, 'vendor-a');
  expect(res.status).toBe(200);
  expect((res.body.entry as unknown[]).length).toBe(1);
  const e = await last();
  expect(subtypes(e)).toEqual(['search-type']);
  expect(patients(e)).toEqual([`Patient/${patientId}`]);
  const query = e.entity?.find((x) => x.role?.code === '24')?.query;
  expect(query).toBeDefined();
  const decoded = Buffer.from(query!, 'base64').toString('utf8');
  expect(new URLSearchParams(decoded).get('identifier')).toBe('[redacted]');
  expect(new URLSearchParams(decoded).get('_count')).toBe('10');
  expect(decoded).not.toContain(NIK);
});

test('a search for a name keeps the name out of the audit trail; Observation by patient keeps the reference', async () => {
  expect((await fhir('/Patient?name=Rina', 'vendor-a')).status).toBe(200);
  const byName = Buffer.from((await last()).entity!.find((x) => x.role?.code === '24')!.query!, 'base64').toString('utf8');
  expect(byName).toBe('name=%5Bredacted%5D');
  expect((await fhir(`/Observation?patient=Patient/${patientId}`, 'vendor-a')).status).toBe(200);
  const e = await last();
  expect(Buffer.from(e.entity!.find((x) => x.role?.code === '24')!.query!, 'base64').toString('utf8')).toBe(`patient=Patient%2F${patientId}`);
  expect(patients(e)).toEqual([`Patient/${patientId}`]);
  expect(refs(e).filter((r) => r.startsWith('Observation/')).length).toBeGreaterThan(0);
});

test('a batch of GETs names what each search and read returned, with its Patient', async () => {
  const body = { resourceType: 'Bundle', type: 'batch', entry: [
    { request: { method: 'GET', url: `Observation?patient=Patient/${patientId}` } },
    { request: { method: 'GET', url: `Patient/${patientId}` } },
  ] };
  const res = await fhir('', 'vendor-a', { method: 'POST', body });
  expect(res.status).toBe(200);
  const e = await last();
  expect(subtypes(e)).toEqual(['batch']);
  expect(patients(e)).toEqual([`Patient/${patientId}`]);
  expect(refs(e).filter((r) => r.startsWith('Observation/')).length).toBeGreaterThan(0);
});

test('a FHIR transaction is recorded as transaction with every written resource', async () => {
  const res = await fhir('', 'vendor-a', { method: 'POST', body: vendorTransaction({ nik: FHIR_NIK, village: '3508012001', org: '10000005' }), headers: { 'x-organization-id': '10000005' } });
  expect(res.status).toBe(200);
  const written = ((res.body as unknown as Bundle).entry ?? []).map((x) => x.response?.location?.split('/_history')[0]);
  const e = await last();
  expect(subtypes(e)).toEqual(['transaction']);
  expect(e.action).toBe('E');
  expect(refs(e).sort()).toEqual([...written].sort());
  expect(patients(e)).toHaveLength(1);
  expect(JSON.stringify(e)).not.toContain(FHIR_NIK);
});

test('$validate and the Bulk export kick-off are operations', async () => {
  expect((await fhir('/Patient/$validate', 'vendor-a', { method: 'POST', body: { resourceType: 'Patient', identifier: [{ system: 'https://fhir.kemkes.go.id/id/nik', value: NIK }] } })).status).toBeLessThan(500);
  let e = await last();
  expect(subtypes(e)).toEqual(['operation', 'http://hl7.org/fhir/OperationDefinition/Resource-validate']);
  expect(JSON.stringify(e)).not.toContain(NIK);
  const kick = await fhir('/Patient/$export?_type=Patient', 'vendor-a', { headers: { prefer: 'respond-async' } });
  expect(kick.status).toBe(202);
  e = await last();
  expect(subtypes(e)).toEqual(['operation', 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export']);
  expect(e.action).toBe('E');
  expect(Buffer.from(e.entity!.find((x) => x.role?.code === '24')!.query!, 'base64').toString('utf8')).toBe('_type=Patient');
});

test('401 without a token and 403 for a missing scope are recorded, the latter with the client', async () => {
  expect((await call(`${gw.url}/fhir/Patient/${patientId}`)).status).toBe(401);
  let e = await last();
  expect(e.outcome).toBe('4');
  expect(e.outcomeDesc).toBe('HTTP 401');
  expect(requestor(e)?.altId).toBeUndefined();
  expect(refs(e)).toEqual([`Patient/${patientId}`]);
  expect((await fhir(`/Patient/${patientId}`, 'no-fhir')).status).toBe(403);
  e = await last();
  expect(e.outcome).toBe('4');
  expect(e.outcomeDesc).toBe('HTTP 403');
  expect(requestor(e)?.altId).toBe('no-fhir');
  const other = await call(`${gw.url}/ilp/v1/encounters`, { method: 'POST', token: tokens['vendor-b'], body: { ...example(), submissionId: uniqueId('X') }, headers: { 'content-type': 'application/json' } });
  expect(other.status).toBe(403);
  e = await last();
  expect(requestor(e)?.altId).toBe('vendor-b');
  expect(e.outcome).toBe('4');
});

test('admin actions are Application Activity events naming the organisation', async () => {
  const pause = await call(`${gw.url}/admin/v1/organizations/10000005/pause`, { method: 'PUT', token: tokens.operator, body: { reason: 'audit test' }, headers: { 'content-type': 'application/json' } });
  expect(pause.status).toBe(200);
  let e = await last();
  expect(e.type.code).toBe('110100');
  expect(subtypes(e)).toEqual(['admin-pause']);
  expect(e.action).toBe('U');
  expect(requestor(e)?.altId).toBe('operator');
  expect(e.entity?.[0]?.what?.identifier).toEqual({ system: 'http://sys-ids.kemkes.go.id/organization', value: '10000005' });
  expect((await call(`${gw.url}/admin/v1/organizations/10000005/pause`, { method: 'DELETE', token: tokens.operator })).status).toBe(200);
  e = await last();
  expect(subtypes(e)).toEqual(['admin-resume']);
  expect(e.action).toBe('D');
  const requeue = await call(`${gw.url}/admin/v1/submissions/requeue`, { method: 'POST', token: tokens.operator, body: { ids: [submissionId, 'not-an-id'], reason: `patient ${NIK} called` }, headers: { 'content-type': 'application/json' } });
  expect(requeue.status).toBe(200);
  e = await last();
  expect(subtypes(e)).toEqual(['admin-requeue']);
  expect(e.entity?.map((x) => x.what?.identifier?.value)).toEqual([submissionId]);
  expect(JSON.stringify(e)).not.toContain(NIK);
});

test('no stored audit row holds a NIK, a name, a phone number, a secret or a token', async () => {
  const all = await events();
  expect(all.length).toBeGreaterThan(15);
  const dumps = [JSON.stringify(all)];
  if (gw.db.url) {
    const c = new Client({ connectionString: gw.db.url });
    await c.connect();
    try {
      dumps.push(JSON.stringify((await c.query('SELECT t.* FROM audit_event t')).rows));
    } finally {
      await c.end();
    }
  }
  for (const dump of dumps) {
    for (const secret of [NIK, FHIR_NIK, 'Rina', 'Wulandari', 'Sari Dewi', '081234567890', 'secret-of', ...Object.values(tokens)]) expect(dump).not.toContain(secret);
    expect(dump).not.toMatch(/\b\d{16}\b/);
  }
});

describe('GET /fhir/AuditEvent', () => {
  const search = async (query: string, client: ClientName = 'ministry'): Promise<AuditEvent[]> => {
    await events();
    const res = await fhir(`/AuditEvent?_count=1000&${query}`, client);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    return ((res.body.entry ?? []) as { resource: AuditEvent }[]).map((x) => x.resource);
  };

  test('altid, entity, patient, subtype and outcome each filter', async () => {
    const byA = await search('altid=vendor-a');
    expect(byA.length).toBeGreaterThan(5);
    expect(byA.every((e) => requestor(e)?.altId === 'vendor-a')).toBe(true);
    const byPatient = await search(`patient=${patientId}`);
    expect(byPatient.length).toBeGreaterThanOrEqual(6);
    expect(byPatient.every((e) => patients(e).includes(`Patient/${patientId}`))).toBe(true);
    expect((await search(`entity=Patient/${patientId}`)).map((e) => e.id)).toEqual(byPatient.map((e) => e.id));
    const reads = await search('subtype=http://hl7.org/fhir/restful-interaction|read');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((e) => subtypes(e).includes('read'))).toBe(true);
    const searches = await search('subtype=search-type,vread');
    expect(searches.every((e) => subtypes(e).some((s) => s === 'search-type' || s === 'vread'))).toBe(true);
    expect(new Set(searches.flatMap(subtypes))).toEqual(new Set(['search-type', 'vread']));
    const failures = await search('outcome=4');
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect(failures.every((e) => e.outcome === '4')).toBe(true);
    expect((await search('outcome=4&altid=no-fhir')).every((e) => requestor(e)?.altId === 'no-fhir' && e.outcome === '4')).toBe(true);
  });

  test('date takes prefixes and precisions', async () => {
    // Every search is audited too: compare within a cut-off taken before them.
    await events();
    const cut = `le${new Date().toISOString()}`;
    const all = await search(`date=${cut}`);
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect((await search(`date=ge${started}&date=${cut}`)).length).toBe(all.length);
    expect(await search(`date=lt${started}`)).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await search(`date=${today}&date=${cut}`)).length + (await search(`date=lt${today}`)).length).toBe(all.length);
    const middle = all[Math.floor(all.length / 2)]!.recorded;
    const after = await search(`date=gt${middle}&date=${cut}`);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((e) => e.recorded > middle)).toBe(true);
    expect(after.length + (await search(`date=le${middle}&date=${cut}`)).length).toBe(all.length);
    expect((await fhir('/AuditEvent?date=yesterday', 'ministry')).status).toBe(400);
    expect((await fhir('/AuditEvent?who=vendor-a', 'ministry')).status).toBe(400);
  });

  test('_count pages with next links, newest first', async () => {
    const first = await fhir('/AuditEvent?_count=3', 'ministry');
    const next = ((first.body.link ?? []) as { relation: string; url: string }[]).find((l) => l.relation === 'next')?.url;
    expect(next).toBeDefined();
    const second = await call(next!, { token: tokens.ministry });
    const ids = (b: Json) => ((b.entry ?? []) as { resource: AuditEvent }[]).map((x) => x.resource.id);
    expect(ids(first.body)).toHaveLength(3);
    expect(ids(second.body)).toHaveLength(3);
    expect(ids(second.body).some((id) => ids(first.body).includes(id))).toBe(false);
    const rec = (b: Json) => ((b.entry ?? []) as { resource: AuditEvent }[]).map((x) => x.resource.recorded);
    expect(rec(first.body).at(-1)! >= rec(second.body)[0]!).toBe(true);
  });

  test('a vendor sees only its own events and cannot read another client\'s', async () => {
    const mine = await search('', 'vendor-b');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => requestor(e)?.altId === 'vendor-b')).toBe(true);
    expect(await search('altid=vendor-a', 'vendor-b')).toEqual([]);
    const ofA = (await search('altid=vendor-a'))[0]!;
    expect((await fhir(`/AuditEvent/${ofA.id}`, 'vendor-b')).status).toBe(404);
    expect((await fhir(`/AuditEvent/${ofA.id}`, 'ministry')).body).toMatchObject({ resourceType: 'AuditEvent', id: ofA.id });
    // system/*.read covers AuditEvent.read, but a vendor's organisation list limits it to its own events.
    expect((await search('', 'vendor-a')).every((e) => requestor(e)?.altId === 'vendor-a')).toBe(true);
    expect((await search('', 'operator')).some((e) => requestor(e)?.altId === 'vendor-a')).toBe(true);
    const refused = await fhir('/AuditEvent', 'no-fhir');
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('AUDIT-READ-FORBIDDEN');
  });

  test('reading the audit trail is itself audited as Audit Log Used', async () => {
    await search('altid=vendor-a');
    const e = await last();
    expect(e.type.code).toBe('110101');
    expect(subtypes(e)).toEqual(['search-type']);
    expect(Buffer.from(e.entity!.find((x) => x.role?.code === '24')!.query!, 'base64').toString('utf8')).toContain('altid=vendor-a');
  });

  test('AuditEvent cannot be written through the API', async () => {
    const forged: AuditEvent = { resourceType: 'AuditEvent', id: '00000000-0000-4000-8000-000000000000', type: { code: 'rest' }, recorded: new Date().toISOString(), agent: [{ requestor: true }], source: { observer: { display: 'x' } } };
    expect((await fhir('/AuditEvent', 'vendor-a', { method: 'POST', body: forged })).status).toBe(405);
    expect((await fhir(`/AuditEvent/${forged.id}`, 'vendor-a', { method: 'PUT', body: forged })).status).toBe(405);
    expect((await fhir('/AuditEvent', 'operator', { method: 'POST', body: forged })).status).toBe(403);
    const tx = await fhir('', 'vendor-a', { method: 'POST', body: { resourceType: 'Bundle', type: 'batch', entry: [{ resource: forged, request: { method: 'POST', url: 'AuditEvent' } }] } });
    expect(tx.status === 200 ? JSON.stringify(tx.body) : String(tx.status)).toMatch(/4\d\d/);
    expect(await gw.db.audit.read(forged.id!)).toBeUndefined();
  });

  test('the CapabilityStatement lists AuditEvent with its search parameters', async () => {
    const cs = await call(`${gw.url}/fhir/metadata`);
    const resource = ((cs.body.rest as { resource: { type: string; searchParam?: { name: string }[] }[] }[])[0]!.resource).find((r) => r.type === 'AuditEvent');
    expect(resource?.searchParam?.map((p) => p.name).sort()).toEqual(['altid', 'date', 'entity', 'outcome', 'patient', 'subtype']);
  });
});
