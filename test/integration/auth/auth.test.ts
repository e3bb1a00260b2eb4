/** API authentication over real sockets: OAuth2 client credentials, the access policy, the tenant rule. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { hashSecret } from '../../../src/auth/secrets';
import { TestGateway, startGateway } from '../../support/gateway';
import { example, uniqueId } from '../../support/submissions';

let gw: TestGateway;
const KEY = Buffer.alloc(32, 3).toString('base64');

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ilp-auth-'));
  const file = join(dir, 'clients.json');
  writeFileSync(file, JSON.stringify([
    { clientId: 'simpus-a', secretHash: await hashSecret('secret-a'), organizations: ['10000005'], scopes: ['ilp/submission.write', 'ilp/submission.read'] },
    { clientId: 'simpus-b', secretHash: await hashSecret('secret-b'), organizations: ['10000006'], scopes: ['ilp/submission.write', 'ilp/submission.read'] },
    { clientId: 'reader', secretHash: await hashSecret('secret-r'), organizations: ['*'], scopes: ['system/*.read'] },
  ]));
  gw = await startGateway({ AUTH_CLIENTS_FILE: file, AUTH_SIGNING_KEY: KEY });
});
afterAll(async () => { await gw.close(); });

async function tokenFor(clientId: string, secret: string): Promise<string> {
  const res = await request(gw.url).post('/auth/token').auth(clientId, secret).type('form').send({ grant_type: 'client_credentials' });
  expect(res.status).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  return res.body.access_token as string;
}

test('without a token: 401 OperationOutcome with WWW-Authenticate; public documents stay open', async () => {
  const res = await request(gw.url).post('/ilp/v1/encounters').send(example());
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
  expect((await request(gw.url).get('/healthz')).status).toBe(200);
  expect((await request(gw.url).get('/ilp/v1/openapi.json')).status).toBe(200);
});

test('a wrong secret is an OAuth invalid_client', async () => {
  const res = await request(gw.url).post('/auth/token').auth('simpus-a', 'guess').type('form').send({ grant_type: 'client_credentials' });
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
});

test('a vendor submits and reads its own organisation visits', async () => {
  const token = await tokenFor('simpus-a', 'secret-a');
  const post = await request(gw.url).post('/ilp/v1/encounters').set('Authorization', `Bearer ${token}`).send({ ...example(), submissionId: uniqueId('AUTH') });
  expect(post.status).toBe(202);
  const get = await request(gw.url).get(`/ilp/v1/submissions/${post.body.id}`).set('Authorization', `Bearer ${token}`);
  expect(get.status).toBe(200);

  const other = await tokenFor('simpus-b', 'secret-b');
  expect((await request(gw.url).get(`/ilp/v1/submissions/${post.body.id}`).set('Authorization', `Bearer ${other}`)).status).toBe(404);
});

test('a vendor cannot submit for another organisation, and nothing is stored', async () => {
  const token = await tokenFor('simpus-b', 'secret-b');
  const s = { ...example(), submissionId: uniqueId('TENANT') };
  const res = await request(gw.url).post('/ilp/v1/encounters').set('Authorization', `Bearer ${token}`).send(s);
  expect(res.status).toBe(403);
  expect(res.body.issue[0].details.coding[0].code).toBe('AUTH-ORG');
  expect(await gw.db.submissions.findSubmission('10000005', s.submissionId)).toBeUndefined();
});

test('a token without the scope is 403; a forged token is 401', async () => {
  const reader = await tokenFor('reader', 'secret-r');
  const res = await request(gw.url).post('/ilp/v1/encounters').set('Authorization', `Bearer ${reader}`).send(example());
  expect(res.status).toBe(403);
  expect(res.body.issue[0].code).toBe('forbidden');
  const forged = `${reader.split('.').slice(0, 2).join('.')}.AAAA`;
  expect((await request(gw.url).get('/ilp/v1/submissions/00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${forged}`)).status).toBe(401);
});

test('the SMART configuration advertises the token endpoint', async () => {
  const res = await request(gw.url).get('/fhir/.well-known/smart-configuration');
  expect(res.status).toBe(200);
  expect(res.body.token_endpoint).toBe(`${gw.url}/auth/token`);
  expect(res.body.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
});

test('paths in another case or with extra slashes do not slip past the access policy', async () => {
  const vendor = await tokenFor('simpus-a', 'secret-a');
  for (const path of ['/FHIR/Patient', '/Fhir/Observation', '/ADMIN/v1/submissions', '/ILP/v1/submissions/00000000-0000-4000-8000-000000000000']) {
    const res = await request(gw.url).get(path).set('Authorization', `Bearer ${vendor}`);
    expect([401, 403, 404]).toContain(res.status);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.resourceType === 'Bundle').toBe(false);
  }
});

test('a malformed Basic header is a failed login, not a server error', async () => {
  const header = `Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}`;
  const res = await request(gw.url).post('/auth/token').set('Authorization', header).type('form').send({ grant_type: 'client_credentials' });
  expect(res.status).toBe(401);
  expect(res.body.error).toBe('invalid_client');
});
