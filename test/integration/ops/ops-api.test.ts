/**
 * Issue 11 items 2-4 through the JSON API (real gateway, authentication ON, relay to the simulator,
 * real sockets, PostgreSQL or PGlite): intake attempts of refused requests, conformance, the
 * transaction log with NIK masking by role and re-send, relay health, and the access decision.
 */
import { testDbKind } from '../../support/database';
import type { Json } from '../../support/submissions';
import { vendorTransaction } from '../fhir/fhir-support';
import { NIK, ORG_A, ORG_B, send, sql, startOpsBench, visit, type OpsBench } from './ops-support';

let b: OpsBench;
beforeAll(async () => { b = await startOpsBench(); }, 120_000);
afterAll(async () => { await b?.close(); });

const t = (client: string): string => b.tokens[client] ?? '';
const as = (client: string, method: string, path: string, body?: unknown) => send(b.url, method, path, t(client), body);

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function statusOf(id: string, wanted: string[]): Promise<string> {
  return waitFor(`submission ${id} to be ${wanted.join('|')}`, async () => {
    const s = String((await as('vendor-a', 'GET', `/ilp/v1/submissions/${id}`)).body.status);
    return wanted.includes(s) ? s : undefined;
  });
}

describe(`operations API (${testDbKind()})`, () => {
  let refusedAt: string;
  const accepted: string[] = [];

  test('a refused ILP visit is recorded with client, organisation, codes and elements, and its payload masked', async () => {
    refusedAt = new Date(Date.now() - 1000).toISOString();
    const bad = visit(ORG_A, (s) => {
      s.patient.nik = '92710603120000';
    });
    const res = await as('vendor-a', 'POST', '/ilp/v1/encounters', bad);
    expect(res.status).toBe(422);
    await b.flush();
    const rows = await sql<{ client_id: string; organization_id: string; endpoint: string; status: number; error_codes: string[]; expressions: string[]; payload: string }>(
      b.db, `SELECT client_id, organization_id, endpoint, status, error_codes, expressions, payload::text AS payload FROM intake_attempt ORDER BY id`);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ client_id: 'vendor-a', organization_id: ORG_A, endpoint: 'ilp', status: 422 });
    expect(row?.error_codes).toEqual(expect.arrayContaining(['ILP-NIK-INVALID']));
    expect(row?.expressions).toEqual(expect.arrayContaining(['patient.nik']));
    // Personal data never reaches the table; the area code and the clinical structure stay.
    for (const secret of ['92710603120000', 'Rina Wulandari', '081234567890', 'Jl. Melati', 'Bidan Siti Aminah']) expect(row?.payload).not.toContain(secret);
    expect(row?.payload).toContain('3508012001');
    expect(row?.payload).toContain('systolic-bp');
    expect(row?.payload).toContain('"nik": "**************"');
  });

  test('malformed JSON is recorded without a payload; an unauthenticated request is not recorded', async () => {
    const before = (await sql<{ n: number }>(b.db, 'SELECT count(*)::int AS n FROM intake_attempt'))[0]?.n ?? 0;
    expect((await as('vendor-a', 'POST', '/ilp/v1/encounters', '{"organizationId": "10000005",')).status).toBe(400);
    expect((await send(b.url, 'POST', '/ilp/v1/encounters', undefined, visit(ORG_A))).status).toBe(401);
    await b.flush();
    const rows = await sql<{ status: number; payload: unknown; error_codes: string[] }>(b.db, 'SELECT status, payload, error_codes FROM intake_attempt ORDER BY id OFFSET $1', [before]);
    expect(rows).toEqual([{ status: 400, payload: null, error_codes: ['HTTP-BODY-MALFORMED'] }]);
  });

  test('a refused FHIR transaction and a refused $import line are recorded too', async () => {
    const tx = await as('vendor-a', 'POST', '/fhir', { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Patient', gender: 'nope' }, request: { method: 'POST', url: 'Patient' } }] });
    expect(tx.status).toBeGreaterThanOrEqual(400);
    expect(tx.status).toBeLessThan(500);
    const good = visit(ORG_A);
    const res = await fetch(`${b.url}/ilp/v1/encounters/$import`, {
      method: 'POST', headers: { Authorization: `Bearer ${t('vendor-a')}`, 'Content-Type': 'application/x-ndjson' },
      body: `${JSON.stringify(good)}\n{"organizationId": 12}\n`,
    });
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(lines.map((l) => l.status)).toEqual([202, 422]);
    accepted.push(String(lines[0]?.id));
    await b.flush();
    const rows = await sql<{ endpoint: string; line: number | null; client_id: string }>(b.db, `SELECT endpoint, line, client_id FROM intake_attempt WHERE endpoint <> 'ilp' ORDER BY id`);
    expect(rows).toEqual([{ endpoint: 'fhir', line: null, client_id: 'vendor-a' }, { endpoint: 'ilp-import', line: 2, client_id: 'vendor-a' }]);
    const attributed = await sql<{ client_id: string | null }>(b.db, 'SELECT client_id FROM submission_version WHERE submission_pk = $1', [accepted[0]]);
    expect(attributed).toEqual([{ client_id: 'vendor-a' }]);
  });

  test('an accepted FHIR transaction counts for the client that sent it', async () => {
    const bundle = { ...vendorTransaction({ nik: '3508015505900099', village: '3508012001', org: ORG_A }), identifier: { system: 'urn:test:ops', value: 'tx-1' } };
    const res = await send(b.url, 'POST', '/fhir', t('vendor-a'), bundle, { 'x-organization-id': ORG_A });
    expect(res.status).toBe(200);
    await b.flush();
    const rows = await sql<{ client_id: string | null }>(b.db,
      `SELECT v.client_id FROM submission_version v JOIN submission s ON s.pk = v.submission_pk WHERE s.submission_id = $1`, ['fhir:urn:test:ops|tx-1']);
    expect(rows).toEqual([{ client_id: 'vendor-a' }]);
  });

  test('a failure to record never turns the refusal into a 500, and the accepted path still answers 202', async () => {
    const original = b.db.ops.recordAttempts.bind(b.db.ops);
    b.db.ops.recordAttempts = () => Promise.reject(Object.assign(new Error('disk full'), { code: '53100' }));
    try {
      expect((await as('vendor-a', 'POST', '/ilp/v1/encounters', visit(ORG_A, (s) => { s.patient.nik = 'x'; }))).status).toBe(422);
      await b.flush();
      expect(b.app.ops?.attempts.dropped).toBeGreaterThanOrEqual(1);
    } finally {
      b.db.ops.recordAttempts = original;
    }
    for (let i = 0; i < 2; i += 1) {
      const res = await as('vendor-a', 'POST', '/ilp/v1/encounters', visit(ORG_A));
      expect(res.status).toBe(202);
      accepted.push(String(res.body.id));
    }
    const other = await as('vendor-b', 'POST', '/ilp/v1/encounters', visit(ORG_B, (s) => { s.patient.nik = '123'; }));
    expect(other.status).toBe(422);
    expect((await as('vendor-b', 'POST', '/ilp/v1/encounters', visit(ORG_B))).status).toBe(202);
    await b.flush();
  });

  test('a client over its payload quota still has its refusals counted, without their payloads', async () => {
    const quota = await startOpsBench({ INTAKE_ATTEMPT_PAYLOADS_PER_CLIENT_MINUTE: '2' });
    try {
      for (let i = 0; i < 6; i += 1) {
        expect((await send(quota.url, 'POST', '/ilp/v1/encounters', quota.tokens['vendor-a'], visit(ORG_A, (s) => { s.patient.nik = 'x'; }))).status).toBe(422);
      }
      await quota.flush();
      const rows = await sql<{ kept: boolean; codes: string[] }>(quota.db, `SELECT payload IS NOT NULL AS kept, error_codes AS codes FROM intake_attempt ORDER BY id`);
      // The six may straddle a minute's turn (two windows): 2 to 4 kept, never all 6.
      expect(rows).toHaveLength(6);
      expect(rows.every((r) => r.codes.includes('ILP-NIK-INVALID'))).toBe(true);
      const kept = rows.filter((r) => r.kept).length;
      expect(kept).toBeGreaterThanOrEqual(2);
      expect(kept).toBeLessThanOrEqual(4);
    } finally {
      await quota.close();
    }
  });

  test('conformance days follow Indonesian time (tz), and an unknown zone is a 400', async () => {
    // 20:30 UTC the day before yesterday is already the next day in Jakarta (UTC+7) and in Jayapura (UTC+9).
    // One reading of the clock for every day of the test: a CI run saw the expected day move under it.
    const now = Date.now();
    const day = (offset: number): string => new Date(now - ((now % 86_400_000) + offset * 86_400_000)).toISOString().slice(0, 10);
    await b.db.ops.recordAttempts([{ at: `${day(2)}T20:30:00.000Z`, clientId: 'vendor-b', organizationId: '99990001', endpoint: 'ilp', status: 422, issues: [] }]);
    const window = `organization=99990001&from=${day(3)}T00:00:00Z&to=${day(0)}T00:00:00Z`;
    const days = async (tz?: string) => {
      const res = await as('admin', 'GET', `/admin/v1/conformance?${window}${tz ? `&tz=${tz}` : ''}`);
      expect(res.status).toBe(200);
      return { tz: res.body.tz, buckets: ((res.body.total as { points: { bucket: string }[] }).points).map((x) => x.bucket) };
    };
    expect(await days()).toEqual({ tz: 'Asia/Jakarta', buckets: [day(1)] });
    expect(await days('UTC')).toEqual({ tz: 'UTC', buckets: [day(2)] });
    expect(await days('Asia/Jayapura')).toEqual({ tz: 'Asia/Jayapura', buckets: [day(1)] });
    const bad = await as('admin', 'GET', '/admin/v1/conformance?tz=Europe/Paris');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('tz');
  });

  test('conformance: share accepted per organisation and client, top errors, examples; another organisation stays hidden', async () => {
    const report = await as('admin', 'GET', '/admin/v1/conformance?bucket=day');
    expect(report.status).toBe(200);
    // Independently: accepted versions from the submission table, refusals from intake_attempt.
    const [acceptedA] = await sql<{ n: number }>(b.db, `SELECT count(*)::int AS n FROM submission_version v JOIN submission s ON s.pk = v.submission_pk WHERE s.organization_id = $1 AND v.client_id = 'vendor-a'`, [ORG_A]);
    const [refusedA] = await sql<{ n: number }>(b.db, `SELECT count(*)::int AS n FROM intake_attempt WHERE organization_id = $1 AND client_id = 'vendor-a'`, [ORG_A]);
    const groups = report.body.groups as { organizationId: string; clientId: string; accepted: number; refused: number; shareAccepted: number }[];
    const a = groups.find((g) => g.organizationId === ORG_A && g.clientId === 'vendor-a');
    expect(a).toMatchObject({ accepted: acceptedA?.n, refused: refusedA?.n });
    expect(a?.shareAccepted).toBeCloseTo((acceptedA?.n ?? 0) / ((acceptedA?.n ?? 0) + (refusedA?.n ?? 0)), 3);
    expect(groups.some((g) => g.organizationId === ORG_B)).toBe(true);
    const top = report.body.topErrors as { errorCode: string; expression: string | null; count: number; exampleId: string }[];
    const nik = top.find((e) => e.errorCode === 'ILP-NIK-INVALID' && e.expression === 'patient.nik');
    expect(nik?.count).toBe(2); // vendor A's first refusal and vendor B's (vendor A's third was not recorded: the store failed)
    const example = await as('admin', 'GET', `/admin/v1/intake-attempts/${nik?.exampleId}`);
    expect(example.status).toBe(200);
    expect(JSON.stringify(example.body)).not.toContain(NIK);

    const support = await as('support-a', 'GET', '/admin/v1/conformance');
    expect(support.status).toBe(200);
    expect((support.body.groups as { organizationId: string }[]).every((g) => g.organizationId === ORG_A)).toBe(true);
    const supportErrors = support.body.topErrors as { errorCode: string; count: number }[];
    expect(supportErrors.find((e) => e.errorCode === 'ILP-NIK-INVALID')?.count).toBe(1);
    const drill = await as('support-a', 'GET', '/admin/v1/intake-attempts?errorCode=ILP-NIK-INVALID');
    expect((drill.body.items as { organizationId: string }[]).map((i) => i.organizationId)).toEqual([ORG_A]);
    const foreign = (await as('admin', 'GET', `/admin/v1/intake-attempts?organization=${ORG_B}`)).body.items as { id: string }[];
    expect((await as('support-a', 'GET', `/admin/v1/intake-attempts/${foreign[0]?.id}`)).status).toBe(404);
  });

  test('transaction log: filters and keyset paging visit every row once; an organisation admin sees only its own', async () => {
    const all = await as('admin', 'GET', '/admin/v1/transactions?limit=500');
    const ids = (all.body.items as { id: string }[]).map((i) => i.id);
    const [n] = await sql<{ n: number }>(b.db, 'SELECT count(*)::int AS n FROM submission');
    expect(ids).toHaveLength(n?.n ?? -1);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await as('admin', 'GET', `/admin/v1/transactions?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      paged.push(...(page.body.items as { id: string }[]).map((i) => i.id));
      cursor = page.body.next as string | undefined;
    } while (cursor);
    expect(paged).toEqual(ids);
    const mine = await as('admin-a', 'GET', `/admin/v1/transactions?organization=${ORG_A}`);
    expect((mine.body.items as { organizationId: string }[]).every((i) => i.organizationId === ORG_A)).toBe(true);
    const theirs = await as('admin-a', 'GET', `/admin/v1/transactions?organization=${ORG_B}`);
    expect(theirs.body.items).toEqual([]);
    const future = await as('admin', 'GET', '/admin/v1/transactions?from=2100-01-01');
    expect(future.body.items).toEqual([]);
    const bad = await as('admin', 'GET', '/admin/v1/transactions?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.resourceType).toBe('OperationOutcome');
    expect((await as('admin', 'GET', '/admin/v1/transactions?cursor=garbage')).status).toBe(400);
  });

  test('detail: the organisation admin sees the NIK; support staff see it masked; another organisation answers 404', async () => {
    const id = accepted[1] ?? '';
    await statusOf(id, ['delivered']);
    const admin = await as('admin-a', 'GET', `/admin/v1/transactions/${id}`);
    expect(admin.status).toBe(200);
    expect(admin.body.nikVisible).toBe(true);
    expect((admin.body.payload as Json).patient.nik).toBe(NIK);
    const support = await as('support-a', 'GET', `/admin/v1/transactions/${id}`);
    expect(support.body.nikVisible).toBe(false);
    expect(JSON.stringify(support.body)).not.toContain(NIK);
    expect((support.body.payload as Json).patient.nik).toBe('****************');
    const resources = support.body.resources as { ref: string; resource?: Json; nationalId?: string }[];
    expect(resources.find((r) => r.ref.startsWith('Encounter/'))?.nationalId).toBeDefined();
    expect(resources.find((r) => r.ref.startsWith('Patient/'))?.resource?.resourceType).toBe('Patient');
    expect((support.body.events as { kind: string }[]).map((e) => e.kind)).toContain('delivered');
    expect((support.body.outbox as { status: string }[])[0]?.status).toBe('done');
    const [otherId] = (await sql<{ pk: string }>(b.db, 'SELECT pk FROM submission WHERE organization_id = $1', [ORG_B])).map((r) => r.pk);
    expect((await as('admin-a', 'GET', `/admin/v1/transactions/${otherId}`)).status).toBe(404);
    expect((await as('vendor-a', 'GET', `/admin/v1/transactions/${id}`)).status).toBe(403);
  });

  test('re-send of a rejected submission: admin only, reason required, audited, delivered once, idempotent', async () => {
    b.sim.state.clients.set(`sim-${ORG_A}`, { secret: `sim-secret-${ORG_A}`, orgId: '10000099' });
    b.sim.state.expireTokens();
    const res = await as('vendor-a', 'POST', '/ilp/v1/encounters', visit(ORG_A));
    const id = String(res.body.id);
    expect(await statusOf(id, ['rejected', 'delivered', 'failed'])).toBe('rejected');
    const listed = await as('support-a', 'GET', '/admin/v1/transactions?status=rejected');
    expect((listed.body.items as { id: string }[]).map((i) => i.id)).toEqual([id]);

    expect((await as('support-a', 'POST', '/admin/v1/transactions/resend', { ids: [id], reason: 'x' })).status).toBe(403);
    const noReason = await as('admin-a', 'POST', '/admin/v1/transactions/resend', { ids: [id] });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('OPS-RESEND-REASON');
    b.sim.state.clients.delete(`sim-${ORG_A}`);
    b.sim.state.expireTokens();
    const encountersBefore = b.sim.state.count('Encounter');
    const delivered = accepted[1] ?? '';
    const first = await as('admin-a', 'POST', '/admin/v1/transactions/resend', { ids: [id, delivered, '00000000-0000-4000-8000-000000000000'], reason: 'client re-bound to its organisation' });
    expect(first.status).toBe(200);
    expect(first.body.resent).toEqual([id]);
    expect(first.body.notResent).toEqual([{ id: delivered, why: 'delivered' }, { id: '00000000-0000-4000-8000-000000000000', why: 'not-found' }]);
    const again = await as('admin-a', 'POST', '/admin/v1/transactions/resend', { ids: [id], reason: 'clicked twice' });
    expect(again.body.resent).toEqual([]);
    expect(await statusOf(id, ['delivered', 'failed', 'rejected'])).toBe('delivered');
    expect(b.sim.state.count('Encounter')).toBe(encountersBefore + 1);
    const after = await as('admin', 'POST', '/admin/v1/transactions/resend', { ids: [id], reason: 'once more' });
    expect(after.body.notResent).toEqual([{ id, why: 'delivered' }]);

    const detail = await as('admin', 'GET', `/admin/v1/transactions/${id}`);
    const events = detail.body.events as { kind: string; detail: { reason?: string } }[];
    expect(events.map((e) => e.kind)).toEqual(['rejected', 'requeued', 'delivered']);
    expect(events[1]?.detail.reason).toBe('client re-bound to its organisation');
    await b.flush();
    const audit = await sql<{ client_id: string; content: Json }>(b.db, `SELECT client_id, content FROM audit_event WHERE 'admin-resend' = ANY(subtype) AND outcome = 0 ORDER BY recorded`);
    expect(audit[0]?.client_id).toBe('admin-a');
    expect(audit[0]?.content.purposeOfEvent).toEqual([{ text: 'client re-bound to its organisation' }]);
    expect(JSON.stringify(audit[0]?.content.entity)).toContain(id);
  });

  test('relay health: queue, oldest waiting visit, failures by cause, paused organisations and resume', async () => {
    expect((await as('admin-a', 'GET', '/admin/v1/relay/health')).status).toBe(403);
    await as('admin', 'PUT', `/admin/v1/organizations/${ORG_B}/pause`, { reason: 'credentials being rotated' });
    const waiting = await as('vendor-b', 'POST', '/ilp/v1/encounters', visit(ORG_B));
    expect(waiting.status).toBe(202);
    const h = await as('admin', 'GET', '/admin/v1/relay/health');
    expect(h.status).toBe(200);
    expect(h.body.running).toBe(true);
    expect((h.body.queue as Json).pending).toBeGreaterThanOrEqual(1);
    expect((h.body.oldest as Json).id).toBe(waiting.body.id);
    expect(h.body.paused).toEqual([expect.objectContaining({ organizationId: ORG_B, reason: 'credentials being rotated' })]);
    expect(h.body.waitingByOrganization).toEqual([{ organizationId: ORG_B, count: 1 }]);
    expect(Array.isArray(h.body.failures)).toBe(true);
    expect((await as('admin', 'DELETE', `/admin/v1/organizations/${ORG_B}/pause`)).status).toBe(200);
    expect(await waitFor('delivery after resume', async () => {
      const s = (await as('vendor-b', 'GET', `/ilp/v1/submissions/${String(waiting.body.id)}`)).body.status;
      return s === 'delivered' ? s : undefined;
    })).toBe('delivered');
    expect((await as('admin', 'GET', '/admin/v1/relay/health')).body.paused).toEqual([]);
  });

  test('the access decision: district clients, vendors and unknown callers are refused with OperationOutcomes', async () => {
    for (const path of ['/admin/v1/transactions', '/admin/v1/conformance', '/admin/v1/intake-attempts', '/admin/v1/relay/health']) {
      const d = await as('district', 'GET', path);
      expect(d.status).toBe(403);
      expect(JSON.stringify(d.body)).toContain('OPS-REGION-RESTRICTED');
      expect((await as('vendor-a', 'GET', path)).status).toBe(403);
      expect((await send(b.url, 'GET', path, undefined)).status).toBe(401);
    }
    expect((await as('admin', 'GET', '/admin/v1/transactions/not-a-uuid')).status).toBe(404);
    expect((await as('admin', 'GET', '/admin/v1/intake-attempts/abc')).status).toBe(404);
    expect((await as('admin', 'GET', '/admin/v1/conformance?bucket=month')).status).toBe(400);
    expect((await as('admin', 'GET', '/admin/v1/conformance?from=2020-01-01&to=2026-01-01')).status).toBe(400);
  });

  test('refused attempts older than the retention are purged', async () => {
    await sql(b.db, `UPDATE intake_attempt SET at = now() - interval '400 days' WHERE id = (SELECT min(id) FROM intake_attempt)`);
    expect(await b.app.ops?.purge()).toBe(1);
    expect(refusedAt).toBeDefined();
  });
});
