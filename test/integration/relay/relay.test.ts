import { randomBytes } from 'node:crypto';
import { testDbKind } from '../../support/database';
import { newNik } from '../../support/bundles';
import { json, startRelayHarness, status, submit, visitPayload, waitForStatus, type RelayHarness } from './harness';

const SANDBOX_IHS = 'P02478375538'; // NIK 9271060312000001, the example's patient (satusehat-api.md §2.2)
const ENCOUNTER_SYSTEM = 'http://sys-ids.kemkes.go.id/encounter/10000005';

interface ResourceView { resourceType: string; id: string; nationalId?: string }

describe(`relay to the simulator (${testDbKind()})`, () => {
  let h: RelayHarness;
  beforeAll(async () => { h = await startRelayHarness(); });
  afterAll(async () => { await h?.close(); });

  test('happy path: every resource gets its national id, the patient its IHS number, and the platform holds the visit once', async () => {
    const payload = visitPayload();
    const id = await submit(h.url, payload);
    const done = await waitForStatus(h.url, id, ['delivered', 'rejected', 'failed']);
    expect(done.status).toBe('delivered');
    const resources = done.resources as ResourceView[];
    // The example's four TB symptoms and the derived TB screen are coded only in our CodeSystem
    // (RuleNumber 10010 would refuse them): they stay local, everything else gets a national id.
    const localOnly = resources.filter((r) => !r.nationalId);
    expect(localOnly.map((r) => r.resourceType)).toEqual(Array(5).fill('Observation'));
    expect(resources.length - localOnly.length).toBe(14);
    expect(resources.find((r) => r.resourceType === 'Patient')?.nationalId).toBe(SANDBOX_IHS);
    const encounter = resources.find((r) => r.resourceType === 'Encounter');
    const national = h.sim.state.read('Encounter', encounter?.nationalId ?? '') as { subject?: { reference?: string }; diagnosis?: { condition: { reference: string } }[] } | undefined;
    expect(national?.subject?.reference).toBe(`Patient/${SANDBOX_IHS}`);
    const condition = resources.find((r) => r.resourceType === 'Condition');
    expect(national?.diagnosis?.[0]?.condition.reference).toBe(`Condition/${condition?.nationalId}`);
    expect(h.sim.state.stats.creates[`Encounter|${ENCOUNTER_SYSTEM}|${String(payload.submissionId)}`]).toBe(1);
  });

  test('a changed re-send is delivered as updates (PUT) of the same national resources', async () => {
    const payload = visitPayload();
    const id = await submit(h.url, payload);
    const first = await waitForStatus(h.url, id, ['delivered']);
    await submit(h.url, { ...payload, end: '2024-07-29T09:10:00+07:00' });
    const second = await waitForStatus(h.url, id, ['delivered']);
    expect(second.version).toBe(2);
    const ids = (v: typeof first) => Object.fromEntries((v.resources as ResourceView[]).map((r) => [`${r.resourceType}/${r.id}`, r.nationalId]));
    expect(ids(second)).toEqual(ids(first));
    const encounterId = (second.resources as ResourceView[]).find((r) => r.resourceType === 'Encounter')?.nationalId ?? '';
    expect((h.sim.state.read('Encounter', encounterId) as { period?: { end?: string } }).period?.end).toBe('2024-07-29T02:10:00+00:00');
    expect(h.sim.state.stats.creates[`Encounter|${ENCOUNTER_SYSTEM}|${String(payload.submissionId)}`]).toBe(1);
  });

  test('a patient not in the MPI fails with a clear reason when creating patients is disabled', async () => {
    const payload = visitPayload();
    (payload.patient as Record<string, unknown>).nik = newNik();
    const id = await submit(h.url, payload);
    const done = await waitForStatus(h.url, id, ['delivered', 'rejected', 'failed']);
    expect(done.status).toBe('failed');
    expect(JSON.stringify(done.nationalOutcome)).toContain('RELAY-PATIENT-UNKNOWN');
    const listed = await json(`${h.url}/admin/v1/submissions?status=failed`);
    expect((listed.body.items as { id: string }[]).map((i) => i.id)).toContain(id);
  });

  test('credentials cannot be stored without CREDENTIALS_KEY (secrets are encrypted at rest)', async () => {
    const put = await json(`${h.url}/admin/v1/credentials/10000077`, { method: 'PUT', body: JSON.stringify({ clientId: 'c', clientSecret: 's' }) });
    expect(put.status).toBe(409);
    expect(JSON.stringify(put.body)).toContain('ADMIN-NO-CREDENTIALS-KEY');
  });

  test('token expiry mid-run: the relay gets a new token and delivers', async () => {
    const before = h.sim.state.stats.tokensIssued;
    h.sim.state.expireTokens();
    const id = await submit(h.url, visitPayload());
    expect((await waitForStatus(h.url, id, ['delivered', 'failed', 'rejected'])).status).toBe('delivered');
    expect(h.sim.state.stats.tokensIssued).toBeGreaterThan(before);
  });

  test('paused organisation: nothing is sent until it is resumed', async () => {
    const paused = await json(`${h.url}/admin/v1/organizations/10000005/pause`, { method: 'PUT', body: JSON.stringify({ reason: 'test: maintenance window' }) });
    expect(paused.status).toBe(200);
    const id = await submit(h.url, visitPayload());
    await new Promise((r) => setTimeout(r, 500));
    expect((await status(h.url, id)).status).toBe('accepted');
    expect((await json(`${h.url}/admin/v1/organizations/10000005/pause`, { method: 'DELETE' })).status).toBe(200);
    expect((await waitForStatus(h.url, id, ['delivered', 'failed', 'rejected'])).status).toBe('delivered');
  });

  test('a lost response (stored, connection dropped) is not sent twice: the retry finds the visit by its identifier', async () => {
    h.sim.setFaults({ dropAfterCommit: 1 });
    const payload = visitPayload();
    const id = await submit(h.url, payload);
    const key = `Encounter|${ENCOUNTER_SYSTEM}|${String(payload.submissionId)}`;
    for (let i = 0; i < 100 && h.sim.state.stats.creates[key] === undefined; i += 1) await new Promise((r) => setTimeout(r, 20));
    h.sim.setFaults({ dropAfterCommit: 0 });
    const done = await waitForStatus(h.url, id, ['delivered', 'failed', 'rejected']);
    expect(done.status).toBe('delivered');
    expect(h.sim.state.stats.creates[key]).toBe(1);
    const encounter = (done.resources as ResourceView[]).find((r) => r.resourceType === 'Encounter');
    expect(h.sim.state.find('Encounter', ENCOUNTER_SYSTEM, String(payload.submissionId))[0]?.id).toBe(encounter?.nationalId);
  });
});

describe(`relay rejections and re-queue (${testDbKind()})`, () => {
  let h: RelayHarness;
  beforeAll(async () => {
    h = await startRelayHarness({ RELAY_CREATE_PATIENTS: '1' });
  });
  afterAll(async () => { await h?.close(); });

  test('a patient not in the MPI is created when allowed, and the visit refers to the new IHS number', async () => {
    const payload = visitPayload();
    const nik = newNik();
    (payload.patient as Record<string, unknown>).nik = nik;
    const id = await submit(h.url, payload);
    const done = await waitForStatus(h.url, id, ['delivered', 'failed', 'rejected']);
    expect(done.status).toBe('delivered');
    const ihs = (done.resources as ResourceView[]).find((r) => r.resourceType === 'Patient')?.nationalId ?? '';
    expect(ihs).toMatch(/^P\d{11}$/);
    expect(h.sim.state.find('Patient', 'https://fhir.kemkes.go.id/id/nik', nik).map((p) => p.id)).toEqual([ihs]);
  });

  test('a permanent refusal is rejected with the national OperationOutcome, listed, and delivered after a re-queue', async () => {
    // The client is bound to another organisation: every sys-ids identifier fails RuleNumber 10117.
    h.sim.state.clients.set('sim-10000005', { secret: 'sim-secret-10000005', orgId: '10000099' });
    h.sim.state.expireTokens();
    const id = await submit(h.url, visitPayload());
    const done = await waitForStatus(h.url, id, ['delivered', 'failed', 'rejected']);
    expect(done.status).toBe('rejected');
    expect(JSON.stringify(done.nationalOutcome)).toContain('(RuleNumber: 10117)');
    const listed = await json(`${h.url}/admin/v1/submissions?status=rejected`);
    expect((listed.body.items as { id: string }[]).map((i) => i.id)).toEqual([id]);

    h.sim.state.clients.delete('sim-10000005');
    h.sim.state.expireTokens();
    const requeued = await json(`${h.url}/admin/v1/submissions/requeue`, { method: 'POST', body: JSON.stringify({ ids: [id], reason: 'client re-bound to 10000005' }) });
    expect(requeued.body.requeued).toEqual([id]);
    expect((await waitForStatus(h.url, id, ['delivered', 'failed', 'rejected'])).status).toBe('delivered');
    const events = await json(`${h.url}/admin/v1/submissions/${id}/events`);
    expect((events.body.items as { kind: string; detail: { reason?: string } }[]).map((e) => e.kind)).toEqual(['rejected', 'requeued', 'delivered']);
    expect((events.body.items as { detail: { reason?: string } }[])[1]?.detail.reason).toBe('client re-bound to 10000005');
  });

  test('re-queue needs a reason and only takes failed or rejected submissions', async () => {
    expect((await json(`${h.url}/admin/v1/submissions/requeue`, { method: 'POST', body: JSON.stringify({ ids: ['x'] }) })).status).toBe(400);
    const id = await submit(h.url, visitPayload());
    await waitForStatus(h.url, id, ['delivered']);
    const r = await json(`${h.url}/admin/v1/submissions/requeue`, { method: 'POST', body: JSON.stringify({ ids: [id], reason: 'why not' }) });
    expect(r.body).toEqual({ requeued: [], notRequeued: [id] });
  });
});

describe(`relay: refused credentials and outages (${testDbKind()})`, () => {
  let h: RelayHarness;
  beforeAll(async () => {
    // One attempt only: what follows must not use attempts up.
    h = await startRelayHarness({ CREDENTIALS_KEY: randomBytes(32).toString('base64'), RELAY_MAX_ATTEMPTS: '1' }, { lockoutSeconds: 1 });
  });
  afterAll(async () => { await h?.close(); });

  test('a refused secret pauses the organisation (visible in the admin API) and leaves the visit pending without using an attempt', async () => {
    const creds = (secret: string) => json(`${h.url}/admin/v1/credentials/10000005`, { method: 'PUT', body: JSON.stringify({ clientId: 'sim-10000005', clientSecret: secret }) });
    expect((await creds('wrong-secret')).status).toBe(200);
    const id = await submit(h.url, visitPayload());
    let paused: { organizationId: string; reason: string }[] = [];
    for (let i = 0; i < 200 && paused.length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      paused = (await json(`${h.url}/admin/v1/organizations/paused`)).body.items as typeof paused;
    }
    expect(paused.map((p) => p.organizationId)).toEqual(['10000005']);
    expect(paused[0]?.reason).toContain('refused the credentials');
    const waiting = await status(h.url, id);
    expect(['accepted', 'relaying']).toContain(waiting.status);
    expect((await h.db.relay.stats()).failed).toBe(0);
    const events = (await json(`${h.url}/admin/v1/submissions/${id}/events`)).body.items as { kind: string; detail: { attempts?: number; paused?: boolean } }[];
    expect(events.map((e) => [e.kind, e.detail.paused])).toEqual([['retry', true]]);

    await new Promise((r) => setTimeout(r, 1100)); // the simulator's lock-out after a wrong secret
    expect((await creds('sim-secret-10000005')).status).toBe(200);
    expect((await json(`${h.url}/admin/v1/organizations/10000005/pause`, { method: 'DELETE' })).status).toBeLessThan(300);
    const done = await waitForStatus(h.url, id, ['delivered', 'failed', 'rejected']);
    expect(done.status).toBe('delivered');
    const after = (await json(`${h.url}/admin/v1/submissions/${id}/events`)).body.items as { kind: string; detail: { attempts?: number } }[];
    expect(after.at(-1)).toMatchObject({ kind: 'delivered', detail: { attempts: 1 } }); // the paused claim was not counted
  });

  test('an outage (5xx on every call) does not use up RELAY_MAX_ATTEMPTS: the visit is delivered when the platform is back', async () => {
    h.sim.setFaults({ error5xx: 1 });
    const id = await submit(h.url, visitPayload());
    for (let i = 0; i < 200 && (h.sim.state.stats.faults['5xx'] ?? 0) < 4; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(h.sim.state.stats.faults['5xx']).toBeGreaterThanOrEqual(4);
    expect(['accepted', 'relaying']).toContain((await status(h.url, id)).status);
    h.sim.setFaults({ error5xx: 0 });
    expect((await waitForStatus(h.url, id, ['delivered', 'failed', 'rejected'])).status).toBe('delivered');
  });
});
