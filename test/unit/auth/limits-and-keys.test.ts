/** Failure throttle, request rate limit, access-token key rotation (issue #8). */
import { createRateLimiter } from '../../../src/auth/rate-limit';
import { createSecretVerifier, DUMMY_HASH } from '../../../src/auth/secret-verifier';
import { hashSecret } from '../../../src/auth/secrets';
import { createFailureThrottle } from '../../../src/auth/throttle';
import { createTokenSigner, keyId } from '../../../src/auth/tokens';

const client = { clientId: 'simpus-a', organizations: ['10000005'], scopes: ['ilp/submission.write'] };

test('a key refuses after `limit` failures until its window ends; success clears it', () => {
  let now = 1_000_000;
  const t = createFailureThrottle({ limit: 3, windowSeconds: 60, now: () => now });
  for (let i = 0; i < 3; i += 1) {
    expect(t.retryAfter('a')).toBe(0);
    t.failed('a');
  }
  expect(t.retryAfter('a')).toBe(60);
  expect(t.retryAfter('b')).toBe(0);
  now += 59_500;
  expect(t.retryAfter('a')).toBe(1);
  now += 1000;
  expect(t.retryAfter('a')).toBe(0);
  t.failed('c');
  t.succeeded('c');
  t.failed('c');
  t.failed('c');
  expect(t.retryAfter('c')).toBe(0);
});

test('the throttle forgets old keys rather than grow without bound', () => {
  const t = createFailureThrottle({ limit: 1, windowSeconds: 60, maxKeys: 10 });
  for (let i = 0; i < 100; i += 1) t.failed(`k${i}`);
  expect(t.retryAfter('k99')).toBe(60);
  expect(t.retryAfter('k0')).toBe(0);
});

test('token bucket: burst, then one request per 1/rate seconds', () => {
  let now = 0;
  const r = createRateLimiter({ perSecond: 2, burst: 3, now: () => now });
  expect([r.take('x'), r.take('x'), r.take('x')]).toEqual([0, 0, 0]);
  expect(r.take('x')).toBe(1);
  expect(r.take('y')).toBe(0);
  now += 500;
  expect(r.take('x')).toBe(0);
  expect(r.take('x')).toBe(1);
});

test('tokens name their key; a previous key still verifies, an unknown kid or a missing kid does not', async () => {
  const oldKey = new Uint8Array(32).fill(1);
  const newKey = new Uint8Array(32).fill(2);
  const before = createTokenSigner(oldKey, 300);
  const { token: old } = await before.issue(client, client.scopes);
  expect(JSON.parse(Buffer.from(old.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'HS256', kid: keyId(oldKey) });

  const during = createTokenSigner(newKey, 300, Date.now, [oldKey]);
  expect(await during.verify(old)).toMatchObject({ clientId: 'simpus-a' });
  const { token: fresh } = await during.issue(client, client.scopes);
  expect(JSON.parse(Buffer.from(fresh.split('.')[0]!, 'base64url').toString()).kid).toBe(keyId(newKey));

  const after = createTokenSigner(newKey, 300);
  expect(await after.verify(old)).toBeUndefined();
  expect(await after.verify(fresh)).toMatchObject({ clientId: 'simpus-a' });
  // A token whose header names no key, or a key nobody has, is refused even when the signature would match.
  const [, payload, signature] = fresh.split('.');
  const header = (h: object): string => Buffer.from(JSON.stringify(h)).toString('base64url');
  expect(await after.verify(`${header({ alg: 'HS256', typ: 'at+jwt' })}.${payload}.${signature}`)).toBeUndefined();
  expect(await after.verify(`${header({ alg: 'HS256', typ: 'at+jwt', kid: 'nope' })}.${payload}.${signature}`)).toBeUndefined();
});

test('regions travel in the token when the client has them', async () => {
  const s = createTokenSigner(new Uint8Array(32).fill(4), 300);
  const { token } = await s.issue({ ...client, regions: ['3507'] }, client.scopes);
  expect(await s.verify(token)).toEqual({ ...client, regions: ['3507'] });
});

test('the scrypt pool answers busy instead of queueing without bound', async () => {
  const v = createSecretVerifier({ concurrency: 1, maxQueue: 1 });
  const hash = await hashSecret('s3cret-s3cret-s3cret');
  const results = await Promise.all([v.verify('x', hash), v.verify('s3cret-s3cret-s3cret', hash), v.verify('y', hash), v.verify('z', DUMMY_HASH)]);
  expect(results.slice(0, 2)).toEqual(['mismatch', 'match']);
  expect(results.slice(2)).toEqual(['busy', 'busy']);
});

test('the client directory caches status for its TTL and knows which ids it found', async () => {
  let now = 0;
  let status: 'active' | 'revoked' | undefined = 'active';
  let lookups = 0;
  const { createClientDirectory } = await import('../../../src/auth/client-directory');
  const dir = createClientDirectory({
    get: async (id) => (status && id === 'simpus-a' ? { ...client, status, source: 'api', createdAt: '', updatedAt: '' } : undefined),
    status: async (id) => { lookups += 1; return id === 'simpus-a' ? status : undefined; },
  }, 5, () => now);
  expect(dir.isKnown('simpus-a')).toBe(false);
  expect(await dir.isActive('simpus-a')).toBe(true);
  status = 'revoked';
  expect(await dir.isActive('simpus-a')).toBe(true); // cached
  now += 5001;
  expect(await dir.isActive('simpus-a')).toBe(false);
  expect(lookups).toBe(2);
  expect(await dir.findActive('simpus-a')).toBeUndefined();
  expect(dir.isKnown('simpus-a')).toBe(true);
  expect(await dir.findActive('made-up')).toBeUndefined();
  expect(dir.isKnown('made-up')).toBe(false);
  now += 61_000;
  expect(dir.isKnown('simpus-a')).toBe(false);
});
