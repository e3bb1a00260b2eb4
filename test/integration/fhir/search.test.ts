import type { Bundle } from 'fhir/r4';
import { example, uniqueId } from '../../support/submissions';
import { testDbKind } from '../../support/database';
import { getJson, postJson, searchIds, startFhirGateway, vendorTransaction, type Json } from './fhir-support';

/**
 * FHIR search over the index (FHIR R4 search.html), one block per parameter type, on data stored
 * by the two real entry points: an ILP visit (POST /ilp/v1/encounters) and a vendor transaction (POST /fhir).
 */
let gw: Awaited<ReturnType<typeof startFhirGateway>>;
let base: string;
const ILP_NIK = '9271060312000001';
const NIK = 'https://fhir.kemkes.go.id/id/nik';
let ilpPatient: string;
let vendorPatient: string;
let ilpEncounter: string;
let vendorEncounter: string;

const search = async (query: string): Promise<Json> => {
  const res = await getJson(`${base}/${query}`);
  if (res.status !== 200) throw new Error(`${query} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const ids = async (query: string): Promise<string[]> => searchIds(await search(query));
const only = async (query: string): Promise<string> => {
  const found = await ids(query);
  if (found.length !== 1) throw new Error(`${query} → ${found.join(', ') || 'nothing'}`);
  return found[0] ?? '';
};

beforeAll(async () => {
  gw = await startFhirGateway();
  base = `${gw.url}/fhir`;
  const ilp = await postJson(`${gw.url}/ilp/v1/encounters`, { ...example(), submissionId: uniqueId('SEARCH') });
  expect(ilp.status).toBe(202);
  const tx = await postJson(base, vendorTransaction({ nik: '3174010101900002', village: '3174061003', org: '10000099' }));
  expect(tx.status).toBe(200);
  ilpPatient = await only(`Patient?identifier=${NIK}|${ILP_NIK}`);
  vendorPatient = await only(`Patient?identifier=${NIK}|3174010101900002`);
  ilpEncounter = await only('Encounter?service-provider=Organization/10000005');
  vendorEncounter = await only('Encounter?service-provider=Organization/10000099');
});

afterAll(async () => {
  await gw?.close();
});

describe(`FHIR search on ${testDbKind()}`, () => {
  test('_id and _lastUpdated (with prefixes)', async () => {
    const id = ilpPatient.split('/')[1];
    expect(await ids(`Patient?_id=${id}`)).toEqual([ilpPatient]);
    expect(await ids(`Patient?_id=${id},${vendorPatient.split('/')[1]}`)).toEqual([ilpPatient, vendorPatient].sort());
    expect(await ids('Patient?_lastUpdated=gt2020-01-01')).toHaveLength(2);
    expect(await ids('Patient?_lastUpdated=lt2020-01-01')).toEqual([]);
    expect(await ids('Patient?_lastUpdated=ge2020-01-01&_lastUpdated=le2999')).toHaveLength(2);
  });

  test('identifier: system|value, value alone, system|, :not and :missing', async () => {
    expect(await ids(`Patient?identifier=${ILP_NIK}`)).toEqual([ilpPatient]);
    expect(await ids(`Patient?identifier=${NIK}|`)).toHaveLength(2);
    expect(await ids(`Patient?identifier=http://other.example|${ILP_NIK}`)).toEqual([]);
    expect(await ids(`Patient?identifier:not=${NIK}|${ILP_NIK}`)).toEqual([vendorPatient]);
    // Our profiles make Encounter.identifier mandatory, so :missing is shown on the diagnosis reference,
    // which the ILP visit has and the vendor's Encounter has not.
    expect(await ids('Encounter?identifier:missing=true')).toEqual([]);
    expect(await ids('Encounter?diagnosis:missing=true')).toEqual([vendorEncounter]);
    expect(await ids('Encounter?diagnosis:missing=false')).toEqual([ilpEncounter]);
  });

  test('patient, subject and encounter references (Type/id, id, :Type)', async () => {
    const id = vendorPatient.split('/')[1] ?? '';
    const vendorObs = await ids(`Observation?subject=${vendorPatient}`);
    expect(vendorObs).toHaveLength(1);
    expect(await ids(`Observation?patient=${id}`)).toEqual(vendorObs);
    expect(await ids(`Observation?subject:Patient=${id}`)).toEqual(vendorObs);
    expect(await ids(`Observation?encounter=${vendorEncounter}`)).toEqual(vendorObs);
    const ilpObs = await ids(`Observation?encounter=${ilpEncounter}`);
    expect(ilpObs.length).toBeGreaterThan(5);
    expect(await ids(`Condition?patient=${ilpPatient}`)).toHaveLength(1);
    expect(await ids(`CarePlan?subject=${ilpPatient}`)).toHaveLength(1);
    expect(await ids(`Condition?patient=${vendorPatient}`)).toEqual([]);
  });

  test('date with precision and every prefix', async () => {
    // ILP visit: 2024-07-29T01:15Z–01:50Z; vendor visit: 2025-03-10T02:00Z–02:30Z.
    expect(await ids('Encounter?date=2024-07-29')).toEqual([ilpEncounter]);
    expect(await ids('Encounter?date=2024-07')).toEqual([ilpEncounter]);
    expect(await ids('Encounter?date=2024-07-29T01:15:00Z')).toEqual([]);
    expect(await ids('Encounter?date=ne2024-07-29')).toEqual([vendorEncounter]);
    expect(await ids('Encounter?date=gt2024-12-31')).toEqual([vendorEncounter]);
    expect(await ids('Encounter?date=lt2024-12-31')).toEqual([ilpEncounter]);
    expect(await ids('Encounter?date=ge2025-03-10')).toEqual([vendorEncounter]);
    expect(await ids('Encounter?date=le2024-07-29')).toEqual([ilpEncounter]);
    expect(await ids('Encounter?date=sa2024-07-29T01:00:00Z')).toEqual([ilpEncounter, vendorEncounter].sort());
    expect(await ids('Encounter?date=eb2025-01-01')).toEqual([ilpEncounter]);
    expect(await ids('Encounter?date=ap2024-07-29T01:30:00Z')).toEqual([ilpEncounter]);
    expect(await ids('Encounter?date=2024-07-29T08:20:00+07:00')).toEqual([]);
    expect(await ids('Encounter?date=ge2024-07-29T08:00:00%2B07:00&date=le2024-07-29T09:00:00%2B07:00')).toEqual([ilpEncounter]);
  });

  test('code, category and status tokens; comma means OR', async () => {
    const systolic = await ids('Observation?code=http://loinc.org|8480-6');
    expect(systolic).toHaveLength(2);
    expect(await ids('Observation?code=8480-6')).toEqual(systolic);
    expect(await ids('Observation?code=http://snomed.info/sct|8480-6')).toEqual([]);
    const both = await ids('Observation?code=http://loinc.org|8480-6,http://loinc.org|8462-4');
    expect(both).toHaveLength(3);
    expect(await ids('Observation?category=vital-signs&code=8480-6')).toEqual(systolic);
    expect(await ids('Observation?status=final&code=8480-6')).toEqual(systolic);
    expect(await ids('Observation?status=amended&code=8480-6')).toEqual([]);
    expect(await ids('Encounter?status=finished')).toHaveLength(2);
    expect(await ids('Condition?code=http://hl7.org/fhir/sid/icd-10|O13')).toHaveLength(1);
    expect(await ids('Condition?category=encounter-diagnosis&clinical-status=active')).toHaveLength(1);
  });

  test('service-provider and value-quantity', async () => {
    expect(await ids('Encounter?service-provider=10000005')).toEqual([ilpEncounter]);
    expect(await ids('Observation?code=8480-6&value-quantity=gt140')).toHaveLength(1);
    expect(await ids('Observation?code=8480-6&value-quantity=lt140|http://unitsofmeasure.org|mm[Hg]')).toHaveLength(1);
    expect(await ids('Observation?code=8480-6&value-quantity=142')).toHaveLength(1);
    expect(await ids('Observation?code=8480-6&value-quantity=le142&value-quantity=ge128')).toHaveLength(2);
  });

  test('strings: starts-with, accent- and case-insensitive; :exact and :contains', async () => {
    expect(await ids('Patient?name=rina')).toEqual([ilpPatient]);
    expect(await ids('Patient?name=Wulan')).toEqual([]);
    expect(await ids('Patient?name:contains=wulan')).toEqual([ilpPatient]);
    expect(await ids('Patient?name:exact=Rina Wulandari')).toEqual([ilpPatient]);
    expect(await ids('Patient?name:exact=rina wulandari')).toEqual([]);
    expect(await ids('Patient?name=s%C3%A1ri')).toEqual([vendorPatient]);
  });

  test('region codes on Patient and, through the subject, on clinical resources', async () => {
    expect(await ids('Patient?province=35')).toEqual([ilpPatient]);
    expect(await ids('Patient?village=3174061003')).toEqual([vendorPatient]);
    expect(await ids('Encounter?district=317406')).toEqual([vendorEncounter]);
    expect(await ids('Encounter?city=3508')).toEqual([ilpEncounter]);
    expect((await ids('Observation?village=3508012001')).length).toBeGreaterThan(5);
    expect(await ids('Observation?province=31')).toHaveLength(1);
    expect(await ids('Condition?village=3508012001')).toHaveLength(1);
    expect(await ids('CarePlan?district=350801')).toHaveLength(1);
    expect(await ids('Observation?province=99')).toEqual([]);
  });

  test('_include and _revinclude between Encounter and Observation', async () => {
    const withEncounter = await search(`Observation?subject=${vendorPatient}&_include=Observation:encounter`);
    expect(searchIds(withEncounter)).toHaveLength(1);
    expect(searchIds(withEncounter, 'include')).toEqual([vendorEncounter]);
    const withObservations = await search(`Encounter?_id=${ilpEncounter.split('/')[1]}&_revinclude=Observation:encounter`);
    expect(searchIds(withObservations)).toEqual([ilpEncounter]);
    expect(searchIds(withObservations, 'include')).toEqual(await ids(`Observation?encounter=${ilpEncounter}&_count=100`));
  });

  test('_summary=count, _total=accurate, _sort', async () => {
    const count = await search('Observation?_summary=count');
    expect(count.entry).toBeUndefined();
    const all = await ids('Observation?_count=1000');
    expect(count.total).toBe(all.length);
    const page = await search('Observation?_count=2&_total=accurate');
    expect(page.total).toBe(all.length);
    expect((page.entry as unknown[]).length).toBe(2);
    const newest = await search('Encounter?_sort=-date');
    expect(searchIds(newest)).toHaveLength(2);
    expect(((newest.entry as Bundle['entry']) ?? []).map((e) => `Encounter/${e.resource?.id}`)).toEqual([vendorEncounter, ilpEncounter]);
    const oldest = await search('Encounter?_sort=date');
    expect(((oldest.entry as Bundle['entry']) ?? []).map((e) => `Encounter/${e.resource?.id}`)).toEqual([ilpEncounter, vendorEncounter]);
  });

  test('errors are OperationOutcomes: unknown parameter, bad value, unknown type', async () => {
    const unknown = await getJson(`${base}/Observation?colour=red`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.resourceType).toBe('OperationOutcome');
    expect(unknown.headers.get('content-type')).toContain('application/fhir+json');
    expect((await getJson(`${base}/Encounter?date=yesterday`)).status).toBe(400);
    expect((await getJson(`${base}/Encounter?date:exact=2024`)).status).toBe(400);
    expect((await getJson(`${base}/Observation?_count=abc`)).status).toBe(400);
    const organization = await getJson(`${base}/Organization`);
    expect(organization.status).toBe(404);
    expect(organization.body.resourceType).toBe('OperationOutcome');
  });
});
