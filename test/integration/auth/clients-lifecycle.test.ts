/**
 * API clients in the database, managed through /admin/v1/clients: a secret shown once, listings
 * without hashes, revocation without a restart, secret rotation, AUTH_CLIENTS_FILE seeding and
 * its precedence, and access-token key rotation with overlap (real sockets, the test database).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createClient } from '../../../src/auth/client-admin';
import { hashSecret } from '../../../src/auth/secrets';
import { gatewayOn, type RunningGateway } from '../../support/auth-gateway';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

const KEY_1 = Buffer.alloc(32, 11).toString('base64');
const KEY_2 = Buffer.alloc(32, 12).toString('base64');
const MISSING = '/ilp/v1/submissions/00000000-0000-4000-8000-000000000000';

let db: TestDatabase;
let gw: RunningGateway;
let adminToken: string;

const token = (clientId: string, secret: string): request.Test =>
  request(gw.url).post('/auth/token').auth(clientId, secret).type('form').send({ grant_type: 'client_credentials' });
const admin = (method: 'get' | 'post', path: string): request.Test => request(gw.url)[method](`/admin/v1${path}`).set('Authorization', `Bearer ${adminToken}`);

beforeAll(async () => {
  db = await openTestDatabase();
  const ops = await createClient(db.clients, { clientId: 'ops', organizations: ['*'], scopes: ['admin'] });
  if (!ops.ok || !ops.secret) throw new Error('fixture admin client not created');
  // Revocation checked on every request here (AUTH_CLIENT_CACHE_SECONDS=0); the cached case is below.
  gw = await gatewayOn(db, { AUTH_SIGNING_KEY: KEY_1, AUTH_CLIENT_CACHE_SECONDS: '0' });
  const t = await token('ops', ops.secret);
  expect(t.status).toBe(200);
  adminToken = t.body.access_token as string;
}, 120_000);
afterAll(async () => {
  await gw?.stop();
  await db?.drop();
});

describe(`client lifecycle over the admin API (${testDbKind()})`, () => {
  let secret = '';

  test('create: 201 with the secret once; the listing shows the client without secret or hash', async () => {
    const res = await admin('post', '/clients').send({ clientId: 'simpus-x', name: 'SIMPUS X', organizations: ['10000005'], regions: ['3507'], scopes: ['ilp/submission.read'] });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ clientId: 'simpus-x', status: 'active', regions: ['3507'], hasSecret: true, clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(res.body.secretHash).toBeUndefined();
    secret = res.body.clientSecret as string;

    const list = await admin('get', '/clients');
    expect(list.status).toBe(200);
    const listed = (list.body.items as Record<string, unknown>[]).find((c) => c.clientId === 'simpus-x');
    expect(listed).toMatchObject({ clientId: 'simpus-x', hasSecret: true, status: 'active' });
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt\$|clientSecret|secretHash/);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect((await db.clients.get('simpus-x'))?.secretHash).toMatch(/^scrypt\$/);
  });

  test('bad or duplicate clients are refused with an OperationOutcome and nothing is written', async () => {
    const before = await db.clients.list();
    const bad = await admin('post', '/clients').send({ clientId: 'x', organizations: ['abc'], scopes: ['teleport'], regions: ['351'], extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.issue[0].details.coding[0].code).toBe('ADMIN-BAD-REQUEST');
    const plainHttp = await admin('post', '/clients').send({ clientId: 'remote-y', organizations: ['*'], scopes: ['system/*.read'], jwksUri: 'http://keys.example/jwks' });
    expect(plainHttp.status).toBe(400);
    const dup = await admin('post', '/clients').send({ clientId: 'simpus-x', organizations: ['10000005'], scopes: ['ilp/submission.read'] });
    expect(dup.status).toBe(409);
    expect(dup.body.issue[0].details.coding[0].code).toBe('ADMIN-CLIENT-EXISTS');
    expect(await db.clients.list()).toEqual(before);
  });

  test('a vendor without the admin scope cannot manage clients', async () => {
    const vendor = (await token('simpus-x', secret)).body.access_token as string;
    const res = await request(gw.url).post('/admin/v1/clients').set('Authorization', `Bearer ${vendor}`).send({ clientId: 'sneaky', organizations: ['*'], scopes: ['admin'] });
    expect(res.status).toBe(403);
    expect(await db.clients.get('sneaky')).toBeUndefined();
  });

  test('rotate-secret: the old secret is refused, the new one works', async () => {
    const res = await admin('post', '/clients/simpus-x/rotate-secret');
    expect(res.status).toBe(200);
    const fresh = res.body.clientSecret as string;
    expect(fresh).not.toBe(secret);
    expect((await token('simpus-x', secret)).status).toBe(401);
    const ok = await token('simpus-x', fresh);
    expect(ok.status).toBe(200);
    expect((await db.clients.get('simpus-x'))?.secretRotatedAt).toEqual(expect.any(String));
    secret = fresh;
  });

  test('revoke: the client\'s live token stops working at once (no restart) and it gets no new token', async () => {
    const live = (await token('simpus-x', secret)).body.access_token as string;
    expect((await request(gw.url).get(MISSING).set('Authorization', `Bearer ${live}`)).status).toBe(404);
    const res = await admin('post', '/clients/simpus-x/revoke');
    expect(res.status).toBe(200);
    const after = await request(gw.url).get(MISSING).set('Authorization', `Bearer ${live}`);
    expect(after.status).toBe(401);
    expect(after.body.issue[0].details.coding[0].code).toBe('AUTH-CLIENT-REVOKED');
    const refused = await token('simpus-x', secret);
    expect(refused.status).toBe(401);
    expect(refused.body.access_token).toBeUndefined();
    expect((await admin('post', '/clients/simpus-x/revoke')).status).toBe(409);
    expect((await admin('post', '/clients/simpus-x/rotate-secret')).status).toBe(409);
    expect((await admin('post', '/clients/nobody/revoke')).status).toBe(404);
  });
});

test(`with the status cache (AUTH_CLIENT_CACHE_SECONDS=1) a revocation on another replica takes effect within a second (${testDbKind()})`, async () => {
  const created = await createClient(db.clients, { clientId: 'simpus-cached', organizations: ['10000005'], scopes: ['ilp/submission.read'] });
  if (!created.ok || !created.secret) throw new Error('fixture');
  const cached = await gatewayOn(db, { AUTH_SIGNING_KEY: KEY_1, AUTH_CLIENT_CACHE_SECONDS: '1' });
  try {
    const t = await request(cached.url).post('/auth/token').auth('simpus-cached', created.secret).type('form').send({ grant_type: 'client_credentials' });
    const bearer = `Bearer ${t.body.access_token as string}`;
    expect((await request(cached.url).get(MISSING).set('Authorization', bearer)).status).toBe(404);
    expect(await db.clients.revoke('simpus-cached')).toBe(true); // as `ilp-gateway clients revoke` does
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await request(cached.url).get(MISSING).set('Authorization', bearer)).status).toBe(401);
  } finally {
    await cached.stop();
  }
});

test(`AUTH_CLIENTS_FILE seeds clients; a client managed through the API since is not overwritten by the file (${testDbKind()})`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ilp-seed-'));
  const file = join(dir, 'clients.json');
  const seedClients = async (secretB: string): Promise<void> => writeFileSync(file, JSON.stringify([
    { clientId: 'seeded-a', secretHash: await hashSecret('seeded-secret-a'), organizations: ['10000007'], scopes: ['ilp/submission.read'], regions: ['35'] },
    { clientId: 'seeded-b', secretHash: await hashSecret(secretB), organizations: ['10000008'], scopes: ['ilp/submission.read'] },
  ]));
  await seedClients('seeded-secret-b');
  const first = await gatewayOn(db, { AUTH_SIGNING_KEY: KEY_1, AUTH_CLIENTS_FILE: file });
  await first.stop();
  expect(await db.clients.get('seeded-a')).toMatchObject({ source: 'file', regions: ['35'], status: 'active' });
  expect(await db.clients.revoke('seeded-a')).toBe(true);

  await seedClients('seeded-secret-b2'); // the file changes b's secret
  const second = await gatewayOn(db, { AUTH_SIGNING_KEY: KEY_1, AUTH_CLIENTS_FILE: file });
  try {
    const login = (id: string, s: string): request.Test => request(second.url).post('/auth/token').auth(id, s).type('form').send({ grant_type: 'client_credentials' });
    expect((await login('seeded-a', 'seeded-secret-a')).status).toBe(401); // the revocation survived the restart with the old file
    expect((await login('seeded-b', 'seeded-secret-b')).status).toBe(401);
    expect((await login('seeded-b', 'seeded-secret-b2')).status).toBe(200); // a file-managed client follows the file
    expect(await db.clients.get('seeded-a')).toMatchObject({ source: 'api', status: 'revoked' });
  } finally {
    await second.stop();
  }
});

test(`signing key rotation: a token signed by the previous key is accepted during the overlap, then refused (${testDbKind()})`, async () => {
  const created = await createClient(db.clients, { clientId: 'simpus-rot', organizations: ['10000005'], scopes: ['ilp/submission.read'] });
  if (!created.ok || !created.secret) throw new Error('fixture');
  const login = (url: string): request.Test => request(url).post('/auth/token').auth('simpus-rot', created.secret!).type('form').send({ grant_type: 'client_credentials' });
  const get = (url: string, t: string): request.Test => request(url).get(MISSING).set('Authorization', `Bearer ${t}`);

  const old = await gatewayOn(db, { AUTH_SIGNING_KEY: KEY_1 });
  const oldToken = (await login(old.url)).body.access_token as string;
  await old.stop();

  const overlap = await gatewayOn(db, { AUTH_SIGNING_KEY: KEY_2, AUTH_SIGNING_KEY_PREVIOUS: KEY_1 });
  const newToken = (await login(overlap.url)).body.access_token as string;
  expect((await get(overlap.url, oldToken)).status).toBe(404);
  expect((await get(overlap.url, newToken)).status).toBe(404);
  await overlap.stop();

  const after = await gatewayOn(db, { AUTH_SIGNING_KEY: KEY_2 });
  try {
    const refused = await get(after.url, oldToken);
    expect(refused.status).toBe(401);
    expect(refused.body.issue[0].details.coding[0].code).toBe('AUTH-INVALID');
    expect((await get(after.url, newToken)).status).toBe(404);
  } finally {
    await after.stop();
  }
});
