import { createSimulator, type Simulator } from '../../../src/sim/simulator';

/** The simulator over a real socket, as SATUSEHAT is described in satusehat-api.md. */
let sim: Simulator;
let base: string;
beforeAll(async () => {
  sim = createSimulator({ lockoutSeconds: 60 });
  base = await sim.listen(0);
});
afterAll(async () => { await sim.close(); });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function token(clientId = 'sim-10000005', secret = 'sim-secret-10000005'): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}/oauth2/v1/accesstoken?grant_type=client_credentials`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: clientId, client_secret: secret }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function fhir(path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const t = init.token ?? String((await token()).body.access_token);
  const res = await fetch(`${base}/fhir-r4/v1${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

const encounter = (value: string, org = '10000005'): Json => ({
  resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  identifier: [{ system: `http://sys-ids.kemkes.go.id/encounter/${org}`, value }],
  subject: { reference: 'Patient/P02478375538' }, participant: [{ individual: { reference: 'Practitioner/10009880728' } }],
  period: { start: '2024-07-29T01:15:00+00:00', end: '2024-07-29T01:50:00+00:00' },
  statusHistory: [{ status: 'finished', period: { start: '2024-07-29T01:15:00+00:00' } }], serviceProvider: { reference: 'Organization/10000005' },
});

describe('OAuth2 (§1.2–1.3)', () => {
  test('Apigee token answer: every value a string, expires_in 3599, BearerToken', async () => {
    const { status, body } = await token();
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'BearerToken', expires_in: '3599', refresh_token_expires_in: '0', status: 'approved' });
    expect(Object.values(body).filter((v) => !Array.isArray(v)).every((v) => typeof v === 'string')).toBe(true);
    expect(String(body.access_token)).toHaveLength(28);
  });

  test('a wrong secret locks the client for a minute, even with the right secret afterwards', async () => {
    sim.state.clients.set('lock-me', { secret: 'right', orgId: '10000008' });
    const wrong = await token('lock-me', 'wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.body.issue[0].severity).toBe('invalid');
    const locked = await token('lock-me', 'right');
    // §1.3 documents the message and only "4xx": not 429, no Retry-After.
    expect(locked.status).toBe(401);
    expect(JSON.stringify(locked.body)).toContain('Authentication temporarily cannot be performed due to the rate limit policy. Rate limit: 1 request per minute after a failed attempt.');
    expect((await token('nobody', 'x')).body).toEqual({ ErrorCode: 'invalid_client', Error: 'ClientId is Invalid' });
  });

  test('FHIR without a valid bearer: Apigee fault 401', async () => {
    const res = await fhir('/Patient?identifier=x', { token: 'nope' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ fault: { faultstring: 'Invalid access token', detail: { errorcode: 'oauth.v2.InvalidAccessToken' } } });
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });
});

describe('MPI (§2.2–2.3)', () => {
  test('search by NIK: found (sandbox patient) and an empty searchset', async () => {
    const found = await fhir(`/Patient?identifier=${encodeURIComponent('https://fhir.kemkes.go.id/id/nik|9271060312000001')}`);
    expect(found.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(found.body.entry[0].resource.id).toBe('P02478375538');
    const empty = await fhir(`/Patient?identifier=${encodeURIComponent('https://fhir.kemkes.go.id/id/nik|3171000000000001')}`);
    expect(empty.body).toMatchObject({ total: 0, entry: [] });
    expect(empty.body.link.map((l: Json) => l.relation)).toEqual(['search', 'first', 'self']);
  });

  test('patient create answers the non-FHIR body; a second create says the resource exists', async () => {
    const patient = { resourceType: 'Patient', identifier: [{ system: 'https://fhir.kemkes.go.id/id/nik', value: '3171000000000002' }], name: [{ text: 'X' }], gender: 'male', birthDate: '1990-01-01', address: [{}] };
    const created = await fhir('/Patient', { method: 'POST', body: JSON.stringify(patient) });
    expect(created.status).toBe(200);
    expect(created.body.success).toBe(true);
    expect(created.body.data['Patient ID:']).toMatch(/^P\d{11}$/);
    const again = await fhir('/Patient', { method: 'POST', body: JSON.stringify(patient) });
    expect(again.body).toEqual({ success: false, message: 'Patient Resource Exists', data: { resourceID: created.body.data['Patient ID:'] } });
    expect((await fhir('/Practitioner/10009880728')).status).toBe(200);
    expect((await fhir('/Practitioner/999')).status).toBe(404);
  });
});

describe('rules and duplicates (§5.1, §5.3)', () => {
  test('created with 201, meta.versionId = base64 of epoch nanoseconds; the same identifier again is a 400 duplicate', async () => {
    const created = await fhir('/Encounter', { method: 'POST', body: JSON.stringify(encounter('SIM-1')) });
    expect(created.status).toBe(201);
    const ns = Buffer.from(String(created.body.meta.versionId), 'base64').toString();
    expect(ns).toMatch(/^\d{19}$/);
    expect(Math.abs(Number(ns.slice(0, 13)) - Date.now())).toBeLessThan(60_000);
    const dup = await fhir('/Encounter', { method: 'POST', body: JSON.stringify(encounter('SIM-1')) });
    expect(dup.status).toBe(400);
    expect(dup.body.issue).toEqual([{ severity: 'error', code: 'duplicate', details: { text: 'Found duplicate resource: Encounter (RuleNumber: 20002)' } }]);
    const found = await fhir(`/Encounter?identifier=${encodeURIComponent('http://sys-ids.kemkes.go.id/encounter/10000005|SIM-1')}`);
    expect(found.body.entry.map((e: Json) => e.resource.id)).toEqual([created.body.id]);
  });

  test.each([
    ['organisation in the identifier system ≠ the token\'s (10117)', (e: Json) => { e.identifier[0].system = 'http://sys-ids.kemkes.go.id/encounter/100025753'; }, 'RuleNumber: 10117', 'Encounter.identifier[0].system'],
    ['missing serviceProvider (10124)', (e: Json) => { delete e.serviceProvider; }, 'Reference is mandatory : Encounter.serviceProvider (RuleNumber: 10124)', 'Encounter.serviceProvider'],
    ['local time (10132)', (e: Json) => { e.period.start = '2024-07-29T08:15:00+07:00'; }, 'Invalid date time format', 'Encounter.period.start'],
    ['future date (10132)', (e: Json) => { e.period.end = '2099-01-01T00:00:00+00:00'; }, 'Future Date', 'Encounter.period.end'],
    ['unknown patient (20007)', (e: Json) => { e.subject.reference = 'Patient/P00000000000'; }, 'Resource not found Patient/P00000000000', 'Encounter.subject'],
  ])('Encounter refused: %s', async (_name, change, text, expression) => {
    const e = encounter(`SIM-RULE-${Math.random()}`);
    change(e);
    const res = await fhir('/Encounter', { method: 'POST', body: JSON.stringify(e) });
    expect(res.status).toBe(400);
    expect(res.body.text.status).toBe('generated');
    expect(res.body.issue[0].details.text).toContain(text);
    expect(res.body.issue[0].expression).toEqual([expression]);
  });

  test('a UCUM-less unit is refused (10012)', async () => {
    const enc = await fhir('/Encounter', { method: 'POST', body: JSON.stringify(encounter('SIM-UCUM')) });
    const obs = {
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      subject: { reference: 'Patient/P02478375538' }, encounter: { reference: `Encounter/${enc.body.id}` }, performer: [{ reference: 'Practitioner/10009880728' }],
      valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mmHg' },
    };
    const bad = await fhir('/Observation', { method: 'POST', body: JSON.stringify(obs) });
    expect(bad.body.issue[0].details.text).toContain('(RuleNumber: 10012)');
    const good = await fhir('/Observation', { method: 'POST', body: JSON.stringify({ ...obs, valueQuantity: { ...obs.valueQuantity, code: 'mm[Hg]' } }) });
    expect(good.status).toBe(201);
    expect(good.body.identifier).toEqual([]);
  });
});

describe('transactions (§5.4)', () => {
  test('urn:uuid references resolved; transaction-response in request order with resourceType and resourceID', async () => {
    const e = 'urn:uuid:0a26ca28-0ea3-486d-8fa9-6f9edd37e567';
    const c = 'urn:uuid:ba5a7dec-023f-45e1-adb9-1b9d71737a5f';
    const bundle = {
      resourceType: 'Bundle', type: 'transaction', entry: [
        { fullUrl: e, request: { method: 'POST', url: 'Encounter' }, resource: { ...encounter('SIM-TX'), diagnosis: [{ condition: { reference: c } }] } },
        { fullUrl: c, request: { method: 'POST', url: 'Condition' }, resource: { resourceType: 'Condition', code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'A15.0' }] }, subject: { reference: 'Patient/P02478375538' }, encounter: { reference: e } } },
      ],
    };
    const res = await fhir('', { method: 'POST', body: JSON.stringify(bundle) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response', total: 2 });
    const [er, cr] = res.body.entry.map((x: Json) => x.response);
    expect([er.status, er.resourceType, cr.resourceType]).toEqual(['201 Created', 'Encounter', 'Condition']);
    expect(sim.state.read('Condition', cr.resourceID)).toMatchObject({ encounter: { reference: `Encounter/${er.resourceID}` } });
    expect(sim.state.read('Encounter', er.resourceID)).toMatchObject({ diagnosis: [{ condition: { reference: `Condition/${cr.resourceID}` } }] });
  });

  test('all or nothing: one bad entry refuses the whole Bundle, later entries "due to previous error"', async () => {
    const before = sim.state.count('Encounter');
    const bundle = {
      resourceType: 'Bundle', type: 'transaction', entry: [
        { fullUrl: 'urn:uuid:1a26ca28-0ea3-486d-8fa9-6f9edd37e567', request: { method: 'POST', url: 'Encounter' }, resource: { ...encounter('SIM-TX2'), serviceProvider: undefined } },
        { fullUrl: 'urn:uuid:2a26ca28-0ea3-486d-8fa9-6f9edd37e567', request: { method: 'POST', url: 'Encounter' }, resource: encounter('SIM-TX3') },
      ],
    };
    const res = await fhir('', { method: 'POST', body: JSON.stringify(bundle) });
    expect(res.status).toBe(400);
    expect(res.body.issue.map((i: Json) => i.details.text)).toEqual([
      'Reference is mandatory : Encounter.serviceProvider (RuleNumber: 10124)', 'Forbidden resource Encounter due to previous error (RuleNumber: 20012)',
    ]);
    expect(sim.state.count('Encounter')).toBe(before);
  });
});

describe('fault injection (admin endpoint)', () => {
  test('5xx as text/plain and 429 with Retry-After, for the configured share of requests', async () => {
    const set = async (f: Json) => fetch(`${base}/sim/admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });
    expect((await set({ error5xx: 2 })).status).toBe(400);
    const t = String((await token()).body.access_token);
    await set({ error5xx: 1 });
    const five = await fetch(`${base}/fhir-r4/v1/Practitioner/10009880728`, { headers: { authorization: `Bearer ${t}` } });
    expect(five.status).toBeGreaterThanOrEqual(503);
    expect(five.headers.get('content-type')).toContain('text/plain');
    await set({ error5xx: 0, rate429: 1, retryAfterSeconds: 7 });
    const limited = await fetch(`${base}/fhir-r4/v1/Practitioner/10009880728`, { headers: { authorization: `Bearer ${t}` } });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    await set({ rate429: 0, tokenExpiry: 1 });
    expect((await fetch(`${base}/fhir-r4/v1/Practitioner/10009880728`, { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
    await set({ tokenExpiry: 0 });
    expect((await fetch(`${base}/fhir-r4/v1/Practitioner/10009880728`, { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
    expect((await fhir('/Practitioner/10009880728')).status).toBe(200);
  });
});
