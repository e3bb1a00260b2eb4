/**
 * Bad inputs for the Posyandu fields (issue 9 "Must show"): each answered 422 with an
 * OperationOutcome naming the field, and nothing stored.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { TestGateway, startGateway } from '../../support/gateway';
import type { Json } from '../../support/submissions';

let gw: TestGateway;
beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw.close(); });

/** The newborn golden visit (KN1, no NIK), with an immunisation record. */
function base(): Json {
  const s = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'golden', 'newborn-kn1-no-nik.input.json'), 'utf8')) as Json;
  s.immunizations = [{ vaccine: 'HB0', date: '2024-07-28' }];
  return s;
}

interface BadCase { name: string; expression: string; errorCode: string; body: (s: Json) => void }

const CASES: BadCase[] = [
  { name: 'neither nik nor motherNik', expression: 'patient.nik', errorCode: 'SCHEMA-REQUIRED', body: (s) => { delete s.patient.motherNik; delete s.patient.multipleBirth; } },
  { name: 'motherNik of 15 digits', expression: 'patient.motherNik', errorCode: 'ILP-NIK-INVALID', body: (s) => { s.patient.motherNik = '920401480400000'; } },
  { name: 'motherNik without multipleBirth', expression: 'patient.multipleBirth', errorCode: 'SCHEMA-REQUIRED', body: (s) => { delete s.patient.multipleBirth; } },
  { name: 'multipleBirth 0', expression: 'patient.multipleBirth', errorCode: 'SCHEMA-RANGE', body: (s) => { s.patient.multipleBirth = 0; } },
  { name: 'a z-score sent by the vendor', expression: 'screenings[0].items[0].code', errorCode: 'ILP-ITEM-DERIVED', body: (s) => { s.screenings[0].items[0] = { code: 'weight-for-age-z', value: -1.2 }; } },
  { name: 'a weight-gain status sent by the vendor', expression: 'screenings[0].items[0].code', errorCode: 'ILP-ITEM-DERIVED', body: (s) => { s.screenings[0].items[0] = { code: 'weight-gain', value: 'N' }; } },
  {
    name: 'a recumbent length for a 6-year-old', expression: 'screenings[0].items[1].code', errorCode: 'ILP-LENGTH-AGE',
    body: (s) => { s.patient.birthDate = '2018-05-02'; s.lifeCycle = ['anak-usia-sekolah']; s.visitType = 'sehat'; delete s.visitOrdinal; s.immunizations = []; },
  },
  { name: 'a weight of 2350 (grams as kg) for a newborn', expression: 'screenings[0].items[0].value', errorCode: 'ILP-ITEM-IMPLAUSIBLE', body: (s) => { s.screenings[0].items[0].value = 2350; } },
  { name: 'an unknown vaccine', expression: 'immunizations[0].vaccine', errorCode: 'ILP-VACCINE-UNKNOWN', body: (s) => { s.immunizations[0].vaccine = 'HB7'; } },
  { name: 'a dose number 0', expression: 'immunizations[0].doseNumber', errorCode: 'SCHEMA-RANGE', body: (s) => { s.immunizations[0].doseNumber = 0; } },
  { name: 'a dose number that contradicts the vaccine (OPV2 as dose 3)', expression: 'immunizations[0].doseNumber', errorCode: 'ILP-VACCINE-DOSE', body: (s) => { s.immunizations[0] = { vaccine: 'OPV2', date: '2024-07-29', doseNumber: 3 }; } },
  { name: 'a vaccination date before birth', expression: 'immunizations[0].date', errorCode: 'ILP-VACCINE-DATE', body: (s) => { s.immunizations[0].date = '2024-07-20'; } },
  { name: 'a vaccination date in the future', expression: 'immunizations[0].date', errorCode: 'ILP-VACCINE-DATE', body: (s) => { s.immunizations[0].date = '2024-08-30'; } },
  { name: 'an impossible vaccination date', expression: 'immunizations[0].date', errorCode: 'ILP-DATE-INVALID', body: (s) => { s.immunizations[0].date = '2024-02-30'; } },
  { name: 'the same vaccine twice', expression: 'immunizations[1].vaccine', errorCode: 'ILP-VACCINE-DUPLICATE', body: (s) => { s.immunizations.push({ vaccine: 'hb0', date: '2024-07-29' }); } },
];

test('the base visit itself is accepted (so each case fails for its own reason)', async () => {
  const res = await request(gw.url).post('/ilp/v1/encounters/$validate').send(base());
  expect(res.status).toBe(200);
});

describe.each(CASES)('POST /ilp/v1/encounters with $name', (c) => {
  test('answers 422 naming the field and stores nothing', async () => {
    const s = base();
    c.body(s);
    const before = await gw.db.outbox.countPending();
    const res = await request(gw.url).post('/ilp/v1/encounters').send(s);
    expect(res.status).toBe(422);
    expect(res.body.resourceType).toBe('OperationOutcome');
    const errors = (res.body.issue as { severity: string; expression?: string[]; details?: { coding?: { code: string }[]; text?: string } }[]).filter((i) => i.severity === 'error');
    expect(errors.flatMap((i) => i.expression ?? [])).toContain(c.expression);
    expect(errors.map((i) => i.details?.coding?.[0]?.code)).toContain(c.errorCode);
    expect(errors.every((i) => typeof i.details?.text === 'string' && i.details.text.length > 0)).toBe(true);
    expect(await gw.db.outbox.countPending()).toBe(before);
    expect(await gw.db.submissions.findSubmission(s.organizationId as string, s.submissionId as string)).toBeUndefined();
  });
});
