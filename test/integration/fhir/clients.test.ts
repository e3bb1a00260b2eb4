import type { MedplumClient } from '@medplum/core';
import type { Bundle, BundleEntry, CapabilityStatement, Encounter, Observation, OperationOutcome, Patient } from 'fhir/r4';
import { Client, type FhirResource as KitResource } from 'fhir-kit-client';
import { testDbKind } from '../../support/database';
import { loadMedplumCore } from '../../support/medplum';
import { startFhirGateway, vendorTransaction } from './fhir-support';

/**
 * The FHIR API through real FHIR client libraries over a real socket (issue 13 "Must show"):
 * fhir-kit-client (the relay's design card names it) and @medplum/core's MedplumClient, whose
 * auto-batching turns concurrent reads into one batch of GET entries.
 */
let gw: Awaited<ReturnType<typeof startFhirGateway>>;
let fk: Client;
let base: string;

beforeAll(async () => {
  gw = await startFhirGateway();
  base = `${gw.url}/fhir`;
  fk = new Client({ baseUrl: base });
});

afterAll(async () => {
  await gw?.close();
});

type Json = Record<string, unknown>;
/** What fhir-kit-client's methods take: a resource, and for nextPage a Bundle with links. */
type Kit = KitResource & { link: { relation: string; url: string }[] };
const nik = (n: number): string => `317401010190${String(n).padStart(4, '0')}`;
const entries = (b: unknown): BundleEntry[] => (b as Bundle).entry ?? [];
const idOf = (location: string | undefined): string => (location ?? '').split('/')[1] ?? '';
/** fhir-kit-client rejects non-2xx answers with `{ response: { status, data } }`. */
async function statusOfFailure(p: Promise<unknown>): Promise<{ status: number; data: Json }> {
  try {
    await p;
  } catch (err) {
    const response = (err as { response?: { status: number; data: Json } }).response;
    if (response) return response;
    throw err;
  }
  throw new Error('the request succeeded');
}

async function visit(n: number, extra: { village?: string; start?: string } = {}): Promise<BundleEntry[]> {
  return entries(await fk.transaction({ body: vendorTransaction({ nik: nik(n), village: '3174061003', ...extra }) as unknown as Kit }));
}

describe(`fhir-kit-client against the gateway on ${testDbKind()}`, () => {
  test('metadata: the CapabilityStatement lists $validate and the three $export definitions', async () => {
    const cs = (await fk.capabilityStatement()) as unknown as CapabilityStatement;
    const rest = cs.rest?.[0];
    expect(rest?.operation?.map((o) => o.definition)).toEqual([expect.stringMatching(/OperationDefinition\/validate$/), 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export']);
    const op = (type: string) => rest?.resource?.find((r) => r.type === type)?.operation?.map((o) => o.definition);
    expect(op('Patient')).toContain('http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export');
    expect(op('Group')).toContain('http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export');
    expect(rest?.resource?.some((r) => r.conditionalCreate || r.conditionalUpdate)).toBe(false);
    const definition = (await fk.read({ resourceType: 'OperationDefinition', id: 'patient-export' })) as Json;
    expect(definition.url).toBe('http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export');
  });

  test('conditional create (ifNoneExist) matches the Patient; conditional update of an existing Patient answers 200, not 201', async () => {
    const first = await visit(1);
    expect(first[0]?.response?.status).toBe('201 Created');
    const second = await visit(1, { start: '2025-03-10T01:00:00+00:00' });
    expect(second[0]?.response?.status).toBe('200 OK');
    expect(second[0]?.response?.location).toBe(first[0]?.response?.location);
    const update = vendorTransaction({ nik: nik(1), village: '3174061003', start: '2025-03-10T01:30:00+00:00' });
    const patient = update.entry![0]!;
    patient.request = { method: 'PUT', url: `Patient?identifier=https://fhir.kemkes.go.id/id/nik|${nik(1)}` };
    (patient.resource as Patient).name = [{ text: 'Sari Dewi Lestari' }];
    const updated = entries(await fk.transaction({ body: update as unknown as Kit }));
    expect(updated[0]?.response?.status).toBe('200 OK');
    expect(updated[0]?.response?.location).toBe(`Patient/${idOf(first[0]?.response?.location)}/_history/2`);
  });

  test('ifMatch: a stale version is refused with 412 and nothing changes; the current one updates', async () => {
    const [, encounterEntry] = await visit(2);
    const id = idOf(encounterEntry?.response?.location);
    const stored = (await fk.read({ resourceType: 'Encounter', id })) as unknown as Encounter;
    const put = (ifMatch: string, end: string): Kit => ({
      resourceType: 'Bundle', type: 'transaction',
      entry: [{ resource: { ...stored, meta: undefined, period: { ...stored.period, end } }, request: { method: 'PUT', url: `Encounter/${id}`, ifMatch } }],
    }) as unknown as Kit;
    const ok = entries(await fk.transaction({ body: put('W/"1"', '2025-03-10T02:45:00+00:00') }));
    expect(ok[0]?.response?.status).toBe('200 OK');
    expect(ok[0]?.response?.etag).toBe('W/"2"');
    const stale = await statusOfFailure(fk.transaction({ body: put('W/"1"', '2025-03-10T02:50:00+00:00') }));
    expect(stale.status).toBe(412);
    expect(JSON.stringify(stale.data)).toContain('STORE-VERSION-CONFLICT');
    const now = (await fk.read({ resourceType: 'Encounter', id })) as unknown as Encounter;
    expect([now.meta?.versionId, now.period?.end]).toEqual(['2', '2025-03-10T02:45:00+00:00']);
    expect((await statusOfFailure(fk.transaction({ body: put('version one', '2025-03-10T02:50:00+00:00') }))).status).toBe(400);
  });

  test('paging: nextPage follows the next links until every match is seen once', async () => {
    for (const n of [3, 4, 5]) await visit(n, { village: '3174061777' });
    const seen: string[] = [];
    let page = (await fk.search({ resourceType: 'Observation', searchParams: { village: '3174061777', _count: 2, _sort: '_id' } })) as unknown as Bundle | undefined;
    while (page) {
      seen.push(...entries(page).map((e) => e.resource?.id ?? ''));
      const next = fk.nextPage({ bundle: page as unknown as Kit });
      page = next ? ((await next) as unknown as Bundle) : undefined;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  test('_summary and _elements on read and search: a subset marked SUBSETTED, mandatory elements kept', async () => {
    const [, , observationEntry] = await visit(6);
    const id = idOf(observationEntry?.response?.location);
    const summary = (await fk.request(`Observation/${id}?_summary=true`)) as unknown as Observation;
    expect(summary.valueQuantity?.value).toBe(128);
    expect(summary.category).toBeUndefined();
    expect(summary.meta?.tag).toContainEqual(expect.objectContaining({ code: 'SUBSETTED' }));
    const elements = (await fk.search({ resourceType: 'Observation', searchParams: { _id: id, _elements: 'effectiveDateTime' } })) as unknown as Bundle;
    const only = entries(elements)[0]?.resource as Observation;
    expect(Object.keys(only).sort()).toEqual(['code', 'effectiveDateTime', 'id', 'meta', 'resourceType', 'status']);
    const count = (await fk.search({ resourceType: 'Observation', searchParams: { _id: id, _summary: 'count' } })) as unknown as Bundle;
    expect([count.total, count.entry]).toEqual([1, undefined]);
  });

  test('content negotiation: XML is 406, JSON and */* are served', async () => {
    const xml = new Client({ baseUrl: base, customHeaders: { accept: 'application/fhir+xml' } });
    const refused = await statusOfFailure(xml.capabilityStatement());
    expect(refused.status).toBe(406);
    expect(JSON.stringify(refused.data)).toContain('FHIR-NOT-ACCEPTABLE');
    expect((await statusOfFailure(fk.request('metadata?_format=xml'))).status).toBe(406);
    const any = new Client({ baseUrl: base, customHeaders: { accept: '*/*' } });
    expect(((await any.capabilityStatement()) as Json).resourceType).toBe('CapabilityStatement');
  });

  test('Prefer: return=representation and return=OperationOutcome shape the transaction entries', async () => {
    const body = vendorTransaction({ nik: nik(7), village: '3174061003' }) as unknown as Kit;
    const full = entries(await fk.transaction({ body, options: { headers: { Prefer: 'return=representation' } } }));
    expect(full.map((e) => e.resource?.resourceType)).toEqual(['Patient', 'Encounter', 'Observation']);
    expect(full[0]?.resource?.meta?.versionId).toBe('1');
    const again = vendorTransaction({ nik: nik(7), village: '3174061003', start: '2025-03-10T01:15:00+00:00' }) as unknown as Kit;
    const outcomes = entries(await fk.transaction({ body: again, options: { headers: { Prefer: 'return=OperationOutcome' } } }));
    expect(outcomes.every((e) => e.resource === undefined && e.response?.outcome?.resourceType === 'OperationOutcome')).toBe(true);
    const minimal = entries(await fk.transaction({ body: vendorTransaction({ nik: nik(8), village: '3174061003' }) as unknown as Kit, options: { headers: { Prefer: 'return=minimal' } } }));
    expect(minimal.every((e) => e.resource === undefined && e.response?.outcome === undefined && e.response?.location)).toBe(true);
  });

  test('Prefer: handling=lenient ignores an unknown parameter and says so; strict (the default) refuses it', async () => {
    await visit(9, { village: '3174061888' });
    const lenient = (await fk.search({ resourceType: 'Observation', searchParams: { village: '3174061888', colour: 'blue' }, options: { headers: { Prefer: 'handling=lenient' } } })) as unknown as Bundle;
    expect(entries(lenient).filter((e) => e.search?.mode === 'match')).toHaveLength(1);
    const outcome = entries(lenient).find((e) => e.search?.mode === 'outcome')?.resource as OperationOutcome | undefined;
    expect(outcome?.issue[0]?.diagnostics).toContain('colour');
    expect(lenient.link?.find((l) => l.relation === 'self')?.url).not.toContain('colour');
    const strict = await statusOfFailure(fk.search({ resourceType: 'Observation', searchParams: { village: '3174061888', colour: 'blue' }, options: { headers: { Prefer: 'handling=strict' } } }));
    expect(strict.status).toBe(400);
  });

  test('$validate at type level: 200 with the issues, valid or not', async () => {
    const observation = vendorTransaction({ nik: nik(10), village: '3174061003' }).entry![2]!.resource as Observation;
    const good = (await fk.operation({ name: '$validate', resourceType: 'Observation', input: { ...observation, subject: { reference: 'Patient/p1' }, encounter: { reference: 'Encounter/e1' } } })) as unknown as OperationOutcome;
    expect(good.issue.filter((i) => i.severity === 'error')).toEqual([]);
    const bad = (await fk.operation({ name: '$validate', resourceType: 'Observation', input: { ...observation, status: 'guessed' } })) as unknown as OperationOutcome;
    expect(bad.issue.some((i) => i.severity === 'error')).toBe(true);
    expect((await statusOfFailure(fk.request('Observation/$validate'))).status).toBe(405);
  });
});

describe(`MedplumClient against the gateway on ${testDbKind()}`, () => {
  const posts: string[] = [];
  const countingFetch = (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (init?.method === 'POST') posts.push(String(url));
    return fetch(url, init);
  };
  const { MedplumClient: Medplum } = loadMedplumCore();
  const medplum = (): MedplumClient => new Medplum({ baseUrl: `${gw.url}/`, fhirUrlPath: 'fhir', autoBatchTime: 50, fetch: countingFetch });

  test('auto-batching: concurrent reads and a search become one batch of GET entries, each answered', async () => {
    const [patientEntry, encounterEntry] = await visit(11);
    const client = medplum();
    posts.length = 0;
    const [patient, encounter, found] = await Promise.all([
      client.readResource('Patient', idOf(patientEntry?.response?.location)),
      client.readResource('Encounter', idOf(encounterEntry?.response?.location)),
      client.search('Patient', { identifier: nik(11) }),
    ]);
    expect(posts).toEqual([`${gw.url}/fhir`]);
    expect(patient.identifier?.[0]?.value).toBe(nik(11));
    expect(encounter.id).toBe(idOf(encounterEntry?.response?.location));
    expect(found.entry?.map((e: BundleEntry) => e.resource?.id)).toEqual([patient.id]);
    await expect(Promise.all([client.readResource('Patient', 'nobody'), client.readResource('Patient', patient.id ?? '')])).rejects.toThrow(/not known/);
  });

  test('executeBatch: a batch mixing a conditional update by identifier and a read', async () => {
    const [, encounterEntry] = await visit(12);
    const client = medplum();
    const id = idOf(encounterEntry?.response?.location);
    const stored = await client.readResource('Encounter', id);
    const identifier = stored.identifier?.[0];
    const answer = await client.executeBatch({
      resourceType: 'Bundle', type: 'batch',
      entry: [
        { resource: { ...stored, meta: undefined, status: 'finished', period: { ...stored.period, end: '2025-03-10T02:55:00+00:00' } }, request: { method: 'PUT', url: `Encounter?identifier=${encodeURIComponent(`${identifier?.system}|${identifier?.value}`)}` } },
        { request: { method: 'GET', url: `Encounter/${id}/_history` } },
      ],
    });
    expect(answer.entry?.map((e: BundleEntry) => e.response?.status)).toEqual(['200 OK', '200 OK']);
    expect(answer.entry?.[0]?.response?.location).toBe(`Encounter/${id}/_history/2`);
    expect((answer.entry?.[1]?.resource as Bundle).total).toBe(2);
  });

  test('searchResourcePages pages through the next links; _summary=count gives the total', async () => {
    for (const n of [13, 14, 15]) await visit(n, { village: '3174061999' });
    const client = medplum();
    const pages: number[] = [];
    for await (const page of client.searchResourcePages('Encounter', { village: '3174061999', _count: '2' })) pages.push(page.length);
    expect(pages).toEqual([2, 1]);
    const count = await client.search('Encounter', { village: '3174061999', _summary: 'count' });
    expect(count.total).toBe(3);
  });

  test('validateResource ($validate) and content negotiation (406 for XML)', async () => {
    const client = medplum();
    const outcome = await client.validateResource({ resourceType: 'Patient', gender: 'female', birthDate: '1990-05-01' });
    expect(outcome.resourceType).toBe('OperationOutcome');
    await expect(client.get(client.fhirUrl('metadata'), { headers: { Accept: 'application/fhir+xml' } })).rejects.toThrow(/application\/fhir\+json only/);
  });
});

describe('HTTP details no client library shows', () => {
  test('405 names the allowed methods in Allow; HEAD is answered wherever GET is', async () => {
    const put = await fetch(`${base}/Patient/x`, { method: 'PUT', headers: { 'Content-Type': 'application/fhir+json' }, body: '{}' });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    const validate = await fetch(`${base}/Observation/$validate`);
    expect([validate.status, validate.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await fetch(`${base}/metadata`, { method: 'HEAD' })).status).toBe(200);
  });

  test('every read carries ETag and Last-Modified, also with _summary', async () => {
    const [patientEntry] = await visit(16);
    const res = await fetch(`${base}/Patient/${idOf(patientEntry?.response?.location)}?_summary=true`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(Date.parse(res.headers.get('last-modified') ?? '')).not.toBeNaN();
  });
});
