import { startBench, send, fingerprint, visit, ORG_A, NIK, VILLAGE_LUMAJANG, type Bench } from './security-support';

/**
 * Attacks found by the security review of the merged surfaces (each failed before its fix):
 * letter case of a path skipping the scope check of a sub-router, a restricted admin managing API
 * clients, a district client reading every region's audit trail, a NUL inside a batch GET entry.
 */

let b: Bench;
beforeAll(async () => { b = await startBench(); }, 120_000);
afterAll(async () => b?.close());

describe('review fixes', () => {
  test.each([
    ['PUT', '/pws/v1/Targets/3508012001/2026', 'vendor-a', { balita: 5 }],
    ['POST', '/pws/v1/TARGETS', 'vendor-a', 'villageCode,year,group,count\n3508012001,2026,balita,5\n'],
    ['POST', '/ilp/v1/Encounters', 'ministry', visit(ORG_A, NIK, VILLAGE_LUMAJANG)],
    ['GET', '/ilp/v1/Submissions/00000000-0000-4000-8000-000000000000', 'patient-reader', undefined],
  ])('%s %s by %s: a path in another letter case is no route (404), never a write past the policy', async (method, path, who, body) => {
    const before = await fingerprint(b);
    const headers: Record<string, string> = typeof body === 'string' ? { 'Content-Type': 'text/csv' } : {};
    const res = await send(b.url, method, path, b.tokens[who], body, headers);
    expect([403, 404]).toContain(res.status);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(await fingerprint(b)).toEqual(before);
    const targets = await b.db.pws.targets({ areaPrefix: '3508012001', organizations: 'all', regions: 'all' }, 2026, ['balita']);
    expect(targets.size).toBe(0);
  });

  test('a client restricted to one organisation cannot list, create or rotate API clients, even with the admin scope', async () => {
    expect((await send(b.url, 'GET', '/admin/v1/clients', b.tokens['org-admin'])).status).toBe(403);
    const create = await send(b.url, 'POST', '/admin/v1/clients', b.tokens['org-admin'], { clientId: 'evil-root', organizations: ['*'], scopes: ['admin'] }, { 'Content-Type': 'application/json' });
    expect(create.status).toBe(403);
    expect((await send(b.url, 'POST', '/admin/v1/clients/vendor-b/rotate-secret', b.tokens['org-admin'], {}, { 'Content-Type': 'application/json' })).status).toBe(403);
    expect((await b.db.clients.list()).some((c) => c.clientId === 'evil-root')).toBe(false);
  });

  test('a district client sees only its own audit events, not every region\'s', async () => {
    await send(b.url, 'GET', `/fhir/Patient/${b.ids.patientA}`, b.tokens.ministry);
    await send(b.url, 'GET', '/fhir/Patient?_count=1', b.tokens.district);
    await new Promise((r) => setTimeout(r, 1500)); // the recorder flushes every 250 ms
    const res = await send(b.url, 'GET', '/fhir/AuditEvent?_count=200', b.tokens.district);
    expect(res.status).toBe(200);
    const agents = ((res.body.entry ?? []) as { resource: { agent?: { altId?: string }[] } }[]).map((e) => e.resource.agent?.[0]?.altId);
    expect(agents).toContain('district');
    expect(agents.filter((a) => a !== 'district')).toEqual([]);
    const ministry = await send(b.url, 'GET', '/fhir/AuditEvent?_count=200&altid=ministry', b.tokens.ministry);
    expect((ministry.body.entry ?? []).length).toBeGreaterThan(0);
  });

  test('a NUL inside a batch GET entry is refused with 400 for that entry, before SQL', async () => {
    const batch = { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Observation?code=%00' } }, { request: { method: 'GET', url: 'Patient?identifier=%00' } }] };
    const res = await send(b.url, 'POST', '/fhir', b.tokens['vendor-a'], batch);
    expect(res.status).toBe(200);
    const statuses = (res.body.entry as { response: { status: string; outcome?: unknown } }[]).map((e) => e.response.status);
    expect(statuses).toEqual(['400 Bad Request', '400 Bad Request']);
    expect(JSON.stringify(res.body)).toContain('HTTP-TEXT-INVALID');
  });
});
