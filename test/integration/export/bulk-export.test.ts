import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Resource } from 'fhir/r4';
import { createIlpValidator } from '../../../src/validation/ilp/ilp-validator';

const validator = createIlpValidator();
import { testDbKind } from '../../support/database';
import { example, uniqueId } from '../../support/submissions';
import { getJson, postJson, startFhirGateway, vendorTransaction, type Json } from '../fhir/fhir-support';

/** Bulk Data Access IG 2.0 (export.html): kick-off → poll → manifest → NDJSON download, over real HTTP. */
let gw: Awaited<ReturnType<typeof startFhirGateway>>;
let base: string;
const ASYNC = { Prefer: 'respond-async', Accept: 'application/fhir+json' };

beforeAll(async () => {
  // Three resources per file, so that splitting is exercised on a small data set.
  gw = await startFhirGateway({ EXPORT_FILE_MAX_RESOURCES: '3' });
  base = `${gw.url}/fhir`;
  expect((await postJson(`${gw.url}/ilp/v1/encounters`, { ...example(), submissionId: uniqueId('EXPORT') })).status).toBe(202);
  expect((await postJson(base, vendorTransaction({ nik: '3174010101901001', village: '3174061003' }))).status).toBe(200);
});

afterAll(async () => {
  await gw?.close();
});

interface Manifest { transactionTime: string; request: string; requiresAccessToken: boolean; output: { type: string; url: string; count: number }[]; error: unknown[] }

async function kickoff(path: string): Promise<string> {
  const res = await fetch(`${base}/${path}`, { headers: ASYNC });
  expect(res.status).toBe(202);
  const location = res.headers.get('content-location');
  expect(location).toMatch(new RegExp(`^${base}/bulkstatus/[0-9a-f-]{36}$`));
  return location ?? '';
}

async function waitForManifest(status: string): Promise<Manifest> {
  for (let i = 0; i < 200; i++) {
    const res = await getJson(status);
    if (res.status === 200) return res.body as unknown as Manifest;
    if (res.status !== 202) throw new Error(`status ${res.status}: ${JSON.stringify(res.body)}`);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.headers.get('x-progress')).toMatch(/resources/);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`export ${status} did not finish`);
}

async function download(manifest: Manifest): Promise<Resource[]> {
  const resources: Resource[] = [];
  for (const file of manifest.output) {
    const res = await fetch(file.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/fhir+ndjson');
    const lines = (await res.text()).split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(file.count);
    for (const line of lines) {
      const resource = JSON.parse(line) as Resource;
      expect(resource.resourceType).toBe(file.type);
      expect(validator.validate(resource).filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
      resources.push(resource);
    }
  }
  return resources;
}

const countOf = async (query: string): Promise<number> => ((await getJson(`${base}/${query}`)).body.total as number);

describe(`Bulk $export on ${testDbKind()}`, () => {
  test('system export round trip: every stored resource once, in files of at most 3, each line valid FHIR', async () => {
    const manifest = await waitForManifest(await kickoff('$export'));
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.request).toBe(`${base}/$export`);
    expect(Date.parse(manifest.transactionTime)).not.toBeNaN();
    expect(manifest.error).toEqual([]);
    expect(manifest.output.every((f) => f.count >= 1 && f.count <= 3)).toBe(true);
    const resources = await download(manifest);
    for (const type of ['Patient', 'Encounter', 'Observation', 'Condition', 'CarePlan']) {
      const exported = resources.filter((r) => r.resourceType === type);
      expect(exported.length).toBe(await countOf(`${type}?_summary=count`));
      expect(new Set(exported.map((r) => r.id)).size).toBe(exported.length);
    }
    expect(manifest.output.filter((f) => f.type === 'Observation').length).toBeGreaterThan(1);
  });

  test('_type, _typeFilter (code and region) and Patient-level export', async () => {
    const typed = await download(await waitForManifest(await kickoff('$export?_type=Patient,Encounter')));
    expect(new Set(typed.map((r) => r.resourceType))).toEqual(new Set(['Patient', 'Encounter']));
    const filter = encodeURIComponent('Observation?code=http://loinc.org|8480-6');
    const systolic = await download(await waitForManifest(await kickoff(`$export?_type=Observation&_typeFilter=${filter}`)));
    expect(systolic).toHaveLength(2);
    const region = encodeURIComponent('Observation?village=3174061003');
    const village = await download(await waitForManifest(await kickoff(`Patient/$export?_type=Observation&_typeFilter=${region}`)));
    expect(village).toHaveLength(1);
  });

  test('_since exports only what changed after it', async () => {
    const first = await waitForManifest(await kickoff('$export?_type=Encounter'));
    expect((await postJson(base, vendorTransaction({ nik: '3174010101901002', village: '3174061003' }))).status).toBe(200);
    const since = encodeURIComponent(first.transactionTime);
    const later = await download(await waitForManifest(await kickoff(`$export?_type=Encounter,Patient&_since=${since}`)));
    expect(later.map((r) => r.resourceType).sort()).toEqual(['Encounter', 'Patient']);
    expect(later.every((r) => (r.meta?.lastUpdated ?? '') > first.transactionTime)).toBe(true);
  });

  test('Group/{id}/$export exports the members and their resources; an unknown Group is 404', async () => {
    const tx = await postJson(base, vendorTransaction({ nik: '3174010101901003', village: '3174061003' }));
    const patientRef = ((tx.body.entry as Json[])[0] as { response: { location: string } }).response.location.split('/_history')[0];
    const group = { resourceType: 'Group', id: 'posyandu-melati', type: 'person', actual: true, member: [{ entity: { reference: patientRef } }] };
    // A Group alone has nothing to relay, so POST /fhir refuses it (FHIR-NOTHING-TO-RELAY): stored through the store port.
    const groupBundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:6f1c1a52-8d4e-4f0e-9d36-6a3f0f6f2c11', resource: group, request: { method: 'PUT', url: 'Group/posyandu-melati' } }] } as Bundle;
    await gw.db.submissions.saveSubmission({ organizationId: '10000005', submissionId: 'group-melati', payload: groupBundle, payloadHash: 'group-melati', bundle: groupBundle, warnings: [] });
    const members = await download(await waitForManifest(await kickoff('Group/posyandu-melati/$export')));
    expect(members.filter((r) => r.resourceType === 'Patient').map((r) => `Patient/${r.id}`)).toEqual([patientRef]);
    expect(members.map((r) => r.resourceType).sort()).toEqual(['Encounter', 'Observation', 'Patient']);
    expect((await fetch(`${base}/Group/nobody/$export`, { headers: ASYNC })).status).toBe(404);
  });

  test('DELETE cancels: the status URL is gone and the files are removed', async () => {
    const status = await kickoff('$export');
    const manifest = await waitForManifest(status);
    const id = status.split('/').pop() ?? '';
    expect(existsSync(join(gw.exportDir, id))).toBe(true);
    expect((await fetch(status, { method: 'DELETE' })).status).toBe(202);
    expect((await getJson(status)).status).toBe(404);
    expect((await fetch(manifest.output[0]?.url ?? '')).status).toBe(404);
    expect((await fetch(status, { method: 'DELETE' })).status).toBe(404);
    for (let i = 0; i < 50 && existsSync(join(gw.exportDir, id)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(gw.exportDir)).not.toContain(id);
  });

  test('kick-off errors: no Prefer header, unknown parameter, bad _since, foreign _outputFormat', async () => {
    const noPrefer = await getJson(`${base}/$export`);
    expect(noPrefer.status).toBe(400);
    expect(noPrefer.body.resourceType).toBe('OperationOutcome');
    for (const q of ['patient=Patient/1', '_since=yesterday', '_outputFormat=text/csv', '_type=Organization', '_typeFilter=Observation%3F_count%3D1']) {
      const res = await fetch(`${base}/$export?${q}`, { headers: ASYNC });
      expect(res.status).toBe(400);
    }
    expect((await getJson(`${base}/bulkstatus/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});
