/**
 * Hostile and malformed requests: each is answered 4xx with an OperationOutcome whose expression
 * names the field, and nothing is stored (no submission, no outbox row).
 */
import request from 'supertest';
import { TestGateway, startGateway } from '../../support/gateway';
import { Json, example } from '../../support/submissions';

let gw: TestGateway;
beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw.close(); });

interface BadCase {
  name: string;
  status: number;
  /** issue.expression expected on at least one issue (undefined → no field to name). */
  expression?: string;
  errorCode?: string;
  body?: (s: Json) => unknown;
  raw?: () => string;
  contentType?: string;
}

const set = (f: (s: Json) => void) => (s: Json) => { f(s); return s; };
const nested = (depth: number): unknown => { let v: unknown = 'x'; for (let i = 0; i < depth; i += 1) v = { a: v }; return v; };

const CASES: BadCase[] = [
  { name: 'malformed JSON', status: 400, errorCode: 'HTTP-BODY-MALFORMED', raw: () => '{"submissionId": "X", ' },
  { name: 'JSON array instead of object', status: 422, errorCode: 'HTTP-BODY-NOT-OBJECT', raw: () => '[1,2,3]' },
  { name: 'JSON string instead of object', status: 422, errorCode: 'HTTP-BODY-NOT-OBJECT', raw: () => '"visit"' },
  { name: 'text/plain body', status: 415, errorCode: 'HTTP-MEDIA-TYPE', raw: () => JSON.stringify(example()), contentType: 'text/plain' },
  { name: 'wrong type: value as string', status: 422, expression: 'screenings[0].items[0].value', errorCode: 'SCHEMA-TYPE', body: set((s) => { s.screenings[0].items[0].value = '142'; }) },
  { name: 'wrong type: cluster as string', status: 422, expression: 'cluster', errorCode: 'SCHEMA-TYPE', body: set((s) => { s.cluster = '2'; }) },
  { name: 'null value', status: 422, expression: 'screenings[0].items[1].value', errorCode: 'SCHEMA-TYPE', body: set((s) => { s.screenings[0].items[1].value = null; }) },
  { name: 'unknown screening item', status: 422, expression: 'screenings[1].items[2].code', errorCode: 'ILP-ITEM-UNKNOWN', body: set((s) => { s.screenings[1].items[2].code = 'lila-kiri'; }) },
  { name: 'unknown screening type', status: 422, expression: 'screenings[0].type', errorCode: 'SCHEMA-ENUM', body: set((s) => { s.screenings[0].type = 'hipertensi'; }) },
  { name: 'out-of-range value (typo 1420 mmHg)', status: 422, expression: 'screenings[0].items[0].value', errorCode: 'ILP-ITEM-IMPLAUSIBLE', body: set((s) => { s.screenings[0].items[0].value = 1420; }) },
  { name: 'absurd number 1e308', status: 422, expression: 'screenings[1].items[0].value', errorCode: 'ILP-ITEM-IMPLAUSIBLE', body: set((s) => { s.screenings[1].items[0].value = 1e308; }) },
  { name: 'derived item sent by vendor (bmi)', status: 422, expression: 'screenings[1].items[0].code', errorCode: 'ILP-ITEM-DERIVED', body: set((s) => { s.screenings[1].items[0] = { code: 'bmi', value: 25 }; }) },
  { name: 'item in the wrong screening', status: 422, expression: 'screenings[2].items[0].code', errorCode: 'ILP-ITEM-NOT-IN-SCREENING', body: set((s) => { s.screenings[2].items[0] = { code: 'hemoglobin', value: 12 }; }) },
  { name: 'same item twice with different values', status: 422, errorCode: 'ILP-ITEM-DUPLICATE', expression: 'screenings[1].items[7].value', body: set((s) => { s.screenings[1].items.push({ code: 'hemoglobin', value: 11.2 }); }) },
  { name: 'NIK of 15 digits', status: 422, expression: 'patient.nik', errorCode: 'ILP-NIK-INVALID', body: set((s) => { s.patient.nik = '927106031200000'; }) },
  { name: 'NIK with unknown province 00', status: 422, expression: 'patient.nik', errorCode: 'ILP-NIK-INVALID', body: set((s) => { s.patient.nik = '0071060312000001'; }) },
  { name: 'NIK with letters', status: 422, expression: 'patient.nik', errorCode: 'ILP-NIK-INVALID', body: set((s) => { s.patient.nik = '92710603120000AB'; }) },
  { name: 'village code of 8 digits', status: 422, expression: 'patient.address.villageCode', errorCode: 'ILP-VILLAGE-INVALID', body: set((s) => { s.patient.address.villageCode = '31710101'; }) },
  { name: 'village code with placeholder kecamatan 00', status: 422, expression: 'patient.address.villageCode', errorCode: 'ILP-VILLAGE-INVALID', body: set((s) => { s.patient.address.villageCode = '3508002001'; }) },
  { name: 'future visit', status: 422, expression: 'start', errorCode: 'ILP-TIME-FUTURE', body: set((s) => { s.start = '2099-01-01T08:00:00+07:00'; s.end = '2099-01-01T09:00:00+07:00'; }) },
  { name: 'end before start', status: 422, expression: 'end', errorCode: 'ILP-TIME-ORDER', body: set((s) => { s.end = '2024-07-29T08:00:00+07:00'; }) },
  { name: 'time without UTC offset', status: 422, expression: 'start', errorCode: 'ILP-TIME-NO-OFFSET', body: set((s) => { s.start = '2024-07-29T08:15:00'; }) },
  { name: 'impossible calendar date', status: 422, expression: 'patient.birthDate', errorCode: 'ILP-DATE-INVALID', body: set((s) => { s.patient.birthDate = '2002-02-30'; }) },
  { name: 'visit ordinal of another visit type', status: 422, expression: 'visitOrdinal', errorCode: 'ILP-VISIT-ORDINAL', body: set((s) => { s.visitOrdinal = 'KF1'; }) },
  { name: 'not an ICD-10 code', status: 422, expression: 'diagnoses[0].icd10', errorCode: 'ILP-ICD10-INVALID', body: set((s) => { s.diagnoses[0].icd10 = 'hipertensi'; }) },
  { name: 'pregnant man', status: 422, expression: 'lifeCycle[0]', errorCode: 'ILP-LIFECYCLE-SEX', body: set((s) => { s.patient.gender = 'male'; }) },
  { name: 'Snellen fraction with a zero', status: 422, expression: 'screenings[0].items[0].value', errorCode: 'SCHEMA-FORMAT', body: set((s) => { s.screenings = [{ type: 'vision', items: [{ code: 'visual-acuity-right', value: '0/6' }] }]; }) },
  { name: 'missing locationId (SATUSEHAT RuleNumber 10120)', status: 422, expression: 'locationId', errorCode: 'SCHEMA-REQUIRED', body: set((s) => { delete s.locationId; }) },
  { name: 'unknown top-level field', status: 422, expression: 'foo', errorCode: 'SCHEMA-UNKNOWN-FIELD', body: set((s) => { s.foo = 1; }) },
  { name: 'missing patient', status: 422, expression: 'patient', errorCode: 'SCHEMA-REQUIRED', body: set((s) => { delete s.patient; }) },
  { name: '10 kB patient name', status: 422, expression: 'patient.name', errorCode: 'SCHEMA-RANGE', body: set((s) => { s.patient.name = 'x'.repeat(10_000); }) },
  { name: '41 screenings', status: 422, expression: 'screenings', errorCode: 'SCHEMA-RANGE', body: set((s) => { s.screenings = Array.from({ length: 41 }, () => s.screenings[2]); }) },
  { name: '10 MB body', status: 413, errorCode: 'HTTP-BODY-TOO-LARGE', raw: () => JSON.stringify({ ...example(), note: 'x'.repeat(10 * 1024 * 1024) }) },
  { name: 'deeply nested JSON (64 levels)', status: 400, errorCode: 'HTTP-BODY-TOO-DEEP', body: set((s) => { s.note = nested(64); }) },
  { name: 'pathologically nested JSON (100 000 levels)', status: 400, raw: () => '['.repeat(100_000) + ']'.repeat(100_000) },
  { name: '__proto__ key', status: 400, expression: '__proto__', errorCode: 'HTTP-BODY-FORBIDDEN-KEY', raw: () => JSON.stringify(example()).replace(/^\{/, '{"__proto__":{"polluted":true},') },
  { name: 'constructor.prototype key nested in patient', status: 400, expression: 'patient.constructor', errorCode: 'HTTP-BODY-FORBIDDEN-KEY', body: set((s) => { s.patient.constructor = { prototype: { polluted: true } }; }) },
];

describe.each(CASES)('POST /ilp/v1/encounters with $name', (c) => {
  test(`answers ${c.status} with an OperationOutcome and stores nothing`, async () => {
    const base = example();
    const payload = c.raw ? c.raw() : JSON.stringify(c.body!(base));
    const before = await gw.db.outbox.countPending();
    const res = await request(gw.url)
      .post('/ilp/v1/encounters')
      .set('Content-Type', c.contentType ?? 'application/json')
      .send(payload);
    expect(res.status).toBe(c.status);
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    const oo = JSON.parse(res.text);
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(oo.issue.length).toBeGreaterThan(0);
    expect(oo.issue.some((i: { severity: string }) => i.severity === 'error')).toBe(true);
    if (c.expression) expect(oo.issue.flatMap((i: { expression?: string[] }) => i.expression ?? [])).toContain(c.expression);
    if (c.errorCode) expect(oo.issue.map((i: { details?: { coding?: { code: string }[] } }) => i.details?.coding?.[0]?.code)).toContain(c.errorCode);
    expect(await gw.db.outbox.countPending()).toBe(before);
    expect(await gw.db.submissions.findSubmission(base.organizationId, base.submissionId)).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

test('issues carry Bahasa Indonesia in details.text', async () => {
  const s = example();
  s.patient.nik = '123';
  const res = await request(gw.url).post('/ilp/v1/encounters').send(s);
  expect(res.status).toBe(422);
  const nikIssue = res.body.issue.find((i: { expression?: string[] }) => i.expression?.[0] === 'patient.nik');
  expect(nikIssue.diagnostics).toMatch(/NIK must be 16 digits/);
  expect(nikIssue.details.text).toMatch(/NIK harus 16 digit/);
});

test('every problem is reported at once', async () => {
  const s = example();
  s.patient.nik = '123';
  s.patient.address.villageCode = '99';
  s.end = '2024-07-29T07:00:00+07:00';
  const res = await request(gw.url).post('/ilp/v1/encounters').send(s);
  expect(res.status).toBe(422);
  const paths = res.body.issue.flatMap((i: { expression?: string[] }) => i.expression ?? []);
  expect(paths).toEqual(expect.arrayContaining(['patient.nik', 'patient.address.villageCode', 'end']));
});

test('unknown routes answer 404 OperationOutcome', async () => {
  const res = await request(gw.url).get('/ilp/v1/nothing-here');
  expect(res.status).toBe(404);
  expect(res.body.resourceType).toBe('OperationOutcome');
});
