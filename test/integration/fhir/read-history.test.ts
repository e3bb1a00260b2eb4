import type { Bundle, CapabilityStatement, Observation } from 'fhir/r4';
import { example, uniqueId, type Json as Payload } from '../../support/submissions';
import { Client } from 'pg';
import { parseSearch } from '../../../src/fhir/search-request';
import { MIGRATIONS } from '../../../src/store/migrations';
import { submission, submissionId, visit } from '../../support/bundles';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';
import { getJson, postJson, searchIds, startFhirGateway, vendorTransaction } from './fhir-support';

/** read, vread, _history (http.html#read, #vread, #history), deletions, re-indexing, and the CapabilityStatement. */
let gw: Awaited<ReturnType<typeof startFhirGateway>>;
let base: string;

beforeAll(async () => {
  gw = await startFhirGateway();
  base = `${gw.url}/fhir`;
});

afterAll(async () => {
  await gw?.close();
});

async function firstId(query: string): Promise<string> {
  const [ref] = searchIds((await getJson(`${base}/${query}`)).body);
  if (!ref) throw new Error(`nothing for ${query}`);
  return ref;
}

describe(`read, vread and _history on ${testDbKind()}`, () => {
  test('a changed visit makes version 2; vread and _history show both; the dropped Observation is gone from search', async () => {
    const payload: Payload = { ...example(), submissionId: uniqueId('HISTORY') };
    expect((await postJson(`${gw.url}/ilp/v1/encounters`, payload)).status).toBe(202);
    const encounter = await firstId(`Encounter?identifier=${payload.submissionId}`);
    const hb = await firstId(`Observation?encounter=${encounter}&code=718-7`);

    const v1 = await getJson(`${base}/${hb}`);
    expect(v1.status).toBe(200);
    expect(v1.headers.get('etag')).toBe('W/"1"');
    expect(v1.headers.get('last-modified')).toMatch(/GMT$/);
    expect((v1.body as unknown as Observation).meta?.versionId).toBe('1');

    const lateQuery = `${base}/Encounter?date=gt2024-07-29T02:00:00Z&_id=${encounter.split('/')[1]}`;
    expect(searchIds((await getJson(lateQuery)).body)).toEqual([]);
    const changed = structuredClone(payload);
    changed.end = '2024-07-29T09:10:00+07:00';
    changed.screenings[1].items = changed.screenings[1].items.filter((i: { code: string }) => i.code !== 'hemoglobin');
    expect((await postJson(`${gw.url}/ilp/v1/encounters`, changed)).status).toBe(202);

    expect((await getJson(`${base}/${hb}`)).status).toBe(410);
    expect(searchIds((await getJson(`${base}/Observation?encounter=${encounter}&code=718-7`)).body)).toEqual([]);
    const enc2 = await getJson(`${base}/${encounter}`);
    expect(enc2.headers.get('etag')).toBe('W/"2"');
    expect(searchIds((await getJson(lateQuery)).body)).toEqual([encounter]);

    const vread = await getJson(`${base}/${encounter}/_history/1`);
    expect(vread.status).toBe(200);
    expect((vread.body as { period?: { end?: string } }).period?.end).toBe('2024-07-29T01:50:00+00:00');
    const history = (await getJson(`${base}/${hb}/_history`)).body as unknown as Bundle;
    expect(history.type).toBe('history');
    expect(history.entry?.map((e) => e.response?.etag)).toEqual(['W/"2"', 'W/"1"']);
    expect(history.entry?.[0]?.resource).toBeUndefined();
    expect(history.entry?.[0]?.request?.method).toBe('DELETE');
  });

  test('unknown ids and versions answer 404 OperationOutcomes', async () => {
    for (const path of ['Patient/does-not-exist', 'Patient/does-not-exist/_history', 'Patient/x/_history/abc']) {
      const res = await getJson(`${base}/${path}`);
      expect(res.status).toBe(404);
      expect(res.body.resourceType).toBe('OperationOutcome');
    }
    expect((await fetch(`${base}/Patient/x`, { method: 'DELETE' })).status).toBe(405);
  });

  test('moving a Patient to another village re-indexes the Patient and every resource whose subject it is', async () => {
    const nik = '3174010101900777';
    const bundle = vendorTransaction({ nik, village: '3174061003' });
    // Conditional update by NIK, so the second Bundle updates (moves) the same Patient.
    bundle.entry![0]!.request = { method: 'PUT', url: `Patient?identifier=https://fhir.kemkes.go.id/id/nik|${nik}` };
    expect((await postJson(base, bundle, { 'X-Organization-Id': '10000005' })).status).toBe(200);
    expect(searchIds((await getJson(`${base}/Observation?village=3174061003`)).body)).toHaveLength(1);
    // The next visit carries the moved Patient (a Patient alone has nothing to relay and is refused, FHIR-NOTHING-TO-RELAY).
    const moved = vendorTransaction({ nik, village: '3174071004', start: '2025-03-10T01:00:00+00:00' });
    moved.entry![0]!.request = bundle.entry![0]!.request;
    expect((await postJson(base, moved, { 'X-Organization-Id': '10000005' })).status).toBe(200);
    expect(searchIds((await getJson(`${base}/Observation?village=3174061003`)).body)).toEqual([]);
    expect(searchIds((await getJson(`${base}/Observation?village=3174071004`)).body)).toHaveLength(2);
    expect(searchIds((await getJson(`${base}/Patient?district=317407`)).body)).toHaveLength(1);
  });
});

describe('GET /fhir/metadata', () => {
  test('lists what is served: types, interactions, search parameters incl. region, $export; no Organization', async () => {
    const res = await getJson(`${base}/metadata`);
    expect(res.status).toBe(200);
    const cs = res.body as unknown as CapabilityStatement;
    expect(cs.fhirVersion).toBe('4.0.1');
    const rest = cs.rest?.[0];
    const types = rest?.resource?.map((r) => r.type);
    expect(types).toEqual(['Patient', 'Encounter', 'Observation', 'Condition', 'CarePlan', 'MeasureReport', 'AuditEvent', 'Group']);
    const observation = rest?.resource?.find((r) => r.type === 'Observation');
    const params = observation?.searchParam?.map((p) => p.name) ?? [];
    for (const p of ['_id', '_lastUpdated', 'code', 'category', 'status', 'date', 'patient', 'subject', 'encounter', 'identifier', 'village', 'province']) expect(params).toContain(p);
    expect(observation?.searchInclude).toContain('Observation:encounter');
    expect(rest?.resource?.find((r) => r.type === 'Encounter')?.searchRevInclude).toContain('Observation:encounter');
    expect(rest?.interaction?.map((i) => i.code)).toEqual(['transaction', 'batch']);
    expect(rest?.operation?.map((o) => o.name)).toEqual(['validate', 'export']);
    expect(rest?.security?.description).toMatch(/bearer/i);
  });
});

test('PUBLIC_BASE_URL sets the base of every link (a proxy in front of the gateway)', async () => {
  const proxied = await startFhirGateway({ PUBLIC_BASE_URL: 'https://gw.example.go.id' });
  try {
    const page = await getJson(`${proxied.url}/fhir/Patient?gender=female`);
    expect((page.body.link as { url: string }[])[0]?.url).toBe('https://gw.example.go.id/fhir/Patient?gender=female');
    const kick = await fetch(`${proxied.url}/fhir/$export`, { headers: { Prefer: 'respond-async' } });
    expect(kick.headers.get('content-location')).toMatch(/^https:\/\/gw\.example\.go\.id\/fhir\/bulkstatus\//);
  } finally {
    await proxied.close();
  }
});

// PostgreSQL only: the test undoes migration 0003 with SQL, which PGlite's in-memory database does not expose.
if (testDbKind() === 'postgres') {
  const SEARCH_INDEX = MIGRATIONS.map((m) => new m().name).find((n) => n.startsWith('SearchIndex')) ?? '';
  test('migration 0003 indexes resources that were stored before it', async () => {
    const db: TestDatabase = await openTestDatabase();
    try {
      const v = visit();
      await db.submissions.saveSubmission(submission(v, submissionId('BACKFILL')));
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query('DROP TABLE search_token, search_string, search_reference, search_date, search_quantity, export_job');
        await client.query('DROP INDEX resource_type_id_live_idx');
        await client.query('ALTER TABLE submission DROP COLUMN source');
        await client.query('DELETE FROM schema_migration WHERE name = $1', [SEARCH_INDEX]);
      } finally {
        await client.end();
      }
      expect(await db.migrate()).toEqual([SEARCH_INDEX]);
      const found = await db.fhir.search.search(parseSearch('Observation', [['encounter', `Encounter/${v.encounterId}`], ['code', 'http://loinc.org|8480-6']]));
      expect(found.matches.map((m) => m.id)).toEqual([v.observations[0]?.id]);
      const patients = await db.fhir.search.search(parseSearch('Patient', [['identifier', v.nik]]));
      expect(patients.matches).toHaveLength(1);
    } finally {
      await db.drop();
    }
  });
}
