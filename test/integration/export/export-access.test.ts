/** Scopes and ownership of Bulk export and _include/_revinclude, with authentication on, over real HTTP. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSecret } from '../../../src/auth/secrets';
import { testDbKind } from '../../support/database';
import { example, uniqueId } from '../../support/submissions';
import { getJson, startFhirGateway } from '../fhir/fhir-support';

let gw: Awaited<ReturnType<typeof startFhirGateway>>;
let base: string;
let dir: string;
const tokens: Record<string, string> = {};
const CLIENTS: Record<string, string[]> = {
  'patients-only': ['system/Patient.read'],
  'observations-only': ['system/Observation.read'],
  'patients-and-observations': ['system/Patient.read', 'system/Observation.read'],
  'reader-a': ['system/*.read'],
  'reader-b': ['system/*.read'],
  vendor: ['ilp/submission.write'],
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ilp-export-access-'));
  const file = join(dir, 'clients.json');
  const clients = await Promise.all(Object.entries(CLIENTS).map(async ([clientId, scopes]) => ({ clientId, secretHash: await hashSecret(`secret-${clientId}`), organizations: ['*'], scopes })));
  writeFileSync(file, JSON.stringify(clients));
  gw = await startFhirGateway({ AUTH_DISABLED: '0', AUTH_CLIENTS_FILE: file, AUTH_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64') });
  base = `${gw.url}/fhir`;
  for (const clientId of Object.keys(CLIENTS)) {
    const res = await fetch(`${gw.url}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${clientId}:secret-${clientId}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    tokens[clientId] = ((await res.json()) as { access_token: string }).access_token;
  }
  const post = await fetch(`${gw.url}/ilp/v1/encounters`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.vendor ?? ''}` },
    body: JSON.stringify({ ...example(), submissionId: uniqueId('EXPORT-ACCESS') }),
  });
  expect(post.status).toBe(202);
});

afterAll(async () => {
  await gw?.close();
  rmSync(dir, { recursive: true, force: true });
});

const as = (client: string, extra: Record<string, string> = {}): Record<string, string> => ({ Authorization: `Bearer ${tokens[client] ?? ''}`, Accept: 'application/fhir+json', ...extra });
const ASYNC = { Prefer: 'respond-async' };

async function kickoff(client: string, path: string): Promise<{ status: number; location: string; body: unknown }> {
  const res = await fetch(`${base}/${path}`, { headers: as(client, ASYNC) });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('content-location') ?? '', body: text ? (JSON.parse(text) as unknown) : undefined };
}

const scopeIn = (body: unknown): unknown => (body as { issue: { details: { coding: { code: string }[] } }[] }).issue[0]?.details.coding[0]?.code;

describe(`export and include scopes on ${testDbKind()}`, () => {
  test('Patient/$export needs the read scope of every exported type, not just Patient', async () => {
    const all = await kickoff('patients-only', 'Patient/$export');
    expect(all.status).toBe(403);
    expect(scopeIn(all.body)).toBe('AUTH-SCOPE');
    expect((await kickoff('patients-only', 'Patient/$export?_type=Patient,Observation')).status).toBe(403);
    expect((await kickoff('patients-only', 'Patient/$export?_type=Patient')).status).toBe(202);
  });

  test('_revinclude and _include need the read scope of the types they add', async () => {
    const rev = await getJson(`${base}/Patient?_revinclude=Observation:subject`, as('patients-only'));
    expect(rev.status).toBe(403);
    expect(rev.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    expect((await getJson(`${base}/Patient`, as('patients-only'))).status).toBe(200);
    expect((await getJson(`${base}/Observation?_include=Observation:subject`, as('observations-only'))).status).toBe(403);
    expect((await getJson(`${base}/Observation?_include=Observation:subject:Patient`, as('observations-only'))).status).toBe(403);
    // Without a target type, every type the parameter may point to: subject may be a Group, Device or Location too.
    expect((await getJson(`${base}/Observation?_include=Observation:subject`, as('patients-and-observations'))).status).toBe(403);
    expect((await getJson(`${base}/Observation?_include=Observation:subject:Patient`, as('patients-and-observations'))).status).toBe(200);
    expect((await getJson(`${base}/Observation`, as('observations-only'))).status).toBe(200);
    expect((await getJson(`${base}/Patient?_revinclude=Observation:subject`, as('reader-a'))).status).toBe(200);
  });

  test('only the client that kicked an export off may poll, download or cancel it', async () => {
    const job = await kickoff('reader-a', '$export?_type=Patient');
    expect(job.status).toBe(202);
    let manifest: { output: { url: string }[] } | undefined;
    for (let i = 0; i < 200 && !manifest; i++) {
      expect((await fetch(job.location, { headers: as('reader-b') })).status).toBe(404);
      const res = await getJson(job.location, as('reader-a'));
      if (res.status === 200) manifest = res.body as unknown as { output: { url: string }[] };
      else await new Promise((r) => setTimeout(r, 100));
    }
    const url = manifest?.output[0]?.url ?? '';
    expect(url).not.toBe('');
    expect((await fetch(url, { headers: as('reader-b') })).status).toBe(404);
    expect((await fetch(url, { headers: as('reader-a') })).status).toBe(200);
    expect((await fetch(job.location, { method: 'DELETE', headers: as('reader-b') })).status).toBe(404);
    expect((await fetch(job.location, { headers: as('reader-a') })).status).toBe(200);
    expect((await fetch(job.location, { method: 'DELETE', headers: as('reader-a') })).status).toBe(202);
    expect((await fetch(job.location, { headers: as('reader-a') })).status).toBe(404);
  });
});
