/**
 * The monthly village MeasureReports (issue #10 item 3) over real HTTP with authentication on:
 * stored figures equal `$evaluate-measure` for the same village and month, re-runs make no
 * version, a late visit makes one, two replicas compute a month once, and search and Bulk export
 * show each client what the access decision lets it see.
 *
 *   V1 = 3508012001, V2 = 3508012002 (kabupaten 3508, province 35), V3 = 9271061001 (province 92)
 *   who  village  date (local)  age   BP        counts as (PWS-K3-HT, March 2026)
 *   A    V1       2026-03-10    40 y  150/95    HT
 *   B    V1       2026-03-12    15 y  110/70    measured, not HT
 *   D    V3       2026-03-05    50 y  160/100   HT
 *   E    V2       2026-03-20    30 y  118/76    measured, not HT
 *   later: G (V1, 2026-03-28, 38 y, 170/110) arrives after the first run → V1 HT 1/2 becomes 2/3.
 *   Target: V1 2026 usia-15-plus 100.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSecret } from '../../../src/auth/secrets';
import { reportId, runDue, runManual, type ReportJobDeps } from '../../../src/pws/report-job';
import { INDICATOR_RULES } from '../../../src/pws/registry';
import { anotherReplicaDatabase } from '../../support/auth-gateway';
import { testDbKind } from '../../support/database';
import { example, uniqueId } from '../../support/submissions';
import { getJson as getOnce, startFhirGateway, type Json } from '../fhir/fhir-support';

/**
 * GETs are retried once on a reset connection: on PGlite the database runs in this process, and a
 * month's computation blocks the event loop past the server's keep-alive timeout, so the client's
 * pooled socket may be closed just as it is reused (a transport race, not an answer of the gateway).
 */
async function getJson(url: string, headers: Record<string, string> = {}): ReturnType<typeof getOnce> {
  try {
    return await getOnce(url, headers);
  } catch (err) {
    // fetch's TypeError comes from Node's realm, not jest's: compared by name.
    if ((err as Error | undefined)?.name !== 'TypeError') throw err;
    return getOnce(url, headers);
  }
}

const V1 = '3508012001';
const V2 = '3508012002';
const V3 = '9271061001';
const ORG = '10000005';
const HT = 'PWS-K3-HT';
const V4 = '3508012003';
const visitE = uniqueId('PWS-JOB-E');

let gw: Awaited<ReturnType<typeof startFhirGateway>>;
let dir: string;
const tokens: Record<string, string> = {};
const CLIENTS: Record<string, { scopes: string[]; organizations: string[]; regions?: string[] }> = {
  ministry: { scopes: ['system/*.read', 'pws/indicators.read', 'admin'], organizations: ['*'] },
  district: { scopes: ['system/*.read', 'pws/indicators.read'], organizations: ['*'], regions: ['3508'] },
  vendor: { scopes: ['system/*.read', 'pws/indicators.read', 'ilp/submission.write', 'admin'], organizations: [ORG] },
};

let n = 0;
function nik(province: string): string {
  n += 1;
  return `${province}09${String(n).padStart(12, '0')}`;
}
const personE = nik('35');

function born(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) - years}${date.slice(4)}`;
}

function visit(p: { nik: string; village: string; date: string; age: number; bp: [number, number]; submissionId?: string }): Json {
  const s = example() as Json & Record<string, unknown>;
  delete s.diagnoses;
  delete s.carePlan;
  delete s.visitOrdinal;
  s.submissionId = p.submissionId ?? uniqueId('PWS-JOB');
  s.start = `${p.date}T08:00:00+07:00`;
  s.end = `${p.date}T08:30:00+07:00`;
  s.patient = { ...(s.patient as Json), nik: p.nik, birthDate: born(p.date, p.age), gender: 'male', address: { villageCode: p.village } };
  s.screenings = [{ type: 'hypertension', items: [{ code: 'systolic-bp', value: p.bp[0] }, { code: 'diastolic-bp', value: p.bp[1] }] }];
  s.lifeCycle = ['usia-dewasa'];
  s.cluster = 3;
  s.visitType = 'skrining';
  return s;
}

const as = (client: string, extra: Record<string, string> = {}): Record<string, string> => ({ Authorization: `Bearer ${tokens[client] ?? ''}`, Accept: 'application/fhir+json', ...extra });

async function post(body: Json): Promise<void> {
  const res = await fetch(`${gw.url}/ilp/v1/encounters`, { method: 'POST', headers: { ...as('vendor'), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`visit refused ${res.status}: ${await res.text()}`);
}

function job(db = gw.db, now = () => Date.now()): ReportJobDeps {
  return { pws: db.pws, reports: db.pwsReports, now, leaseSeconds: 120 };
}

const counts = (report: Json): Record<string, number> => Object.fromEntries(((report.group as Json[])[0]!.population as Json[]).map((p) => [((p.code as Json).coding as Json[])[0]!.code as string, p.count as number]));
const ids = (bundle: Json): string[] => ((bundle.entry as Json[] | undefined) ?? []).filter((e) => (e.search as Json | undefined)?.mode === 'match').map((e) => (e.resource as Json).id as string).sort();

async function stored(code: string, village: string, client = 'ministry'): Promise<{ status: number; body: Json }> {
  return getJson(`${gw.url}/fhir/MeasureReport/${reportId(code, village, '2026-03')}`, as(client));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ilp-pws-job-'));
  const file = join(dir, 'clients.json');
  const clients = await Promise.all(Object.entries(CLIENTS).map(async ([clientId, c]) => ({ clientId, secretHash: await hashSecret(`secret-${clientId}`), ...c })));
  writeFileSync(file, JSON.stringify(clients));
  gw = await startFhirGateway({ AUTH_DISABLED: '0', AUTH_CLIENTS_FILE: file, AUTH_SIGNING_KEY: Buffer.alloc(32, 9).toString('base64'), RELAY_ENABLED: '0' });
  for (const clientId of Object.keys(CLIENTS)) {
    const res = await fetch(`${gw.url}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${clientId}:secret-${clientId}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    tokens[clientId] = ((await res.json()) as { access_token: string }).access_token;
  }
  await post(visit({ nik: nik('35'), village: V1, date: '2026-03-10', age: 40, bp: [150, 95] }));
  await post(visit({ nik: nik('35'), village: V1, date: '2026-03-12', age: 15, bp: [110, 70] }));
  await post(visit({ nik: nik('92'), village: V3, date: '2026-03-05', age: 50, bp: [160, 100] }));
  await post(visit({ nik: personE, village: V2, date: '2026-03-20', age: 30, bp: [118, 76], submissionId: visitE }));
  await gw.db.pws.putTargets([{ villageCode: V1, year: 2026, group: 'usia-15-plus', count: 100 }]);
}, 120_000);

afterAll(async () => {
  await gw?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`monthly village MeasureReports (${testDbKind()})`, () => {
  test('two replicas on one database: the month is computed once', async () => {
    // The scheduler's tick at 3 April 2026 01:00 WIB: March is closed everywhere and due.
    const clock = () => Date.parse('2026-04-02T18:00:00Z');
    const schedule = { catchUpMonths: 1, graceDays: 10, recomputeHours: 24, retryMinutes: 60 };
    const other = await anotherReplicaDatabase(gw.db as never);
    try {
      const [a, b] = await Promise.all([runDue(job(gw.db, clock), 'replica-a', schedule), runDue(job(other.db, clock), 'replica-b', schedule)]);
      const claimed = [...a, ...b].filter((r) => r.claimed);
      expect(claimed).toHaveLength(1);
      const outcome = claimed[0]!.claimed ? claimed[0]!.outcome : undefined;
      // V1 (visits, target), V2 and V3 (visits): every indicator for each.
      expect(outcome).toMatchObject({ period: '2026-03', villages: 3, reports: 3 * INDICATOR_RULES.length, written: 3 * INDICATOR_RULES.length });
      // The same tick again: done within the recompute interval, nobody computes it.
      expect((await runDue(job(gw.db, clock), 'replica-a', schedule)).filter((r) => r.claimed)).toHaveLength(0);
      const [run] = (await gw.db.pwsReports.runs(10)).filter((r) => r.period === '2026-03' && r.area === '');
      expect(run).toMatchObject({ state: 'done', attempts: 1 });
    } finally {
      await other.close();
    }
  });

  test('the stored figures are those of $evaluate-measure for the same village and month, for every indicator', async () => {
    for (const village of [V1, V2, V3]) {
      for (const rule of INDICATOR_RULES) {
        const live = await getJson(`${gw.url}/fhir/Measure/${rule.code}/$evaluate-measure?periodStart=2026-03-01&periodEnd=2026-03-31&area=${village}`, as('ministry'));
        expect(live.status).toBe(200);
        const { status, body } = await stored(rule.code, village);
        expect(status).toBe(200);
        expect({ code: rule.code, village, group: body.group, period: body.period, subject: body.subject, measure: body.measure })
          .toEqual({ code: rule.code, village, group: live.body.group, period: live.body.period, subject: live.body.subject, measure: live.body.measure });
      }
    }
    // Hand-counted: V1 A (HT) and B measured; V3 D; V2 E measured, not HT.
    expect(counts((await stored(HT, V1)).body)).toEqual({ numerator: 1, denominator: 2 });
    expect(counts((await stored(HT, V2)).body)).toEqual({ numerator: 0, denominator: 1 });
    expect(counts((await stored(HT, V3)).body)).toEqual({ numerator: 1, denominator: 1 });
    expect(counts((await stored('PWS-K3-PTM-SCREENED', V1)).body)).toEqual({ numerator: 2, denominator: 100 });
  });

  test('a re-run makes no new version; a late visit makes one with the new count', async () => {
    const before = (await stored(HT, V1)).body;
    const again = await runManual(job(), 'manual', '2026-03', '');
    expect(again).toMatchObject({ claimed: true, outcome: { written: 0, unchanged: 3 * INDICATOR_RULES.length } });
    expect(((await stored(HT, V1)).body.meta as Json).versionId).toBe((before.meta as Json).versionId);

    await post(visit({ nik: nik('35'), village: V1, date: '2026-03-28', age: 38, bp: [170, 110] }));
    const late = await runManual(job(), 'manual', '2026-03', '');
    // G changes V1's HT and PTM screening (and whatever else counts adults screened), never V2's or V3's.
    expect(late.claimed && late.outcome.written).toBeGreaterThanOrEqual(2);
    const after = (await stored(HT, V1)).body;
    expect((after.meta as Json).versionId).toBe(String(Number((before.meta as Json).versionId) + 1));
    expect(counts(after)).toEqual({ numerator: 2, denominator: 3 });
    expect(((await stored(HT, V2)).body.meta as Json).versionId).toBe('1');
    const history = await getJson(`${gw.url}/fhir/MeasureReport/${reportId(HT, V1, '2026-03')}/_history`, as('ministry'));
    expect(history.body.total ?? (history.body.entry as Json[]).length).toBe(2);
    // Nothing of it is queued for SATUSEHAT: the outbox holds only the visits.
    expect((await gw.db.outbox.list(1000)).length).toBe(5);
  });

  test('search: one village, a kabupaten, a province, one month and one indicator', async () => {
    const search = (q: string, client = 'ministry') => getJson(`${gw.url}/fhir/MeasureReport?${q}`, as(client));
    const kabupaten = await search(`measure=Measure/${HT}&period=2026-03&city=3508`);
    expect(kabupaten.status).toBe(200);
    expect(ids(kabupaten.body)).toEqual([reportId(HT, V1, '2026-03'), reportId(HT, V2, '2026-03')]);
    expect(ids((await search(`measure=https://ilp-gateway.github.io/fhir/Measure/${HT}&village=${V3}`)).body)).toEqual([reportId(HT, V3, '2026-03')]);
    expect(ids((await search(`measure=${HT}&province=92&period=2026-03`)).body)).toEqual([reportId(HT, V3, '2026-03')]);
    expect(ids((await search(`measure=${HT}&period=2026-04`)).body)).toEqual([]);
    // A month's reports cover the month; those of year indicators (SPM, annual screenings) the year to
    // date (decision 0019): a month's search finds the first, a year-to-date range the second.
    const yearly = INDICATOR_RULES.filter((r) => r.period === 'year').map((r) => reportId(r.code, V1, '2026-03')).sort();
    const monthly = INDICATOR_RULES.filter((r) => r.period !== 'year').map((r) => reportId(r.code, V1, '2026-03')).sort();
    expect(yearly.length).toBeGreaterThan(0);
    expect(monthly.length).toBeGreaterThan(0);
    expect(ids((await search(`village=${V1}&period=2026-03&_count=1000`)).body)).toEqual(monthly);
    const toDate = ids((await search(`village=${V1}&period=ge2026-01-01&period=le2026-03-31&_count=1000`)).body);
    expect(toDate.filter((id) => id.endsWith('-2026-03'))).toEqual([...monthly, ...yearly].sort());
  });

  test('a district client sees only its region in search, read and Bulk export; a vendor sees none of the all-organisation reports', async () => {
    const district = await getJson(`${gw.url}/fhir/MeasureReport?measure=${HT}&period=2026-03`, as('district'));
    expect(ids(district.body)).toEqual([reportId(HT, V1, '2026-03'), reportId(HT, V2, '2026-03')]);
    expect((await stored(HT, V3, 'district')).status).toBe(404);
    expect((await stored(HT, V1, 'district')).status).toBe(200);

    // The vendor's own figures come live from $evaluate-measure; the stored ones count other organisations too.
    const vendor = await getJson(`${gw.url}/fhir/MeasureReport?measure=${HT}`, as('vendor'));
    expect(vendor.status).toBe(200);
    expect(ids(vendor.body)).toEqual([]);
    expect((await stored(HT, V1, 'vendor')).status).toBe(404);

    const exported = async (client: string): Promise<string[]> => {
      const kick = await fetch(`${gw.url}/fhir/$export?_type=MeasureReport`, { headers: as(client, { Prefer: 'respond-async' }) });
      expect(kick.status).toBe(202);
      const status = kick.headers.get('content-location') ?? '';
      for (let i = 0; i < 300; i++) {
        const res = await fetch(status, { headers: as(client) });
        if (res.status === 200) {
          const manifest = (await res.json()) as { output: { url: string }[] };
          const lines: string[] = [];
          for (const o of manifest.output) lines.push(...(await (await fetch(o.url, { headers: as(client) })).text()).trim().split('\n').filter((l) => l !== ''));
          return lines.map((l) => (JSON.parse(l) as { subject: { identifier: { value: string } } }).subject.identifier.value);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('export did not finish');
    };
    const districtVillages = await exported('district');
    expect(districtVillages.length).toBe(2 * INDICATOR_RULES.length);
    expect(new Set(districtVillages)).toEqual(new Set([V1, V2]));
    expect(new Set(await exported('ministry'))).toEqual(new Set([V1, V2, V3]));
    expect(await exported('vendor')).toEqual([]);
    // Patient-level export never carries village reports.
    expect((await fetch(`${gw.url}/fhir/Patient/$export?_type=MeasureReport`, { headers: as('ministry', { Prefer: 'respond-async' }) })).status).toBe(400);
  });

  test('bad search parameters and bad manual runs are 400 OperationOutcomes; clients cannot write MeasureReports', async () => {
    for (const q of ['period=2026-13', 'measure=not%20a%20reference', 'subjekt=x', 'period=abc']) {
      const res = await getJson(`${gw.url}/fhir/MeasureReport?${q}`, as('ministry'));
      expect({ q, status: res.status, type: res.body.resourceType }).toEqual({ q, status: 400, type: 'OperationOutcome' });
    }
    const admin = (body: unknown, client = 'ministry') => fetch(`${gw.url}/admin/v1/pws/reports`, { method: 'POST', headers: { ...as(client), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    for (const [body, expression] of [[{ period: '2026-13' }, 'period'], [{ period: '2999-01' }, 'period'], [{ period: '2026-03', area: '35x' }, 'area'], [{}, undefined]] as const) {
      const res = await admin(body);
      expect(res.status).toBe(400);
      const outcome = (await res.json()) as Json;
      expect(outcome.resourceType).toBe('OperationOutcome');
      if (expression) expect((outcome.issue as Json[]).map((i) => (i.expression as string[] | undefined)?.[0])).toContain(expression);
    }
    // An organisation-restricted client may not take admin actions, even with the scope.
    expect((await admin({ period: '2026-03' }, 'vendor')).status).toBe(403);
    const one = await admin({ period: '2026-03', area: V3 });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ period: '2026-03', area: V3, villages: 1, written: 0 });
    const runs = (await (await fetch(`${gw.url}/admin/v1/pws/reports`, { headers: as('ministry') })).json()) as { items: Json[] };
    expect(runs.items).toEqual(expect.arrayContaining([expect.objectContaining({ period: '2026-03', area: V3, state: 'done', villages: 1 })]));
    // Audited like every admin action, with its own sub-type.
    let audited = 0;
    for (let i = 0; i < 50 && audited === 0; i++) {
      const events = await getJson(`${gw.url}/fhir/AuditEvent?subtype=admin-pws-reports`, as('ministry'));
      audited = ((events.body.entry as Json[] | undefined) ?? []).length;
      if (audited === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(audited).toBeGreaterThanOrEqual(1);

    const write = await fetch(`${gw.url}/fhir`, {
      method: 'POST',
      headers: { ...as('vendor'), 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'MeasureReport', id: reportId(HT, V1, '2026-03'), status: 'complete', type: 'summary', measure: 'x', period: { start: '2026-03-01', end: '2026-03-31' } }, request: { method: 'PUT', url: `MeasureReport/${reportId(HT, V1, '2026-03')}` } }] }),
    });
    expect(write.status).toBeGreaterThanOrEqual(400);
    expect(write.status).toBeLessThan(500);
    expect(counts((await stored(HT, V1)).body)).toEqual({ numerator: 2, denominator: 3 });
  });

  test('a visit corrected to another village: the old village\'s reports go to zero, never left stale', async () => {
    // E's visit re-sent with the address in V4: V2 has no visit and no sasaran left.
    await post(visit({ nik: personE, village: V4, date: '2026-03-20', age: 30, bp: [118, 76], submissionId: visitE }));
    const run = await runManual(job(), 'manual', '2026-03', '3508');
    expect(run).toMatchObject({ claimed: true, outcome: { area: '3508', villages: 3 } }); // V1, V4 with data; V2 stored before
    const v2 = (await stored(HT, V2)).body;
    expect((v2.meta as Json).versionId).toBe('2');
    expect(counts(v2)).toEqual({ numerator: 0, denominator: 0 });
    const live = await getJson(`${gw.url}/fhir/Measure/${HT}/$evaluate-measure?periodStart=2026-03-01&periodEnd=2026-03-31&area=${V2}`, as('ministry'));
    expect(v2.group).toEqual(live.body.group);
    expect(counts((await stored(HT, V4)).body)).toEqual({ numerator: 0, denominator: 1 });
  });

  test('the CapabilityStatement lists MeasureReport with its search parameters', async () => {
    const cap = await getJson(`${gw.url}/fhir/metadata`);
    const resource = ((cap.body.rest as Json[])[0]!.resource as Json[]).find((r) => r.type === 'MeasureReport');
    const names = ((resource?.searchParam as Json[] | undefined) ?? []).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['measure', 'period', 'province', 'city', 'district', 'village']));
  });
});

describe(`the run table's claims (${testDbKind()})`, () => {
  const t = (s: number): string => new Date(Date.parse('2025-02-01T00:00:00Z') + s * 1000).toISOString();
  const rule = (doneBefore?: string) => ({ failedBefore: t(0), ...(doneBefore ? { doneBefore } : {}) });

  test('a lease keeps others out until it runs out; the loser cannot finish; done runs follow the rule', async () => {
    const store = gw.db.pwsReports;
    expect(await store.claim('2025-01', '', 'a', t(0), 60, rule())).toMatchObject({ state: 'running', worker: 'a', attempts: 1 });
    expect(await store.claim('2025-01', '', 'b', t(10), 60, rule())).toBeUndefined();
    expect(await store.renew('2025-01', '', 'a', t(30), 60)).toBe(true);
    expect(await store.claim('2025-01', '', 'b', t(80), 60, rule())).toBeUndefined(); // renewed until t(90)
    expect(await store.claim('2025-01', '', 'b', t(91), 60, rule())).toMatchObject({ worker: 'b', attempts: 2 });
    expect(await store.renew('2025-01', '', 'a', t(92), 60)).toBe(false);
    expect(await store.finish('2025-01', '', 'a', t(93), { villages: 1, reports: 1, written: 1 })).toBe(false);
    expect(await store.finish('2025-01', '', 'b', t(100), { villages: 2, reports: 3, written: 1 })).toBe(true);
    // Done at t(100): final unless the rule says it finished too early.
    expect(await store.claim('2025-01', '', 'c', t(200), 60, rule())).toBeUndefined();
    expect(await store.claim('2025-01', '', 'c', t(200), 60, rule(t(100)))).toBeUndefined();
    expect(await store.claim('2025-01', '', 'c', t(200), 60, rule(t(101)))).toMatchObject({ worker: 'c', attempts: 3 });
    // Interrupted by a shutdown: taken again at once; a plain failure only after failedBefore.
    expect(await store.fail('2025-01', '', 'c', t(210), 'stopped by shutdown', true)).toBe(true);
    expect(await store.claim('2025-01', '', 'd', t(211), 60, rule())).toMatchObject({ worker: 'd' });
    expect(await store.fail('2025-01', '', 'd', t(220), 'boom', false)).toBe(true);
    expect(await store.claim('2025-01', '', 'e', t(221), 60, { failedBefore: t(219) })).toBeUndefined();
    expect(await store.claim('2025-01', '', 'e', t(300), 60, { failedBefore: t(221) })).toMatchObject({ worker: 'e', attempts: 5 });
  });

  test('saving more reports than one batch counts every written one, and a second save writes none', async () => {
    const reports = Array.from({ length: 450 }, (_, i) => {
      const village = `11010120${String(i).padStart(2, '0').slice(-2)}`;
      const id = reportId(`BATCH-${i}`, village, '2025-01');
      return { residence: village, resource: { resourceType: 'MeasureReport' as const, id, status: 'complete' as const, type: 'summary' as const, measure: `https://ilp-gateway.github.io/fhir/Measure/BATCH-${i}`, period: { start: '2025-01-01', end: '2025-01-31' }, date: new Date().toISOString() } };
    });
    expect(await gw.db.pwsReports.save(reports, new Date().toISOString())).toEqual({ written: 450, unchanged: 0 });
    const later = reports.map((r) => ({ ...r, resource: { ...r.resource, date: new Date(Date.now() + 60_000).toISOString() } }));
    expect(await gw.db.pwsReports.save(later, new Date().toISOString())).toEqual({ written: 0, unchanged: 450 });
  });
});
