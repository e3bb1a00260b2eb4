import { KeyLike, SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { ApiClient } from '../../../src/auth/clients';
import { parseClients } from '../../../src/auth/clients';
import { hashSecret, verifySecret } from '../../../src/auth/secrets';
import { createSecretVerifier } from '../../../src/auth/secret-verifier';
import { createFailureThrottle } from '../../../src/auth/throttle';
import { handleTokenRequest, TokenDeps } from '../../../src/auth/token-endpoint';
import { createTokenSigner } from '../../../src/auth/tokens';

/** Token endpoint dependencies over a fixed client list, with an in-memory replay set. */
function depsOver(clients: ApiClient[]): TokenDeps {
  const byId = new Map(clients.map((c) => [c.clientId, c]));
  const used = new Set<string>();
  return {
    findClient: async (id) => byId.get(id),
    signer: createTokenSigner(new Uint8Array(32).fill(7), 300),
    secrets: createSecretVerifier({ concurrency: 2, maxQueue: 32 }),
    remoteJwks: async () => undefined,
    firstUse: async (clientId, jti) => !used.has(`${clientId}|${jti}`) && used.add(`${clientId}|${jti}`) !== undefined,
    throttle: { client: createFailureThrottle({ limit: 1000, windowSeconds: 60 }), address: createFailureThrottle({ limit: 1000, windowSeconds: 60 }) },
  };
}

const TOKEN_URL = 'http://gw.test/auth/token';
let deps: TokenDeps;
let privateKey: KeyLike;

beforeAll(async () => {
  const pair = await generateKeyPair('ES384');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES384' };
  const clients: ApiClient[] = [
    { clientId: 'simpus-a', secretHash: await hashSecret('s3cret-a'), organizations: ['10000005'], scopes: ['ilp/submission.write', 'ilp/submission.read'] },
    { clientId: 'kemenkes-pusdatin', jwks: { keys: [jwk] }, organizations: ['*'], scopes: ['system/*.read'] },
  ];
  deps = depsOver(clients);
});

const assertion = (claims: Record<string, unknown> = {}) => new SignJWT({ jti: `j-${Math.random()}`, ...claims })
  .setProtectedHeader({ alg: 'ES384', kid: 'k1' })
  .setIssuer('kemenkes-pusdatin').setSubject('kemenkes-pusdatin').setAudience(TOKEN_URL)
  .setIssuedAt().setExpirationTime('4m').sign(privateKey);

test('secrets are stored as scrypt hashes and verified in constant time', async () => {
  const h = await hashSecret('correct horse');
  expect(h).toMatch(/^scrypt\$32768\$8\$1\$/);
  expect(await verifySecret('correct horse', h)).toBe(true);
  expect(await verifySecret('wrong horse', h)).toBe(false);
  expect(await verifySecret('x', 'plain-text')).toBe(false);
});

test('client secret (basic) → a token carrying scopes and organisations', async () => {
  const r = await handleTokenRequest({ form: { grant_type: 'client_credentials' }, basic: { clientId: 'simpus-a', secret: 's3cret-a' }, tokenUrl: TOKEN_URL }, deps);
  if (!r.ok) throw new Error(r.err.description);
  expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'ilp/submission.write ilp/submission.read' });
  expect(await deps.signer.verify(r.body.access_token)).toEqual({ clientId: 'simpus-a', organizations: ['10000005'], scopes: ['ilp/submission.write', 'ilp/submission.read'] });
});

test('a wrong secret and an unknown client get the same answer', async () => {
  const wrong = await handleTokenRequest({ form: { grant_type: 'client_credentials', client_id: 'simpus-a', client_secret: 'nope' }, tokenUrl: TOKEN_URL }, deps);
  const unknown = await handleTokenRequest({ form: { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'nope' }, tokenUrl: TOKEN_URL }, deps);
  expect(wrong).toEqual({ ok: false, clientId: 'simpus-a', err: { status: 401, error: 'invalid_client', description: 'client authentication failed' } });
  expect(unknown).toEqual({ ...wrong, clientId: 'nobody' });
});

test('SMART Backend Services: a signed client assertion → token; a replay is refused', async () => {
  const jwt = await assertion();
  const form = { grant_type: 'client_credentials', scope: 'system/Observation.read', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt };
  const first = await handleTokenRequest({ form, tokenUrl: TOKEN_URL }, deps);
  expect(first).toMatchObject({ ok: true, body: { scope: 'system/Observation.read' } });
  const replay = await handleTokenRequest({ form, tokenUrl: TOKEN_URL }, deps);
  expect(replay).toMatchObject({ ok: false, err: { error: 'invalid_grant' } });
});

test('an assertion for another audience or signed by another key is refused', async () => {
  const otherAud = await new SignJWT({ jti: 'x1' }).setProtectedHeader({ alg: 'ES384' }).setIssuer('kemenkes-pusdatin').setSubject('kemenkes-pusdatin')
    .setAudience('http://elsewhere/token').setIssuedAt().setExpirationTime('4m').sign(privateKey);
  const stranger = (await generateKeyPair('ES384')).privateKey;
  const otherKey = await new SignJWT({ jti: 'x2' }).setProtectedHeader({ alg: 'ES384' }).setIssuer('kemenkes-pusdatin').setSubject('kemenkes-pusdatin')
    .setAudience(TOKEN_URL).setIssuedAt().setExpirationTime('4m').sign(stranger);
  for (const jwt of [otherAud, otherKey]) {
    const r = await handleTokenRequest({ form: { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt }, tokenUrl: TOKEN_URL }, deps);
    expect(r).toMatchObject({ ok: false, err: { status: 401, error: 'invalid_client' } });
  }
});

test('other grant types and scopes the client lacks are refused', async () => {
  expect(await handleTokenRequest({ form: { grant_type: 'password' }, tokenUrl: TOKEN_URL }, deps)).toMatchObject({ ok: false, err: { error: 'unsupported_grant_type' } });
  const r = await handleTokenRequest({ form: { grant_type: 'client_credentials', scope: 'admin' }, basic: { clientId: 'simpus-a', secret: 's3cret-a' }, tokenUrl: TOKEN_URL }, deps);
  expect(r).toMatchObject({ ok: false, err: { error: 'invalid_scope' } });
});

test('tokens expire, and a tampered token does not verify', async () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const signer = createTokenSigner(new Uint8Array(32).fill(9), 300, () => now);
  const { token } = await signer.issue({ clientId: 'c', organizations: ['1'], scopes: ['admin'] }, ['admin']);
  expect(await signer.verify(token)).toBeDefined();
  expect(await signer.verify(`${token.slice(0, -2)}xx`)).toBeUndefined();
  now += 301_000;
  expect(await signer.verify(token)).toBeUndefined();
});

test('the clients file is checked at start-up, listing every problem', () => {
  expect(() => parseClients([{ clientId: 'a', organizations: ['1'], scopes: ['x'] }])).toThrow(/pattern|needs secretHash|unknown scope/);
  let message = '';
  try {
    parseClients([
      { clientId: 'dup', secretHash: 'plain', organizations: ['10000005'], scopes: ['teleport'] },
      { clientId: 'dup', secretHash: 'plain', organizations: ['10000005'], scopes: ['admin'] },
    ]);
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/duplicate clientId dup/);
  expect(() => parseClients([{ clientId: 'district', secretHash: 'x', organizations: ['*'], scopes: ['system/*.read'], regions: ['357'] }])).toThrow(/regions/);
  expect(() => parseClients([{ clientId: 'remote', jwksUri: 'http://keys.example/jwks.json', organizations: ['*'], scopes: ['system/*.read'] }])).toThrow(/https/);
  expect(message).toMatch(/secretHash must be an scrypt hash/);
  expect(message).toMatch(/unknown scope teleport/);
});

test('SMART assertions without iat are accepted; ones living longer than 5 minutes are not', async () => {
  const noIat = await new SignJWT({ jti: `n-${Math.random()}` }).setProtectedHeader({ alg: 'ES384', kid: 'k1' })
    .setIssuer('kemenkes-pusdatin').setSubject('kemenkes-pusdatin').setAudience(TOKEN_URL).setExpirationTime('4m').sign(privateKey);
  const longLived = await new SignJWT({ jti: `l-${Math.random()}` }).setProtectedHeader({ alg: 'ES384', kid: 'k1' })
    .setIssuer('kemenkes-pusdatin').setSubject('kemenkes-pusdatin').setAudience(TOKEN_URL).setExpirationTime('1h').sign(privateKey);
  const form = (jwt: string) => ({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt });
  expect(await handleTokenRequest({ form: form(noIat), tokenUrl: TOKEN_URL }, deps)).toMatchObject({ ok: true });
  expect(await handleTokenRequest({ form: form(longLived), tokenUrl: TOKEN_URL }, deps)).toMatchObject({ ok: false, err: { error: 'invalid_client' } });
});

test('an empty clients file is refused rather than switching authentication off', () => {
  expect(() => parseClients([])).toThrow(/invalid API clients file/);
});
