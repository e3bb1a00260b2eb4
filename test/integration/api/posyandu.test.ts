/**
 * The Posyandu life cycle through the HTTP API on a real database (issue 9): a toddler's three
 * monthly weighings (B, then T, then 2T with a referral), re-sends giving the same answer, the
 * computed `results` in the 202 answer, the submission status and $validate, and a newborn without
 * a NIK whose record is linked, not duplicated, when the NIK arrives.
 */
import request from 'supertest';
import { TestGateway, startGateway } from '../../support/gateway';
import { newbornVisit, posyanduWeighing, type Json } from '../../support/submissions';

let gw: TestGateway;
beforeAll(async () => { gw = await startGateway(); });
afterAll(async () => { await gw.close(); });

const newborn = newbornVisit;

interface Result { item: string; value: unknown; unit?: string; interpretation: { system: string; code: string }[] }

const weighing = (submissionId: string, date: string, kg: number): Json => posyanduWeighing(submissionId, date, kg);

const gain = (results: Result[]): unknown => results.find((r) => r.item === 'weight-gain')?.value;

async function carePlanActivities(submissionGatewayId: string): Promise<string[]> {
  const status = await request(gw.url).get(`/ilp/v1/submissions/${submissionGatewayId}`);
  const ref = (status.body.resources as { resourceType: string; id: string }[]).find((r) => r.resourceType === 'CarePlan');
  if (!ref) return [];
  const stored = await gw.db.resources.read('CarePlan', ref.id);
  return ((stored?.resource as { activity?: { detail?: { description?: string } }[] } | undefined)?.activity ?? []).map((a) => a.detail?.description ?? '');
}

describe('a toddler weighed three months in a row', () => {
  const ids: string[] = [];
  const visits = [weighing('POSY-W-AUG', '2024-08-14', 10.0), weighing('POSY-W-SEP', '2024-09-11', 10.1), weighing('POSY-W-OCT', '2024-10-09', 10.15)];

  test('B at the first weighing, T when the gain is below the KBM, then 2T adds a referral', async () => {
    const answers: unknown[] = [];
    for (const v of visits) {
      const res = await request(gw.url).post('/ilp/v1/encounters').send(v);
      expect(res.status).toBe(202);
      ids.push(res.body.id as string);
      answers.push(gain(res.body.results as Result[]));
    }
    expect(answers).toEqual(['B', 'T', 'T']);
    const september = await carePlanActivities(ids[1]!);
    const october = await carePlanActivities(ids[2]!);
    expect(september.some((d) => d.includes('2T'))).toBe(false);
    expect(october.some((d) => d.includes('2 kali berturut-turut (2T)'))).toBe(true);
  });

  test('the 202 answer carries z-scores with their category, in catalogue item codes', async () => {
    const res = await request(gw.url).post('/ilp/v1/encounters/$validate').send(visits[2]);
    expect(res.status).toBe(200);
    const results = res.body.results as Result[];
    const wfa = results.find((r) => r.item === 'weight-for-age-z');
    expect(wfa?.unit).toBe('{Z-score}');
    expect(typeof wfa?.value).toBe('number');
    expect(wfa?.interpretation.map((c) => c.code)).toEqual(expect.arrayContaining(['N', 'OI000009']));
    expect(results.map((r) => r.item)).toEqual(expect.arrayContaining(['body-weight', 'body-height', 'height-for-age-z', 'weight-for-height-z', 'bmi-for-age-z', 'weight-gain']));
    // An under-five gets no adult BMI.
    expect(results.map((r) => r.item)).not.toContain('bmi');
  });

  test('re-sending a visit gives the same answer (its own weighing is not its history)', async () => {
    const again = await request(gw.url).post('/ilp/v1/encounters').send(visits[1]);
    expect(again.status).toBe(202);
    expect(again.body.result).toBe('unchanged');
    expect(gain(again.body.results as Result[])).toBe('T');
    const changed = { ...visits[2], note: 'ditimbang ulang' };
    const updated = await request(gw.url).post('/ilp/v1/encounters').send(changed);
    expect(updated.body.result).toBe('updated');
    expect(gain(updated.body.results as Result[])).toBe('T');
  });

  test('history is by measurement date, not arrival order: a late-sent July weighing makes August O→ not B', async () => {
    // The July weighing arrives after the others; re-sending August (changed) now finds it.
    const july = await request(gw.url).post('/ilp/v1/encounters').send(weighing('POSY-W-JUL', '2024-07-10', 9.5));
    expect(gain(july.body.results as Result[])).toBe('B');
    const august = await request(gw.url).post('/ilp/v1/encounters').send({ ...visits[0], note: 'dikirim ulang' });
    expect(gain(august.body.results as Result[])).toBe('N');
  });

  test('the submission status lists the same results', async () => {
    const status = await request(gw.url).get(`/ilp/v1/submissions/${ids[1]!}`);
    expect(status.status).toBe(200);
    const results = status.body.results as Result[];
    expect(gain(results)).toBe('T');
    expect(results.find((r) => r.item === 'body-weight')).toEqual({ item: 'body-weight', value: 10.1, unit: 'kg', interpretation: [] });
  });
});

describe('a newborn without a NIK', () => {
  const patientOf = async (id: string): Promise<string> => {
    const status = await request(gw.url).get(`/ilp/v1/submissions/${id}`);
    return (status.body.resources as { resourceType: string; id: string }[]).find((r) => r.resourceType === 'Patient')!.id;
  };

  test('is recorded by the mother\'s NIK and birth order, then linked when the NIK arrives', async () => {
    const kn1 = await request(gw.url).post('/ilp/v1/encounters').send(newborn());
    expect(kn1.status).toBe(202);
    const first = await patientOf(kn1.body.id as string);
    const stored = await gw.db.resources.read('Patient', first);
    const patient = stored?.resource as unknown as { identifier: { system: string; value: string }[]; multipleBirthInteger?: number };
    expect(patient.identifier).toEqual(expect.arrayContaining([{ use: 'official', system: 'https://fhir.kemkes.go.id/id/nik-ibu', value: '9204014804000002' }]));
    expect(patient.multipleBirthInteger).toBe(1);

    // KN2: the NIK is known now, and sent with the mother's NIK.
    const kn2Body = newborn();
    kn2Body.submissionId = 'SIMPUS-3508-2024-KN2-0007';
    kn2Body.visitOrdinal = 'KN2';
    kn2Body.start = '2024-08-02T09:00:00+07:00';
    kn2Body.end = '2024-08-02T09:30:00+07:00';
    kn2Body.patient.nik = '9104224509000003';
    const kn2 = await request(gw.url).post('/ilp/v1/encounters').send(kn2Body);
    expect(kn2.status).toBe(202);
    expect(await patientOf(kn2.body.id as string)).toBe(first);
    const linked = (await gw.db.resources.read('Patient', first))?.resource as unknown as { identifier: { system: string; value: string }[] };
    expect(linked.identifier.map((i) => i.system)).toEqual(expect.arrayContaining(['https://fhir.kemkes.go.id/id/nik', 'https://fhir.kemkes.go.id/id/nik-ibu']));

    // KN3 by NIK only: still the same child.
    const kn3Body = newborn();
    kn3Body.submissionId = 'SIMPUS-3508-2024-KN3-0007';
    kn3Body.visitOrdinal = 'KN3';
    kn3Body.start = '2024-08-20T09:00:00+07:00';
    kn3Body.end = '2024-08-20T09:30:00+07:00';
    kn3Body.patient = { ...kn3Body.patient, nik: '9104224509000003' };
    delete kn3Body.patient.motherNik;
    delete kn3Body.patient.multipleBirth;
    const kn3 = await request(gw.url).post('/ilp/v1/encounters').send(kn3Body);
    expect(kn3.status).toBe(202);
    expect(await patientOf(kn3.body.id as string)).toBe(first);
    expect(await gw.db.resources.findByIdentifier('Patient', 'https://fhir.kemkes.go.id/id/nik', '9104224509000003')).toHaveLength(1);
  });

  test('a twin (birth order 2) of the same mother is another patient', async () => {
    const twin = newborn();
    twin.submissionId = 'SIMPUS-3508-2024-KN1-0008';
    twin.patient.multipleBirth = 2;
    twin.patient.name = 'Bayi Ny. Rina (2)';
    const res = await request(gw.url).post('/ilp/v1/encounters').send(twin);
    expect(res.status).toBe(202);
    expect(await gw.db.resources.findByIdentifier('Patient', 'https://fhir.kemkes.go.id/id/nik-ibu', '9204014804000002')).toHaveLength(2);
  });
});
