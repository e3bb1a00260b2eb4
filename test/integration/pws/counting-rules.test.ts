import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSecret } from '../../../src/auth/secrets';
import { startGateway, type TestGateway } from '../../support/gateway';
import { testDbKind } from '../../support/database';
import { example, uniqueId, type Json } from '../../support/submissions';

/**
 * Counting rules across Puskesmas, ages and periods (docs/decisions/0019-pws.md §7–8), from
 * hand-made visits. Every expected figure is counted by hand from the table below, not from the engine.
 *
 *   V1 = 3508012001, V2 = 3508012002. Organisation A = 10000005, B = 10000006. Authentication ON:
 *   vendor-a sees organisation A, vendor-b organisation B, the ministry every organisation.
 *
 *   Newborns (V1, born 2026-05-01; KN-LENGKAP needs KN1, KN2 and KN3 by 28 days):
 *     N1  KN1 at A 05-02 · KN2 at B 05-05 · KN3 at B 05-20   the series split across Puskesmas
 *     N2  KN1 05-03 · KN2 05-06 · KN3 05-21, all at A
 *     N3  KN1 05-04 · KN2 05-07 · KN3 05-22, all at B
 *   → May, KN lengkap: everyone 3 (N1 N2 N3); A 2 (N1 N2: A took part in both); B 2 (N1 N3).
 *     KN1 (one visit): A 2 (N1 N2), B 1 (N3). Target bayi V1 = 10.
 *
 *   Mother M (V1, 25 y): K1A at A 2026-02-10, K6 at B 2026-06-10.
 *   → June K6: A 0 (A recorded no K6 for her), B 1. February K1: A 1, B 0.
 *
 *   Child C1 (V2, born 2021-07-15; age in months at each visit):
 *     02-10 54 · 03-10 55 · 04-10 56 · 05-10 57 at A;  06-10 58 · 07-10 59 · 08-10 60 · 09-10 61 at B
 *     weighed on all 8 dates; height 02-10 and 08-10; KPSP 02-10 and 08-10; vitamin A 02-10 and 07-10.
 *     SPM-04 is "children 12–59 months weighed ≥ 8 times, measured ≥ 2, KPSP ≥ 2, vitamin A 2 in the year":
 *     C1 is in the age group (54–59 months at six visits), so all 8 weighings and both heights count
 *     (judged per visit only 6 weighings and 1 height were under 60 months: nobody).
 *   Child C2 (V2, born 2023-09-01, 29–35 months), all at A: weighed on 7 dates only (02..08-12),
 *     height, KPSP and vitamin A on 02-12 and 08-12 → not counted.
 *   → SPM-04 2026: everyone 1 (C1), A 1 (C1: A weighed C1), B 1. Target balita V2 = 20 → 5 %.
 *     Asked for a month, SPM-04 counts the year to date: 2026-08 → 0 (C1's 8th weighing is 09-10),
 *     2026-09 → 1, and says it counted 2026-01-01..2026-09-30.
 */

const V1 = '3508012001';
const V2 = '3508012002';
const ORG_A = '10000005';
const ORG_B = '10000006';
const READ = ['ilp/submission.write', 'pws/indicators.read'];
const CLIENTS: Record<string, { organizations: string[]; scopes: string[]; regions?: string[] }> = {
  'district-v2': { organizations: ['*'], scopes: READ, regions: [V2] },
  'vendor-a': { organizations: [ORG_A], scopes: READ },
  'vendor-b': { organizations: [ORG_B], scopes: READ },
  ministry: { organizations: ['*'], scopes: [...READ, 'pws/targets.write'] },
};

let gw: TestGateway;
let dir: string;
const tokens: Record<string, string> = {};
let seq = 0;
const nik = (): string => `3508${String(++seq + 700000).padStart(12, '0')}`;

interface Visit {
  org: string;
  nik: string;
  village: string;
  date: string;
  birthDate: string;
  gender?: 'male' | 'female';
  lifeCycle: string[];
  visitType: string;
  ordinal?: string;
  items?: { type: string; code: string; value: unknown }[];
}

function submission(v: Visit): Json {
  const s = example();
  delete s.diagnoses;
  delete s.carePlan;
  delete s.visitOrdinal;
  s.organizationId = v.org;
  s.submissionId = uniqueId('PWS-RULES');
  s.start = `${v.date}T08:00:00+07:00`;
  s.end = `${v.date}T08:30:00+07:00`;
  s.patient = { ...s.patient, nik: v.nik, birthDate: v.birthDate, gender: v.gender ?? 'male', address: { villageCode: v.village } };
  const byType = new Map<string, { code: string; value: unknown }[]>();
  for (const i of v.items ?? []) byType.set(i.type, [...(byType.get(i.type) ?? []), { code: i.code, value: i.value }]);
  s.screenings = [...byType].map(([type, items]) => ({ type, items }));
  s.lifeCycle = v.lifeCycle;
  s.cluster = 2;
  s.visitType = v.visitType;
  if (v.ordinal) s.visitOrdinal = v.ordinal;
  return s;
}

async function post(v: Visit): Promise<void> {
  const client = v.org === ORG_A ? 'vendor-a' : 'vendor-b';
  const res = await fetch(`${gw.url}/ilp/v1/encounters`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[client]}` }, body: JSON.stringify(submission(v)),
  });
  if (res.status !== 202) throw new Error(`visit refused ${res.status}: ${await res.text()}`);
}

async function get(client: string, path: string): Promise<Response> {
  return fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${tokens[client]}` } });
}

interface Row { code: string; numerator: number; denominator: number | null; value: number | null; countedPeriod?: { start: string; end: string; basis: string }; yearToDate?: { numerator: number } }

async function figure(client: string, area: string, period: string, code: string): Promise<Row> {
  const res = await get(client, `/pws/v1/indicators?area=${area}&period=${period}&code=${code}`);
  const body = (await res.json()) as Json;
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return (body.indicators as Row[])[0]!;
}

const weighed = (kg: number) => ({ type: 'growth-development', code: 'body-weight', value: kg });
const height = (cm: number) => ({ type: 'growth-development', code: 'body-height', value: cm });
const kpsp = { type: 'growth-development', code: 'kpsp-result', value: 'sesuai' };
const vitaminA = { type: 'supplementation', code: 'vitamin-a', value: 'merah' };

function newborn(org: string[], dates: string[], person: string): Visit[] {
  return dates.map((date, i) => ({
    org: org[i]!, nik: person, village: V1, date, birthDate: '2026-05-01', lifeCycle: ['neonatus'], visitType: 'neonatal', ordinal: `KN${i + 1}`, items: [weighed(3.2)],
  }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ilp-pws-rules-'));
  const file = join(dir, 'clients.json');
  writeFileSync(file, JSON.stringify(await Promise.all(Object.entries(CLIENTS).map(async ([clientId, c]) => ({ clientId, secretHash: await hashSecret(`secret-${clientId}`), ...c })))));
  gw = await startGateway({ AUTH_DISABLED: '0', AUTH_CLIENTS_FILE: file, AUTH_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64') });
  for (const clientId of Object.keys(CLIENTS)) {
    const res = await fetch(`${gw.url}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${clientId}:secret-${clientId}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    tokens[clientId] = String(((await res.json()) as Json).access_token);
  }
  const visits: Visit[] = [
    ...newborn([ORG_A, ORG_B, ORG_B], ['2026-05-02', '2026-05-05', '2026-05-20'], nik()),
    ...newborn([ORG_A, ORG_A, ORG_A], ['2026-05-03', '2026-05-06', '2026-05-21'], nik()),
    ...newborn([ORG_B, ORG_B, ORG_B], ['2026-05-04', '2026-05-07', '2026-05-22'], nik()),
  ];
  const mother = nik();
  for (const [org, date, ordinal] of [[ORG_A, '2026-02-10', 'K1A'], [ORG_B, '2026-06-10', 'K6']] as const) {
    visits.push({ org, nik: mother, village: V1, date, birthDate: '2001-01-01', gender: 'female', lifeCycle: ['ibu-hamil', 'usia-dewasa'], visitType: 'anc', ordinal, items: [{ type: 'hypertension', code: 'systolic-bp', value: 110 }, { type: 'hypertension', code: 'diastolic-bp', value: 70 }] });
  }
  const c1 = nik();
  for (const [i, month] of ['02', '03', '04', '05', '06', '07', '08', '09'].entries()) {
    const date = `2026-${month}-10`;
    const items = [weighed(16 + i * 0.2), ...(month === '02' || month === '08' ? [height(105 + i), kpsp] : []), ...(month === '02' || month === '07' ? [vitaminA] : [])];
    visits.push({ org: i < 4 ? ORG_A : ORG_B, nik: c1, village: V2, date, birthDate: '2021-07-15', lifeCycle: [month >= '08' ? 'anak-prasekolah' : 'balita'], visitType: 'sehat', items });
  }
  const c2 = nik();
  for (const [i, month] of ['02', '03', '04', '05', '06', '07', '08'].entries()) {
    const items = [weighed(12 + i * 0.2), ...(month === '02' || month === '08' ? [height(88 + i), kpsp, vitaminA] : [])];
    visits.push({ org: ORG_A, nik: c2, village: V2, date: `2026-${month}-12`, birthDate: '2023-09-01', lifeCycle: ['balita'], visitType: 'sehat', items });
  }
  for (const v of visits) await post(v);
  const put = (village: string, body: Json) => fetch(`${gw.url}/pws/v1/targets/${village}/2026`, {
    method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.ministry}` }, body: JSON.stringify(body),
  });
  expect((await put(V1, { bayi: 10 })).status).toBe(200);
  expect((await put(V2, { balita: 20 })).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await gw?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`PWS counting rules across Puskesmas, ages and periods (${testDbKind()})`, () => {
  test('a neonatal series split across two Puskesmas completes once overall and for each Puskesmas that took part', async () => {
    expect(await figure('ministry', V1, '2026-05', 'PWS-K2-KN-LENGKAP')).toMatchObject({ numerator: 3, denominator: 10, value: 30 });
    expect(await figure('vendor-a', V1, '2026-05', 'PWS-K2-KN-LENGKAP')).toMatchObject({ numerator: 2, denominator: 10, value: 20 });
    expect(await figure('vendor-b', V1, '2026-05', 'PWS-K2-KN-LENGKAP')).toMatchObject({ numerator: 2, denominator: 10 });
    // The kecamatan (counted in SQL, where a village is counted from its rows in memory): the same people.
    expect(await figure('vendor-a', '350801', '2026-05', 'PWS-K2-KN-LENGKAP')).toMatchObject({ numerator: 2, denominator: 10 });
    expect(await figure('ministry', '350801', '2026-05', 'PWS-K2-KN-LENGKAP')).toMatchObject({ numerator: 3 });
    // A person an organisation never served for the rule is not in its figures: KN1 is one visit, at one Puskesmas.
    expect(await figure('vendor-a', V1, '2026-05', 'PWS-K2-KN1')).toMatchObject({ numerator: 2 });
    expect(await figure('vendor-b', V1, '2026-05', 'PWS-K2-KN1')).toMatchObject({ numerator: 1 });
    expect(await figure('ministry', V1, '2026-05', 'PWS-K2-KN1')).toMatchObject({ numerator: 3 });
  });

  test('the same rule in the CSV and in $evaluate-measure for an organisation', async () => {
    const csv = await (await get('vendor-a', `/pws/v1/indicators.csv?area=${V1}&period=2026-05&code=PWS-K2-KN-LENGKAP`)).text();
    expect(csv.trim().split('\r\n')[1]).toMatch(new RegExp(`^${V1},2026-05,PWS-K2-KN-LENGKAP,[^,]+,2,10,20,`));
    const res = await get('vendor-b', `/fhir/Measure/PWS-K2-KN-LENGKAP/$evaluate-measure?periodStart=2026-05-01&periodEnd=2026-05-31&area=${V1}`);
    expect(res.status).toBe(200);
    const report = (await res.json()) as Json;
    expect(Object.fromEntries(report.group[0].population.map((p: Json) => [p.code.coding[0].code, p.count]))).toEqual({ numerator: 2, denominator: 10 });
  });

  test('a team restricted to one village sees only its residents in the kecamatan', async () => {
    expect(await figure('district-v2', '350801', '2026-05', 'PWS-K2-KN-LENGKAP')).toMatchObject({ numerator: 0 }); // the newborns live in V1
    expect(await figure('district-v2', '350801', '2026-09', 'SPM-04')).toMatchObject({ numerator: 1 }); // C1 lives in V2
  });

  test('K6 belongs to the Puskesmas of the K6 visit; K1 to the K1 visit', async () => {
    expect(await figure('vendor-a', V1, '2026-06', 'PWS-K2-K6')).toMatchObject({ numerator: 0 });
    expect(await figure('vendor-b', V1, '2026-06', 'PWS-K2-K6')).toMatchObject({ numerator: 1 });
    expect(await figure('vendor-a', V1, '2026-02', 'PWS-K2-K1')).toMatchObject({ numerator: 1 });
    expect(await figure('vendor-b', V1, '2026-02', 'PWS-K2-K1')).toMatchObject({ numerator: 0 });
  });

  test('SPM-04: the age group is decided per child, and every weighing of the year counts (59 and 60–61 months)', async () => {
    expect(await figure('ministry', V2, '2026', 'SPM-04')).toMatchObject({ numerator: 1, denominator: 20, value: 5 });
    expect(await figure('vendor-a', V2, '2026', 'SPM-04')).toMatchObject({ numerator: 1 });
    expect(await figure('vendor-b', V2, '2026', 'SPM-04')).toMatchObject({ numerator: 1 });
    expect(await figure('ministry', '3508', '2026', 'SPM-04')).toMatchObject({ numerator: 1, denominator: 20 });
    expect(await figure('vendor-b', '3508', '2026', 'SPM-04')).toMatchObject({ numerator: 1 });
    expect(await figure('ministry', '350801', '2026-09', 'SPM-04')).toMatchObject({ numerator: 1, countedPeriod: { start: '2026-01-01', end: '2026-09-30' } });
  });

  test('a year-natural indicator asked for a month counts the year to date and says so (API, CSV, MeasureReport)', async () => {
    const august = await figure('ministry', V2, '2026-08', 'SPM-04');
    expect(august).toMatchObject({ numerator: 0, countedPeriod: { start: '2026-01-01', end: '2026-08-31', basis: 'year-to-date' } });
    const september = await figure('ministry', V2, '2026-09', 'SPM-04');
    expect(september).toMatchObject({ numerator: 1, denominator: 20, value: 5, yearToDate: { numerator: 1 }, countedPeriod: { start: '2026-01-01', end: '2026-09-30' } });
    // A month indicator asked for a month is the month alone.
    expect((await figure('ministry', V1, '2026-05', 'PWS-K2-KN1')).countedPeriod).toBeUndefined();
    const csv = (await (await get('ministry', `/pws/v1/indicators.csv?area=${V2}&period=2026-09&code=SPM-04`)).text()).trim().split('\r\n');
    expect(csv[0]!.split(',').at(-1)).toBe('counted_period');
    expect(csv[1]!.split(',').at(-1)).toBe('2026-01-01/2026-09-30');
    const res = await get('ministry', `/fhir/Measure/SPM-04/$evaluate-measure?periodStart=2026-09-01&periodEnd=2026-09-30&area=${V2}`);
    const report = (await res.json()) as Json;
    expect(report.period).toEqual({ start: '2026-01-01', end: '2026-09-30' });
    expect(report.group[0].population.find((p: Json) => p.code.coding[0].code === 'numerator').count).toBe(1);
  });
});
