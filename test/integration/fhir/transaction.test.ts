import type { Bundle, Encounter } from 'fhir/r4';
import { testDbKind } from '../../support/database';
import { getJson, postJson, searchIds, startFhirGateway, vendorTransaction, type Json } from './fhir-support';

/** POST /fhir with transaction and batch Bundles (FHIR R4 http.html#transaction), queued for relay like ILP intake. */
let gw: Awaited<ReturnType<typeof startFhirGateway>>;
let base: string;

beforeAll(async () => {
  gw = await startFhirGateway();
  base = `${gw.url}/fhir`;
});

afterAll(async () => {
  await gw?.close();
});

const count = async (query: string): Promise<number> => searchIds((await getJson(`${base}/${query}&_count=1000`)).body).length;
const entries = (body: Json): NonNullable<Bundle['entry']> => (body as unknown as Bundle).entry ?? [];

describe(`transactions on ${testDbKind()}`, () => {
  test('urn:uuid references are rewritten, locations and etags answered, and one outbox row is queued', async () => {
    const before = await gw.db.outbox.countPending();
    const res = await postJson(base, vendorTransaction({ nik: '3174010101900101', village: '3174061003' }));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    const [patient, encounter, observation] = entries(res.body).map((e) => e.response);
    expect(patient?.status).toBe('201 Created');
    expect(encounter?.location).toMatch(/^Encounter\/[0-9a-f-]{36}\/_history\/1$/);
    expect(observation?.etag).toBe('W/"1"');
    const obs = await getJson(`${base}/${observation?.location?.split('/_history')[0]}`);
    expect((obs.body as { encounter?: { reference?: string } }).encounter?.reference).toBe(encounter?.location?.split('/_history')[0]);
    expect((obs.body as { subject?: { reference?: string } }).subject?.reference).toBe(patient?.location?.split('/_history')[0]);
    expect(await gw.db.outbox.countPending()).toBe(before + 1);
    const [row] = await gw.db.outbox.list(1000).then((rows) => rows.slice(-1));
    const submission = await gw.db.submissions.getSubmission(row?.submissionPk ?? '');
    expect(submission?.organizationId).toBe('10000005');
    expect(submission?.resources).toHaveLength(3);
  });

  test('conditional create on identifier is idempotent: the second Bundle reuses the Patient', async () => {
    const nik = '3174010101900202';
    const first = await postJson(base, vendorTransaction({ nik, village: '3174061003' }));
    const second = await postJson(base, vendorTransaction({ nik, village: '3174061003' }));
    expect(entries(second.body)[0]?.response?.status).toBe('200 OK');
    expect(entries(second.body)[0]?.response?.location).toBe(entries(first.body)[0]?.response?.location);
    expect(await count(`Patient?identifier=${nik}`)).toBe(1);
    expect(await count(`Encounter?subject=${entries(first.body)[0]?.response?.location?.split('/_history')[0]}`)).toBe(2);
  });

  test('the same Bundle.identifier sent twice stores one visit and queues once', async () => {
    const bundle = vendorTransaction({ nik: '3174010101900303', village: '3174061003', identifier: 'VISIT-303' });
    const first = await postJson(base, bundle);
    const pending = await gw.db.outbox.countPending();
    const again = await postJson(base, bundle);
    expect(again.status).toBe(200);
    expect(entries(again.body).map((e) => e.response?.location)).toEqual(entries(first.body).map((e) => e.response?.location));
    expect(await gw.db.outbox.countPending()).toBe(pending);
    const changed = vendorTransaction({ nik: '3174010101900303', village: '3174061003', identifier: 'VISIT-303', systolic: 150 });
    const updated = await postJson(base, changed);
    expect(entries(updated.body)[2]?.response?.location).toBe(entries(first.body)[2]?.response?.location?.replace('/_history/1', '/_history/2'));
    expect(await gw.db.outbox.countPending()).toBe(pending + 1);
  });

  test('one invalid entry: 422 naming it, and nothing at all is stored', async () => {
    const nik = '3174010101900404';
    const bundle = vendorTransaction({ nik, village: '3174061003' });
    (bundle.entry?.[2]?.resource as { status: string }).status = 'not-a-status';
    const pending = await gw.db.outbox.countPending();
    const res = await postJson(base, bundle);
    expect(res.status).toBe(422);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(res.body)).toContain('Bundle.entry[2]');
    expect(await count(`Patient?identifier=${nik}`)).toBe(0);
    expect(await gw.db.outbox.countPending()).toBe(pending);
  });

  test('a store-level failure late in the Bundle rolls back the entries before it', async () => {
    const nik = '3174010101900505';
    const bundle = vendorTransaction({ nik, village: '3174061003' });
    bundle.entry?.push({ resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' } }, request: { method: 'PUT', url: 'Observation/has/slash' } });
    const res = await postJson(base, bundle);
    expect(res.status).toBe(422);
    expect(await count(`Patient?identifier=${nik}`)).toBe(0);
  });

  test('a malformed escape in a PUT url is a 4xx OperationOutcome naming the entry, not a 500 (URIError)', async () => {
    const bundle = vendorTransaction({ nik: '3174010101900808', village: '3174061003' });
    const patient = bundle.entry?.[0];
    if (patient) patient.request = { method: 'PUT', url: 'Patient?identifier=%E0' };
    const res = await postJson(base, bundle);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(res.body)).toContain('Bundle.entry[0]');
    expect(await count('Patient?identifier=3174010101900808')).toBe(0);
    const batch = await postJson(base, { ...bundle, type: 'batch' }, { 'X-Organization-Id': '10000005' });
    expect(batch.status).toBe(200);
    expect(entries(batch.body)[0]?.response?.status).toMatch(/^4/);
  });

  test('PUT Type?identifier= is decoded as the store decodes it (form decoding: + is a space), so re-sending the same Bundle answers 200, not 500', async () => {
    const nik = '3174010101900909';
    const first = vendorTransaction({ nik, village: '3174061003', identifier: 'DECODE-0909' });
    const patient = first.entry?.[0];
    if (patient?.resource?.resourceType === 'Patient') {
      patient.resource.identifier = [{ system: 'https://simpus.example/mrn', value: 'RM 09+1' }, ...(patient.resource.identifier ?? [])];
      patient.request = { method: 'PUT', url: 'Patient?identifier=https%3A%2F%2Fsimpus.example%2Fmrn|RM+09%2B1' };
    }
    const a = await postJson(base, first);
    expect(a.status).toBe(200);
    expect(entries(a.body)[0]?.response?.status).toBe('201 Created');
    // The same Bundle again: unchanged, so the store looks each entry up again by its url.
    const b = await postJson(base, first);
    expect(b.status).toBe(200);
    expect(entries(b.body)[0]?.response?.location).toBe(entries(a.body)[0]?.response?.location);
    expect(await count(`Patient?identifier=${nik}`)).toBe(1);
  });

  test('the organisation is the Encounter\'s serviceProvider; a header naming another one is ambiguous (403); without either, 422', async () => {
    const bundle = vendorTransaction({ nik: '3174010101900606', village: '3174061003', identifier: 'ORG-0606' });
    const ambiguous = await postJson(base, bundle, { 'X-Organization-Id': '10000077' });
    expect(ambiguous.status).toBe(403);
    expect(JSON.stringify(ambiguous.body)).toContain('AUTH-ORG-AMBIGUOUS');
    expect(await gw.db.submissions.findSubmission('10000005', 'fhir:https://simpus.example/bundle|ORG-0606')).toBeUndefined();
    expect((await postJson(base, bundle, { 'X-Organization-Id': '10000005' })).status).toBe(200);
    expect(await gw.db.submissions.findSubmission('10000005', 'fhir:https://simpus.example/bundle|ORG-0606')).toBeDefined();
    expect(await gw.db.submissions.findSubmission('10000077', 'fhir:https://simpus.example/bundle|ORG-0606')).toBeUndefined();
    const without = vendorTransaction({ nik: '3174010101900626', village: '3174061003' });
    delete (without.entry?.[1]?.resource as Encounter).serviceProvider;
    expect((await postJson(base, without)).status).toBe(422);
  });

  test('a transaction with nothing to relay (a Patient or a Group alone) is refused at intake with 422, nothing queued', async () => {
    const pending = await gw.db.outbox.countPending();
    const patientOnly = vendorTransaction({ nik: '3174010101900616', village: '3174061003' });
    patientOnly.entry = patientOnly.entry?.filter((e) => e.resource?.resourceType === 'Patient');
    const group = { resourceType: 'Group', id: 'posyandu-mawar', type: 'person', actual: true };
    const groupOnly = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: group, request: { method: 'PUT', url: 'Group/posyandu-mawar' } }] };
    for (const bundle of [patientOnly, groupOnly]) {
      const res = await postJson(base, bundle, { 'X-Organization-Id': '10000005' });
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body)).toContain('FHIR-NOTHING-TO-RELAY');
    }
    expect(await count('Patient?identifier=3174010101900616')).toBe(0);
    expect((await getJson(`${base}/Group/posyandu-mawar`)).status).toBe(404);
    expect(await gw.db.outbox.countPending()).toBe(pending);
  });

  test('batch: each entry answers for itself (a write stands alone, so only an Encounter has something to relay)', async () => {
    const visit = await postJson(base, vendorTransaction({ nik: '3174010101900707', village: '3174061003' }));
    const encounterId = entries(visit.body)[1]?.response?.location?.split('/')[1] ?? '';
    const stored = (await getJson(`${base}/Encounter/${encounterId}`)).body as unknown as Encounter;
    const { meta: _meta, ...encounter } = stored;
    const good = { resource: { ...encounter, period: { ...encounter.period, end: '2025-03-10T02:40:00+00:00' } }, request: { method: 'PUT', url: `Encounter/${encounterId}` } };
    const bad = { resource: { resourceType: 'Patient', gender: 'unknown-gender' }, request: { method: 'POST', url: 'Patient' } };
    const unsupported = { request: { method: 'DELETE', url: 'Patient/x' } };
    const alone = vendorTransaction({ nik: '3174010101900717', village: '3174061003' }).entry?.[0];
    const res = await postJson(base, { resourceType: 'Bundle', type: 'batch', entry: [good, bad, unsupported, alone] }, { 'X-Organization-Id': '10000005' });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('batch-response');
    expect(entries(res.body).map((e) => e.response?.status)).toEqual(['200 OK', '422 Unprocessable Entity', '422 Unprocessable Entity', '422 Unprocessable Entity']);
    expect(entries(res.body)[0]?.response?.location).toBe(`Encounter/${encounterId}/_history/2`);
    expect(entries(res.body)[1]?.response?.outcome?.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(entries(res.body)[3]?.response?.outcome)).toContain('FHIR-NOTHING-TO-RELAY');
    expect(await count('Patient?identifier=3174010101900717')).toBe(0);
  });

  test('not a transaction or batch Bundle → 400', async () => {
    const res = await postJson(base, { resourceType: 'Patient' });
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect((await postJson(base, { resourceType: 'Bundle', type: 'collection' })).status).toBe(400);
  });
});
