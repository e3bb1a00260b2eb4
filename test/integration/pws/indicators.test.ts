import { example, uniqueId, type Json } from '../../support/submissions';
import { startGateway, type TestGateway } from '../../support/gateway';
import { testDbKind } from '../../support/database';
import { createIlpValidator } from '../../../src/validation/ilp/ilp-validator';
import { vendorTransaction } from '../fhir/fhir-support';

/**
 * Village monitoring from hand-made visits. Every expected figure below was counted by hand from
 * the visit table (people, villages, dates, ages); none is derived from the engine.
 *
 *   V1 = 3508012001, V2 = 3508012002 (kecamatan 350801, kabupaten 3508, province 35), V3 = 9271061001 (province 92)
 *
 *   who  village     date (local)   age      what                         counts as
 *   A    V1          2026-03-10     40 y     BP 150/95 (grade 1)          HT
 *   A    V1          2026-03-20     40 y     BP 130/85 (normal-high)      (same person: once)
 *   B    V1          2026-03-12     15 y 0 d BP 110/70                    ≥15 measured, not HT
 *   C    V1          2026-03-12     14 y     BP 145/95                    under 15: not counted at all
 *   D    V3          2026-03-05     50 y     BP 160/100                   HT in province 92
 *   E    V2          2026-04-02     30 y     BP 150/90                    HT in April
 *   F    V1 → V2     03-15 / 04-15  45 y     BP 150/95 both times         HT: V1 in March, V2 in April (moved)
 *   H    V1          2026-03-03     24 y     ANC K1A, BP 110/70           K1; ≥15 measured; not HT
 *   I    V2          2026-03-08     59 mo    weighed                      D (under five)
 *   J    V2          2026-03-08     60 mo    weighed                      not an under-five: not D
 *   A is served at a Posyandu in V2's Puskesmas area (locationId); residence V1 is what counts.
 *   Later: G (V1, 2026-03-28, 38 y, BP 170/110) arrives last; E's visit is re-sent with BP 118/76.
 *   Targets: V1 2026 usia-15-plus 100, ibu-hamil 10; V2 2026 balita 20. V2 has no usia-15-plus target.
 */

const V1 = '3508012001';
const V2 = '3508012002';
const V3 = '9271061001';

let gw: TestGateway;
let n = 0;

function nik(province: string): string {
  n += 1;
  return `${province}08${String(n).padStart(12, '0')}`;
}

/** Birth date so that the person is exactly `years` (and `extraDays` more) old on `date`. */
function born(date: string, years: number, months = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - years * 12 - months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

interface Visit {
  nik: string;
  village: string;
  date: string;
  birthDate: string;
  gender?: 'male' | 'female';
  bp?: [number, number];
  weight?: number;
  lifeCycle?: string[];
  ordinal?: string;
  submissionId?: string;
}

function visit(v: Visit): Json {
  const s = example();
  delete s.diagnoses;
  delete s.carePlan;
  delete s.visitOrdinal;
  s.submissionId = v.submissionId ?? uniqueId('PWS');
  s.start = `${v.date}T08:00:00+07:00`;
  s.end = `${v.date}T08:30:00+07:00`;
  s.patient = { ...s.patient, nik: v.nik, birthDate: v.birthDate, gender: v.gender ?? 'male', address: { villageCode: v.village } };
  s.screenings = [];
  if (v.bp) s.screenings.push({ type: 'hypertension', items: [{ code: 'systolic-bp', value: v.bp[0] }, { code: 'diastolic-bp', value: v.bp[1] }] });
  if (v.weight) s.screenings.push({ type: 'growth-development', items: [{ code: 'body-weight', value: v.weight }] });
  s.lifeCycle = v.lifeCycle ?? ['usia-dewasa'];
  s.cluster = s.lifeCycle.includes('usia-dewasa') ? 3 : 2;
  s.visitType = 'skrining';
  if (v.ordinal) {
    s.visitOrdinal = v.ordinal;
    s.visitType = 'anc';
    s.cluster = 2;
  }
  return s;
}

async function post(body: Json): Promise<void> {
  const res = await fetch(`${gw.url}/ilp/v1/encounters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`visit refused ${res.status}: ${await res.text()}`);
}

interface Row { code: string; numerator: number; denominator: number | null; value: number | null; yearToDate?: { numerator: number; denominator: number | null; value: number | null }; targetLine?: number; targetMissing?: string }

async function indicators(area: string, period: string, codes: string, extra = ''): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${gw.url}/pws/v1/indicators?area=${area}&period=${period}&code=${codes}${extra}`);
  return { status: res.status, body: (await res.json()) as Json };
}

async function figure(area: string, period: string, code: string): Promise<Row> {
  const { status, body } = await indicators(area, period, code);
  expect(status).toBe(200);
  const row = (body.indicators as Row[]).find((r) => r.code === code);
  if (!row) throw new Error(`${code} missing`);
  return row;
}

const people = {
  A: nik('35'), B: nik('35'), C: nik('35'), D: nik('92'), E: nik('35'), F: nik('35'), G: nik('35'), H: nik('35'), I: nik('35'), J: nik('35'),
};
const eSubmission = uniqueId('PWS-E');

beforeAll(async () => {
  gw = await startGateway({ AUTH_DISABLED: '1' });
  const visits: Visit[] = [
    { nik: people.A, village: V1, date: '2026-03-10', birthDate: born('2026-03-10', 40), bp: [150, 95] },
    { nik: people.A, village: V1, date: '2026-03-20', birthDate: born('2026-03-10', 40), bp: [130, 85] },
    { nik: people.B, village: V1, date: '2026-03-12', birthDate: born('2026-03-12', 15), bp: [110, 70] },
    { nik: people.C, village: V1, date: '2026-03-12', birthDate: born('2026-03-12', 14, 11), bp: [145, 95], lifeCycle: ['remaja'] },
    { nik: people.D, village: V3, date: '2026-03-05', birthDate: born('2026-03-05', 50), bp: [160, 100] },
    { nik: people.E, village: V2, date: '2026-04-02', birthDate: born('2026-04-02', 30), bp: [150, 90], submissionId: eSubmission },
    { nik: people.F, village: V1, date: '2026-03-15', birthDate: born('2026-03-15', 45), bp: [150, 95] },
    { nik: people.F, village: V2, date: '2026-04-15', birthDate: born('2026-03-15', 45), bp: [150, 95] },
    { nik: people.H, village: V1, date: '2026-03-03', birthDate: born('2026-03-03', 24), bp: [110, 70], gender: 'female', lifeCycle: ['ibu-hamil', 'usia-dewasa'], ordinal: 'K1A' },
    { nik: people.I, village: V2, date: '2026-03-08', birthDate: born('2026-03-08', 4, 11), weight: 15.5, lifeCycle: ['balita'] },
    { nik: people.J, village: V2, date: '2026-03-08', birthDate: born('2026-03-08', 5), weight: 17, lifeCycle: ['anak-prasekolah'] },
  ];
  for (const v of visits) await post(visit(v));
  const put = (village: string, body: Json) => fetch(`${gw.url}/pws/v1/targets/${village}/2026`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await put(V1, { 'usia-15-plus': 100, 'ibu-hamil': 10 })).status).toBe(200);
  expect((await put(V2, { balita: 20 })).status).toBe(200);
}, 120_000);

afterAll(async () => gw?.close());

describe(`PWS indicators from hand-made visits (${testDbKind()})`, () => {
  test('raised blood pressure in a village: residence counts, a person seen twice once, under-15s not at all', async () => {
    expect(await figure(V1, '2026-03', 'PWS-K3-HT')).toMatchObject({ numerator: 2, denominator: 4, value: 50 }); // A, F of A, B, F, H
    expect(await figure(V2, '2026-03', 'PWS-K3-HT')).toMatchObject({ numerator: 0, denominator: 0, value: null });
    expect(await figure(V3, '2026-03', 'PWS-K3-HT')).toMatchObject({ numerator: 1, denominator: 1, value: 100 }); // D
  });

  test('a person who moved is counted where they lived at each visit; month vs year; roll-up counts distinct people', async () => {
    expect(await figure(V2, '2026-04', 'PWS-K3-HT')).toMatchObject({ numerator: 2, denominator: 2 }); // E, F
    expect(await figure('350801', '2026-03', 'PWS-K3-HT')).toMatchObject({ numerator: 2, denominator: 4 });
    expect(await figure('350801', '2026', 'PWS-K3-HT')).toMatchObject({ numerator: 3, denominator: 5 }); // A, E, F of A, B, E, F, H
    expect(await figure('3508', '2026', 'PWS-K3-HT')).toMatchObject({ numerator: 3, denominator: 5 });
    expect(await figure('35', '2026', 'PWS-K3-HT')).toMatchObject({ numerator: 3, denominator: 5 });
    expect(await figure('92', '2026', 'PWS-K3-HT')).toMatchObject({ numerator: 1, denominator: 1 });
    const april = await figure(V2, '2026-04', 'PWS-K3-HT');
    expect(april.yearToDate).toMatchObject({ numerator: 2, denominator: 2 });
  });

  test('target denominators: coverage against the annual sasaran, the linear target line, missing targets said', async () => {
    expect(await figure(V1, '2026-03', 'PWS-K3-PTM-SCREENED')).toMatchObject({ numerator: 4, denominator: 100, value: 4, targetLine: 25 });
    const v2 = await figure(V2, '2026-04', 'PWS-K3-PTM-SCREENED');
    expect(v2).toMatchObject({ numerator: 2, denominator: null, value: null, targetMissing: 'usia-15-plus' });
    expect(await figure(V1, '2026-03', 'PWS-K2-K1')).toMatchObject({ numerator: 1, denominator: 10, value: 10, targetLine: 25 });
    expect(await figure(V1, '2026-04', 'PWS-K2-K1')).toMatchObject({ numerator: 0, yearToDate: { numerator: 1, denominator: 10, value: 10 } });
  });

  test('what an indicator cannot count yet is said in Bahasa Indonesia, with the English beside it', async () => {
    const k6 = await figure(V1, '2026-03', 'PWS-K2-K6') as Row & { notCaptured?: string; notCapturedEn?: string };
    expect(k6.notCaptured).toMatch(/^Dua kontak dengan dokter dan USG .* belum tercatat/);
    expect(k6.notCapturedEn).toMatch(/^The two doctor contacts and the USG .* not captured/);
    expect((await figure(V1, '2026-03', 'PWS-K2-K1')) as Row & { notCaptured?: string }).not.toHaveProperty('notCaptured');
  });

  test('above a village, a sasaran is used only when every village with people counted has one', async () => {
    // PTM screening in kecamatan 350801: V1 has usia-15-plus (100), V2 has none, and V2 residents were screened in April.
    expect(await figure('350801', '2026-03', 'PWS-K3-PTM-SCREENED')).toMatchObject({ numerator: 4, denominator: 100, value: 4 });
    expect(await figure('350801', '2026-04', 'PWS-K3-PTM-SCREENED')).toMatchObject({ numerator: 2, denominator: null, value: null, targetMissing: 'usia-15-plus' });
  });

  test('the 5-year edge: 59 months is an under-five, 60 months is not', async () => {
    expect(await figure(V2, '2026-03', 'PWS-K2-GIZI')).toMatchObject({ numerator: 1, denominator: 20, value: 5 });
  });

  test('level=village lists each village under the area with its own figures', async () => {
    const { status, body } = await indicators('3508', '2026-03', 'PWS-K3-HT', '&level=village');
    expect(status).toBe(200);
    const byArea = Object.fromEntries((body.villages as { area: string; indicators: Row[] }[]).map((v) => [v.area, v.indicators[0]]));
    expect(byArea[V1]).toMatchObject({ numerator: 2, denominator: 4 });
    expect(byArea[V3]).toBeUndefined();
    const csv = await (await fetch(`${gw.url}/pws/v1/indicators.csv?area=3508&period=2026-03&code=PWS-K3-HT&level=village`)).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('area,period,code,name,numerator,denominator,value,ytd_numerator,ytd_denominator,ytd_value,target_line,target_missing,counted_period');
    expect(lines).toContain(`${V1},2026-03,PWS-K3-HT,Tekanan darah tinggi ditemukan,2,4,50,2,4,50,,,`);
  });

  test('FHIR: a Measure per indicator and $evaluate-measure answers a summary MeasureReport with the same figures', async () => {
    const measure = (await (await fetch(`${gw.url}/fhir/Measure/PWS-K3-HT`)).json()) as Json;
    expect(measure).toMatchObject({ resourceType: 'Measure', id: 'PWS-K3-HT', status: 'active', scoring: { coding: [{ code: 'proportion' }] } });
    expect(measure.group[0].population.map((p: Json) => p.code.coding[0].code)).toEqual(['numerator', 'denominator']);
    const res = await fetch(`${gw.url}/fhir/Measure/PWS-K3-HT/$evaluate-measure?periodStart=2026-03-01&periodEnd=2026-03-31&area=${V1}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    const report = (await res.json()) as Json;
    expect(report).toMatchObject({ resourceType: 'MeasureReport', type: 'summary', status: 'complete', period: { start: '2026-03-01', end: '2026-03-31' } });
    const counts = Object.fromEntries(report.group[0].population.map((p: Json) => [p.code.coding[0].code, p.count]));
    expect(counts).toEqual({ numerator: 2, denominator: 4 });
    expect(report.group[0].measureScore.value).toBe(50);
    for (const resource of [measure, report]) {
      const issues = createIlpValidator().validate(resource as never).filter((i) => i.severity === 'error' || i.severity === 'fatal');
      expect(issues).toEqual([]);
    }
    const bad = await fetch(`${gw.url}/fhir/Measure/PWS-K3-HT/$evaluate-measure?periodStart=2026-03-01&periodEnd=2027-01-31&area=35`);
    expect(bad.status).toBe(400);
    expect((await fetch(`${gw.url}/fhir/Measure/NOPE`)).status).toBe(404);
  });

  test('a FHIR-native vendor\'s transaction counts like an ILP visit (residence, local date from the province\'s time zone)', async () => {
    // A 34-year-old resident of V3 (Papua Barat Daya, WIT) with a systolic BP and no interpretation:
    // measured (denominator), not counted as raised (the vendor sent no band, and none is invented).
    const bundle = vendorTransaction({ nik: nik('92'), village: V3, org: '10000005' });
    const res = await fetch(`${gw.url}/fhir`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(bundle) });
    expect(res.status).toBe(200);
    expect(await figure(V3, '2025-03', 'PWS-K3-HT')).toMatchObject({ numerator: 0, denominator: 1 });
    expect(await figure(V3, '2025-03', 'PWS-K3-PTM-SCREENED')).toMatchObject({ numerator: 1 });
  });

  test('a late-arriving visit and a changed visit move the counts; nothing is counted twice', async () => {
    await post(visit({ nik: people.G, village: V1, date: '2026-03-28', birthDate: born('2026-03-28', 38), bp: [170, 110] }));
    expect(await figure(V1, '2026-03', 'PWS-K3-HT')).toMatchObject({ numerator: 3, denominator: 5 });
    await post(visit({ nik: people.E, village: V2, date: '2026-04-02', birthDate: born('2026-04-02', 30), bp: [118, 76], submissionId: eSubmission }));
    expect(await figure(V2, '2026-04', 'PWS-K3-HT')).toMatchObject({ numerator: 1, denominator: 2 });
  });
});

describe('PWS bad requests name the parameter', () => {
  test.each([
    ['area=35080&period=2026-03', 'area'],
    ['area=3508012001x&period=2026-03', 'area'],
    ['period=2026-03', undefined],
    ['area=3508&period=2026-13', 'period'],
    ['area=3508&period=26', 'period'],
    ['area=3508&period=2026&code=PWS-NOPE', 'code'],
    ['area=3508&period=2026&level=desa', 'level'],
    ['area=3508&area=35&period=2026', 'area'],
  ])('%s → 400', async (query, expression) => {
    const res = await fetch(`${gw.url}/pws/v1/indicators?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    expect(body.resourceType).toBe('OperationOutcome');
    if (expression) expect(body.issue.map((i: Json) => i.expression?.[0])).toContain(expression);
  });

  test('a CSV upload with one bad line loads nothing and names the line', async () => {
    const csv = ['villageCode,year,group,count', `${V3},2026,balita,30`, `${V3},2026,balitaa,5`, `${V3},2026,bayi,-1`].join('\n');
    const res = await fetch(`${gw.url}/pws/v1/targets`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(res.status).toBe(422);
    const body = (await res.json()) as Json;
    expect(body.issue.map((i: Json) => i.expression?.[0])).toEqual(['line 3', 'line 4']);
    expect(await figure(V3, '2026', 'PWS-K2-GIZI')).toMatchObject({ denominator: null, targetMissing: 'balita' });
    const good = await fetch(`${gw.url}/pws/v1/targets`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv.split('\n').slice(0, 2).join('\n') });
    expect(good.status).toBe(200);
    expect(await figure(V3, '2026', 'PWS-K2-GIZI')).toMatchObject({ denominator: 30 });
  });

  test('PUT targets refuses unknown groups and non-integer counts, naming them', async () => {
    const res = await fetch(`${gw.url}/pws/v1/targets/${V1}/2026`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ balita: 2.5, orang: 3 }) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as Json;
    expect(body.issue.map((i: Json) => i.expression?.[0]).sort()).toEqual(['balita', 'orang']);
  });
});
