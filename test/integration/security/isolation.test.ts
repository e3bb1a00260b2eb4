/**
 * Tenant isolation end to end (issue 8 items 1-4, docs/decisions/0010): per-organisation Patients,
 * ministry and district views, Bulk export filtered at kick-off, security headers on every answer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDbKind } from '../../support/database';
import { patientId } from '../../../src/mapping/patient';
import { NIK, NIK_JKT, ORG_A, ORG_B, VILLAGE_JAKARTA, VILLAGE_LUMAJANG, fingerprint, send, startBench, visit, type Bench } from './security-support';

let b: Bench;
beforeAll(async () => { b = await startBench(); }, 120_000);
afterAll(async () => { await b?.close(); });

const NIK_QUERY = `identifier=${encodeURIComponent(`https://fhir.kemkes.go.id/id/nik|${NIK}`)}`;
const ASYNC = { Prefer: 'respond-async' };
type Entry = { resource: { resourceType: string; id: string; name?: { text?: string }[]; telecom?: { value?: string }[] } };
const ids = (body: Record<string, unknown>): string[] => ((body.entry as Entry[] | undefined) ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`).sort();

/** Kicks an export off as `client`, waits for it, and returns the ids of every exported resource by type. */
async function exportAs(client: string, path: string): Promise<Record<string, string[]>> {
  const kick = await send(b.url, 'GET', path, b.tokens[client], undefined, ASYNC);
  expect(kick.status).toBe(202);
  const status = kick.headers.get('content-location') ?? '';
  for (let i = 0; i < 200; i += 1) {
    const poll = await fetch(status, { headers: { Authorization: `Bearer ${b.tokens[client] ?? ''}` } });
    if (poll.status === 200) {
      const manifest = (await poll.json()) as { output: { type: string; url: string }[] };
      const out: Record<string, string[]> = {};
      for (const file of manifest.output) {
        const name = file.url.split('/').pop() ?? '';
        const jobId = file.url.split('/').slice(-2)[0] ?? '';
        const lines = readFileSync(join(b.exportDir, jobId, name), 'utf8').split('\n').filter(Boolean);
        (out[file.type] ??= []).push(...lines.map((l) => (JSON.parse(l) as { id: string }).id));
      }
      for (const k of Object.keys(out)) out[k]?.sort();
      return out;
    }
    expect(poll.status).toBe(202);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('export did not finish');
}

describe(`tenant isolation on ${testDbKind()}`, () => {
  test('one NIK, two organisations: two local Patients; B\'s visit never changes A\'s record', async () => {
    const before = await b.db.resources.read('Patient', b.ids.patientA);
    const hostile = visit(ORG_B, NIK, VILLAGE_LUMAJANG, 'Nama Palsu');
    hostile.patient.phone = '081299999999';
    const res = await send(b.url, 'POST', '/ilp/v1/encounters', b.tokens['vendor-b'], hostile);
    expect(res.status).toBe(202);
    const after = await b.db.resources.read('Patient', b.ids.patientA);
    expect(after?.versionId).toBe(before?.versionId);
    expect(after?.resource).toEqual(before?.resource);
    const own = await b.db.resources.read('Patient', b.ids.patientB);
    expect((own?.resource as Entry['resource']).name?.[0]?.text).toBe('Nama Palsu');
  });

  test('the Patient id derivation is per organisation and stable', () => {
    expect(patientId(ORG_A, { nik: NIK })).toBe(b.ids.patientA);
    expect(patientId(ORG_A, { nik: NIK })).not.toBe(patientId(ORG_B, { nik: NIK }));
  });

  test('ministry finds every organisation\'s record of a NIK; each vendor only its own', async () => {
    const ministry = await send(b.url, 'GET', `/fhir/Patient?${NIK_QUERY}`, b.tokens.ministry);
    expect(ids(ministry.body)).toEqual([`Patient/${b.ids.patientA}`, `Patient/${b.ids.patientB}`].sort());
    const a = await send(b.url, 'GET', `/fhir/Patient?${NIK_QUERY}`, b.tokens['vendor-a']);
    expect(ids(a.body)).toEqual([`Patient/${b.ids.patientA}`]);
    // The ministry reads either record; the vendors read only their own.
    expect((await send(b.url, 'GET', `/fhir/Patient/${b.ids.patientB}`, b.tokens.ministry)).status).toBe(200);
    expect((await send(b.url, 'GET', `/fhir/Patient/${b.ids.patientB}`, b.tokens['vendor-a'])).status).toBe(404);
  });

  test('Bulk export: each caller gets only what it may read (filter recorded at kick-off)', async () => {
    const vendorB = await exportAs('vendor-b', '/fhir/Patient/$export?_type=Patient');
    expect(vendorB.Patient).toEqual([b.ids.patientB]);
    const district = await exportAs('district', '/fhir/$export?_type=Patient,Encounter');
    expect(district.Patient).toEqual([b.ids.patientA, b.ids.patientB].sort());
    expect(district.Encounter?.length).toBeGreaterThanOrEqual(2);
    const ministry = await exportAs('ministry', '/fhir/$export?_type=Patient');
    expect(ministry.Patient).toEqual([b.ids.patientA, b.ids.patientAJkt, b.ids.patientB].sort());
  });

  test('district: a Patient who moves away leaves the region; visits made while living there stay visible, the Patient is not included', async () => {
    const moved = visit(ORG_A, NIK, VILLAGE_JAKARTA, 'Sari Dewi');
    expect((await send(b.url, 'POST', '/ilp/v1/encounters', b.tokens['vendor-a'], moved)).status).toBe(202);
    expect((await send(b.url, 'GET', `/fhir/Patient/${b.ids.patientA}`, b.tokens.district)).status).toBe(404);
    const search = await send(b.url, 'GET', `/fhir/Encounter?subject=Patient/${b.ids.patientA}&_include=Encounter:subject`, b.tokens.district);
    expect(search.status).toBe(200);
    const found = ids(search.body);
    expect(found.some((r) => r.startsWith('Encounter/'))).toBe(true);
    expect(found).not.toContain(`Patient/${b.ids.patientA}`);
    // The Jakarta visit itself is outside the region.
    expect(found.length).toBeLessThan(((await send(b.url, 'GET', `/fhir/Encounter?subject=Patient/${b.ids.patientA}`, b.tokens.ministry)).body.entry as unknown[]).length);
  });

  test.each([
    ['GET', '/fhir/metadata', undefined],
    ['GET', '/healthz', undefined],
    ['GET', '/fhir/Patient', undefined],
    ['GET', '/no/such/route', 'vendor-a'],
    ['GET', `/fhir/Patient/${patientId(ORG_A, { nik: NIK_JKT })}`, 'vendor-a'],
    ['GET', '/ilp/v1/openapi.json', undefined],
  ])('security headers on %s %s', async (method, path, client) => {
    const res = await send(b.url, method, path, client ? b.tokens[client] : undefined);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  test('a refused export kick-off creates no job', async () => {
    const before = await fingerprint(b);
    const res = await send(b.url, 'GET', '/fhir/$export?_type=Patient,Observation', b.tokens['patient-reader'], undefined, ASYNC);
    expect(res.status).toBe(403);
    await new Promise((r) => setTimeout(r, 200));
    expect(await fingerprint(b)).toEqual(before);
  });
});
