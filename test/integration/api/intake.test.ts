import type { Bundle, CarePlan, Encounter, Observation, Patient } from 'fhir/r4';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { TestGateway, startGateway } from '../../support/gateway';
import { EXAMPLE_PATH, EXAMPLE_SHA256, Json, example, uniqueId } from '../../support/submissions';

let gw: TestGateway;
beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw.close(); });

const post = (body: unknown) => request(gw.url).post('/ilp/v1/encounters').send(body as object);

test('the docs example is the design\'s reference submission, byte for byte (by its recorded checksum)', () => {
  expect(createHash('sha256').update(readFileSync(EXAMPLE_PATH)).digest('hex')).toBe(EXAMPLE_SHA256);
});

describe('the reference submission', () => {
  let id: string;
  let body: Record<string, unknown>;

  beforeAll(async () => {
    const res = await request(gw.url).post('/ilp/v1/encounters').set('Content-Type', 'application/json').send(readFileSync(EXAMPLE_PATH, 'utf8'));
    expect(res.status).toBe(202);
    body = res.body;
    id = res.body.id;
    expect(res.headers.location).toBe(`/ilp/v1/submissions/${id}`);
  });

  test('is accepted as is, with its status', () => {
    expect(body).toMatchObject({ status: 'accepted', result: 'created', version: 1, submissionId: 'SIMPUS-3508-2024-000123', organizationId: '10000005' });
  });

  test('is stored with one outbox row and its resources', async () => {
    const res = await request(gw.url).get(`/ilp/v1/submissions/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('accepted');
    const types = res.body.resources.map((r: { resourceType: string }) => r.resourceType).sort();
    // 13 measured items + BMI + TB screening result = 15 Observations.
    expect(types.filter((t: string) => t === 'Observation')).toHaveLength(15);
    expect(types.filter((t: string) => t !== 'Observation')).toEqual(['CarePlan', 'Condition', 'Encounter', 'Patient']);
    const outbox = await gw.db.outbox.list();
    expect(outbox.filter((o) => o.submissionPk === id)).toHaveLength(1);
  });

  test('stores standard FHIR with references resolved to stored ids', async () => {
    const sub = await gw.db.submissions.getSubmission(id);
    const ref = (t: string) => sub!.resources.find((r) => r.resourceType === t)!;
    const enc = (await gw.db.resources.read('Encounter', ref('Encounter').id))!.resource as Encounter;
    const patient = (await gw.db.resources.read('Patient', ref('Patient').id))!.resource as Patient;
    expect(enc.subject?.reference).toBe(`Patient/${patient.id}`);
    expect(enc.period).toEqual({ start: '2024-07-29T01:15:00+00:00', end: '2024-07-29T01:50:00+00:00' });
    expect(enc.identifier).toContainEqual({ system: 'http://sys-ids.kemkes.go.id/encounter/10000005', value: 'SIMPUS-3508-2024-000123' });
    expect(enc.identifier).toContainEqual({ system: 'http://terminology.kemkes.go.id/CodeSystem/episodeofcare/ANC', value: 'K2' });
    expect(enc.diagnosis?.[0]?.condition?.reference).toMatch(/^Condition\//);
    expect(patient.identifier).toContainEqual({ use: 'official', system: 'https://fhir.kemkes.go.id/id/nik', value: '9271060312000001' });
    const admin = patient.address?.[0]?.extension?.[0];
    expect(admin?.url).toBe('https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode');
    expect(admin?.extension).toEqual(expect.arrayContaining([{ url: 'village', valueCode: '3508012001' }, { url: 'province', valueCode: '35' }, { url: 'rt', valueCode: '2' }]));
  });

  test('adds the catalogue follow-up for the high blood pressure to the care plan', async () => {
    const sub = await gw.db.submissions.getSubmission(id);
    const cpRef = sub!.resources.find((r) => r.resourceType === 'CarePlan')!;
    const cp = (await gw.db.resources.read('CarePlan', cpRef.id))!.resource as CarePlan;
    expect(cp.category?.[0]?.coding?.[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '736271009' });
    // 2 vendor activities + at least one added for the positive screening, citing the Observation.
    expect(cp.activity!.length).toBeGreaterThanOrEqual(3);
    const added = cp.activity!.filter((a) => (a.detail?.reasonReference ?? []).length > 0);
    expect(added.length).toBeGreaterThan(0);
    expect(added[0]!.detail!.reasonReference![0]!.reference).toMatch(/^Observation\//);
  });
});

describe('idempotency by (organizationId, submissionId)', () => {
  test('re-sending the same payload returns the same submission and writes nothing', async () => {
    const s = { ...example(), submissionId: uniqueId('IDEMP') };
    const first = await post(s);
    const outboxAfterFirst = (await gw.db.outbox.list(10_000)).length;
    const second = await post(JSON.parse(JSON.stringify(s)));
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ id: first.body.id, result: 'unchanged', version: 1 });
    expect((await gw.db.outbox.list(10_000)).length).toBe(outboxAfterFirst);
  });

  test('a changed payload becomes version 2 of the same resources, not a second visit', async () => {
    const s: Json = { ...example(), submissionId: uniqueId('CHANGE') };
    const first = await post(s);
    const v1 = await gw.db.submissions.getSubmission(first.body.id);
    s.screenings[0].items[0].value = 150;
    const second = await post(s);
    expect(second.body).toMatchObject({ id: first.body.id, result: 'updated', version: 2 });
    const v2 = await gw.db.submissions.getSubmission(first.body.id);
    const ids = (sub: typeof v1) => sub!.resources.map((r) => `${r.resourceType}/${r.id}`).sort();
    expect(ids(v2)).toEqual(ids(v1));
    const sys = v2!.resources.find((r) => r.resourceType === 'Observation' && r.versionId === 2);
    expect(sys).toBeDefined();
    const obs = (await gw.db.resources.read('Observation', sys!.id))!.resource as Observation;
    expect(obs.valueQuantity?.value).toBe(150);
    const encounter = v2!.resources.find((r) => r.resourceType === 'Encounter')!;
    expect(encounter.versionId).toBe(1);
    expect((await gw.db.outbox.list(10_000)).filter((o) => o.submissionPk === first.body.id)).toHaveLength(2);
  });

  test('the same submissionId from another organisation is another visit', async () => {
    const submissionId = uniqueId('ORG');
    const a = await post({ ...example(), submissionId });
    const b = await post({ ...example(), submissionId, organizationId: '10000006' });
    expect(b.status).toBe(202);
    expect(b.body.id).not.toBe(a.body.id);
  });

  test('the patient is shared across visits by NIK', async () => {
    const a = await post({ ...example(), submissionId: uniqueId('PAT') });
    const b = await post({ ...example(), submissionId: uniqueId('PAT') });
    const pa = (await gw.db.submissions.getSubmission(a.body.id))!.resources.find((r) => r.resourceType === 'Patient');
    const pb = (await gw.db.submissions.getSubmission(b.body.id))!.resources.find((r) => r.resourceType === 'Patient');
    expect(pb!.id).toBe(pa!.id);
  });
});

describe('POST /ilp/v1/encounters/$validate', () => {
  test('returns the Bundle that would be produced and stores nothing', async () => {
    const s = { ...example(), submissionId: uniqueId('DRY') };
    const before = (await gw.db.outbox.list(10_000)).length;
    const res = await request(gw.url).post('/ilp/v1/encounters/$validate').send(s);
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(true);
    const bundle = res.body.bundle as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
    expect(bundle.entry!.every((e) => e.fullUrl!.startsWith('urn:uuid:'))).toBe(true);
    expect(res.body.outcome.resourceType).toBe('OperationOutcome');
    expect((await gw.db.outbox.list(10_000)).length).toBe(before);
    expect(await gw.db.submissions.findSubmission('10000005', s.submissionId)).toBeUndefined();
  });

  test('answers invalid content exactly as the real intake would', async () => {
    const s = example();
    s.patient.nik = '1';
    const res = await request(gw.url).post('/ilp/v1/encounters/$validate').send(s);
    expect(res.status).toBe(422);
    expect(res.body.issue[0].expression).toEqual(['patient.nik']);
  });
});

describe('vendor interpretation', () => {
  test('a disagreeing vendor interpretation is kept, with a warning', async () => {
    const s: Json = { ...example(), submissionId: uniqueId('INTERP') };
    s.screenings[0].items[0].interpretation = 'N';
    const res = await post(s);
    expect(res.status).toBe(202);
    const warning = res.body.outcome.issue.find((i: { severity: string; expression?: string[] }) => i.severity === 'warning' && i.expression?.[0] === 'screenings[0].items[0].interpretation');
    expect(warning).toBeDefined();
    const sub = await gw.db.submissions.getSubmission(res.body.id);
    // The guideline's follow-up (preeclampsia referral) is kept although the vendor said normal.
    const cpRef = sub!.resources.find((r) => r.resourceType === 'CarePlan')!;
    const cp = (await gw.db.resources.read('CarePlan', cpRef.id))!.resource as CarePlan;
    expect(cp.activity!.some((a) => /preeklampsia/.test(a.detail?.description ?? ''))).toBe(true);
    for (const ref of sub!.resources.filter((r) => r.resourceType === 'Observation')) {
      const obs = (await gw.db.resources.read('Observation', ref.id))!.resource as Observation;
      if (obs.code.coding?.[0]?.code === '8480-6') expect(obs.interpretation?.[0]?.coding?.[0]?.code).toBe('N');
    }
  });
});

describe('published documents', () => {
  test('OpenAPI 3.1 with the generated request schema', async () => {
    const res = await request(gw.url).get('/ilp/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const items = res.body.components.schemas.IlpSubmission.properties.screenings.items.properties.items.items.oneOf;
    expect(items.map((i: { properties: { code: { const: string } } }) => i.properties.code.const)).toContain('systolic-bp');
  });

  test('health, readiness and metrics', async () => {
    expect((await request(gw.url).get('/healthz')).status).toBe(200);
    expect((await request(gw.url).get('/readyz')).body).toEqual({ status: 'ready' });
    const metrics = await request(gw.url).get('/metrics');
    expect(metrics.text).toMatch(/ilp_gateway_submissions_total\{result="created"\} \d+/);
  });

  test('an unknown submission id is 404', async () => {
    expect((await request(gw.url).get('/ilp/v1/submissions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await request(gw.url).get('/ilp/v1/submissions/not-a-uuid')).status).toBe(404);
  });
});
