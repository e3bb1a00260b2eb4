/**
 * SMART Backend Services client assertions against the real gateway (real sockets, the test
 * database): the replay cache in the database across a restart and across two replicas, every
 * way an assertion can be wrong, and clients registered with a jwks_uri served by a local HTTP server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK, type KeyLike } from 'jose';
import request from 'supertest';
import { anotherReplicaDatabase, gatewayOn, type RunningGateway } from '../../support/auth-gateway';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

const BASE = 'http://gateway.test';
const TOKEN_URL = `${BASE}/auth/token`;
// This file refuses many assertions on purpose: the failure throttle (abuse-limits.test.ts) is set out of the way.
const ENV = {
  AUTH_SIGNING_KEY: Buffer.alloc(32, 5).toString('base64'), PUBLIC_BASE_URL: BASE, AUTH_JWKS_TIMEOUT_MS: '500', AUTH_JWKS_MIN_REFRESH_SECONDS: '1',
  AUTH_THROTTLE_CLIENT_FAILURES: '1000', AUTH_THROTTLE_ADDRESS_FAILURES: '1000',
};
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let db: TestDatabase;
let gw: RunningGateway;
let es: { privateKey: KeyLike; jwk: JWK };
let rsa: { privateKey: KeyLike; publicPem: string; jwk: JWK };
const now = (): number => Math.floor(Date.now() / 1000);
let seq = 0;

/** The JWKS server of client `remote`: what it serves, how often it was asked. */
const keyServer = { keys: [] as JWK[], hits: 0, mode: 'ok' as 'ok' | 'huge' | 'hang' };
let jwksServer: Server;
let jwksUrl: string;

async function keyPair(alg: 'ES384' | 'RS384', kid: string): Promise<{ privateKey: KeyLike; jwk: JWK; publicKey: KeyLike }> {
  const pair = await generateKeyPair(alg);
  return { ...pair, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg } };
}

beforeAll(async () => {
  const e = await keyPair('ES384', 'k1');
  es = e;
  const r = await keyPair('RS384', 'r1');
  rsa = { privateKey: r.privateKey, jwk: r.jwk, publicPem: await exportSPKI(r.publicKey) };
  jwksServer = createServer((_req, res) => {
    keyServer.hits += 1;
    if (keyServer.mode === 'hang') return; // never answers: the gateway's timeout must end it
    res.setHeader('content-type', 'application/json');
    res.end(keyServer.mode === 'huge' ? JSON.stringify({ keys: keyServer.keys, pad: 'x'.repeat(200_000) }) : JSON.stringify({ keys: keyServer.keys }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;

  db = await openTestDatabase();
  await db.clients.create({ clientId: 'pusdatin', jwks: { keys: [es.jwk, rsa.jwk] }, organizations: ['*'], scopes: ['system/*.read'] });
  await db.clients.create({ clientId: 'remote', jwksUri: jwksUrl, organizations: ['*'], scopes: ['system/*.read'] });
  gw = await gatewayOn(db, ENV);
}, 120_000);

afterAll(async () => {
  await gw?.stop();
  await db?.drop();
  jwksServer.closeAllConnections();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});

interface AssertionOptions { iss?: string; kid?: string; key?: KeyLike | Uint8Array; alg?: string; aud?: string; exp?: number; iat?: number; nbf?: number; jti?: string }

function assertion(o: AssertionOptions = {}): Promise<string> {
  const iss = o.iss ?? 'pusdatin';
  const claims: Record<string, unknown> = { jti: o.jti ?? `jti-${process.pid}-${(seq += 1)}`, iat: o.iat ?? now() };
  if (o.nbf !== undefined) claims.nbf = o.nbf;
  return new SignJWT(claims).setProtectedHeader({ alg: o.alg ?? 'ES384', kid: o.kid ?? 'k1' })
    .setIssuer(iss).setSubject(iss).setAudience(o.aud ?? TOKEN_URL).setExpirationTime(o.exp ?? now() + 240)
    .sign(o.key ?? es.privateKey);
}

const jtiOf = (jwt: string): string => (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;

function tokenRequest(url: string, jwt: string): request.Test {
  return request(url).post('/auth/token').type('form').send({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: jwt });
}

/** A refused assertion left no trace: its jti is still unused in the shared replay table. */
async function expectNotRecorded(clientId: string, jwt: string): Promise<void> {
  expect(await db.assertions.firstUse(clientId, jtiOf(jwt), new Date(Date.now() + 60_000))).toBe(true);
}

describe(`client assertions on ${testDbKind()}`, () => {
  test('an assertion is accepted once; replayed after a gateway restart on the same database it is refused', async () => {
    const jwt = await assertion();
    const first = await tokenRequest(gw.url, jwt);
    expect(first.status).toBe(200);
    expect(first.body.access_token).toEqual(expect.any(String));
    await gw.stop();
    gw = await gatewayOn(db, ENV);
    const replay = await tokenRequest(gw.url, jwt);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({ error: 'invalid_grant', error_description: 'client assertion was already used' });
    expect(replay.body.access_token).toBeUndefined();
  });

  test('the same assertion sent to two replicas at once is accepted by exactly one', async () => {
    const other = await anotherReplicaDatabase(db);
    const second = await gatewayOn(other.db, ENV);
    try {
      for (let round = 0; round < 3; round += 1) {
        const jwt = await assertion();
        const answers = await Promise.all([tokenRequest(gw.url, jwt), tokenRequest(second.url, jwt)]);
        expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
        expect(answers.filter((a) => a.body.access_token !== undefined)).toHaveLength(1);
      }
    } finally {
      await second.stop();
      await other.close();
    }
  });

  test.each([
    ['expired', (): Promise<string> => assertion({ iat: now() - 600, exp: now() - 120 })],
    ['made in the future (iat)', (): Promise<string> => assertion({ iat: now() + 600, exp: now() + 290 })],
    ['not yet valid (nbf)', (): Promise<string> => assertion({ nbf: now() + 200 })],
    ['for another audience', (): Promise<string> => assertion({ aud: 'http://elsewhere.test/auth/token' })],
    ['living longer than 5 minutes', (): Promise<string> => assertion({ exp: now() + 3600 })],
    ['signed by an unknown key (unknown kid)', async (): Promise<string> => assertion({ kid: 'k-stranger', key: (await generateKeyPair('ES384')).privateKey })],
    ['signed by another key under a known kid', async (): Promise<string> => assertion({ key: (await generateKeyPair('ES384')).privateKey })],
    ['from another client id than its key', (): Promise<string> => assertion({ iss: 'remote-unknown' })],
    ['HS256 with the public key as the secret', (): Promise<string> => assertion({ alg: 'HS256', kid: 'r1', key: new TextEncoder().encode(rsa.publicPem) })],
  ])('an assertion %s is refused (401) and not recorded', async (_name, make) => {
    const jwt = await make();
    const res = await tokenRequest(gw.url, jwt);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: 'client assertion rejected' });
    await expectNotRecorded('pusdatin', jwt);
  });

  test('alg none is refused (401) and not recorded', async () => {
    const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jti = `none-${Date.now()}`;
    const jwt = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ iss: 'pusdatin', sub: 'pusdatin', aud: TOKEN_URL, jti, exp: now() + 200 })}.`;
    const res = await tokenRequest(gw.url, jwt);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
    await expectNotRecorded('pusdatin', jwt);
  });

  test('an RS384 assertion with the matching key is accepted', async () => {
    const res = await tokenRequest(gw.url, await assertion({ alg: 'RS384', kid: 'r1', key: rsa.privateKey }));
    expect(res.status).toBe(200);
  });
});

describe(`clients with a jwks_uri (${testDbKind()})`, () => {
  let k1: Awaited<ReturnType<typeof keyPair>>;
  let k2: Awaited<ReturnType<typeof keyPair>>;
  beforeAll(async () => {
    k1 = await keyPair('ES384', 'remote-1');
    k2 = await keyPair('ES384', 'remote-2');
    keyServer.keys = [k1.jwk];
  });

  test('keys are fetched once and cached; a new kid makes the gateway fetch again; invented kids do not hammer the key server', async () => {
    const before = keyServer.hits;
    for (let i = 0; i < 3; i += 1) expect((await tokenRequest(gw.url, await assertion({ iss: 'remote', kid: 'remote-1', key: k1.privateKey }))).status).toBe(200);
    expect(keyServer.hits - before).toBe(1);

    // The client rotates: it publishes remote-2 and signs with it. After the minimum refresh
    // interval (AUTH_JWKS_MIN_REFRESH_SECONDS=1) the unknown kid triggers one new fetch.
    keyServer.keys = [k1.jwk, k2.jwk];
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await tokenRequest(gw.url, await assertion({ iss: 'remote', kid: 'remote-2', key: k2.privateKey }))).status).toBe(200);
    expect(keyServer.hits - before).toBe(2);

    const invented = await Promise.all([1, 2, 3, 4, 5].map(async (i) => tokenRequest(gw.url, await assertion({ iss: 'remote', kid: `made-up-${i}`, key: k2.privateKey }))));
    expect(invented.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(keyServer.hits - before).toBe(2);
  });

  test('an oversized or unanswered key set is refused, within the timeout', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    keyServer.mode = 'huge';
    const huge = await tokenRequest(gw.url, await assertion({ iss: 'remote', kid: 'remote-3', key: k1.privateKey }));
    expect(huge.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    keyServer.mode = 'hang';
    const started = Date.now();
    const hung = await tokenRequest(gw.url, await assertion({ iss: 'remote', kid: 'remote-4', key: k1.privateKey }));
    expect(hung.status).toBe(401);
    expect(Date.now() - started).toBeLessThan(3000);
    keyServer.mode = 'ok';
  });
});
