import { createHash } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import type { ApiClient } from './clients';

/** What a verified access token says about its bearer. */
export interface Principal {
  clientId: string;
  /** SATUSEHAT organisation ids the client acts for; `*` = all. */
  organizations: string[];
  scopes: string[];
  /**
   * Kemendagri code prefixes (2/4/6/10 digits) of the patients' residence the client may see;
   * absent = no region restriction (docs/decisions/0010).
   */
  regions?: string[];
}

const ISSUER = 'ilp-gateway';

export interface TokenSigner {
  issue(client: ApiClient, scopes: string[]): Promise<{ token: string; expiresIn: number }>;
  verify(token: string): Promise<Principal | undefined>;
}

/**
 * A key's id is derived from the key itself (the first 12 bytes of its SHA-256, base64url), so
 * every replica names the same key the same way without configuring ids, and the id says nothing
 * about the key that would help guess it.
 */
export function keyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest().subarray(0, 12).toString('base64url');
}

function principalOf(payload: Record<string, unknown>): Principal | undefined {
  const { sub, scope, org, reg } = payload;
  if (typeof sub !== 'string' || typeof scope !== 'string' || !Array.isArray(org)) return undefined;
  // A `reg` claim that is present but not a list would widen access if ignored: refuse the token.
  if (reg !== undefined && !Array.isArray(reg)) return undefined;
  return {
    clientId: sub, scopes: scope.split(' ').filter(Boolean), organizations: org.map(String),
    ...(Array.isArray(reg) ? { regions: reg.map(String) } : {}),
  };
}

/**
 * Access tokens are short-lived JWTs (HS256) signed with the gateway's own key, so any replica
 * with the same keys can verify them without a shared session store. `current` signs; `previous`
 * keys only verify, so AUTH_SIGNING_KEY can rotate with an overlap as long as a token lives: the
 * `kid` header names the key, and a token naming no known key is refused (docs/operations.md).
 */
export function createTokenSigner(current: Uint8Array, ttlSeconds: number, now: () => number = Date.now, previous: readonly Uint8Array[] = []): TokenSigner {
  const currentKid = keyId(current);
  const keys = new Map<string, Uint8Array>([...previous.map((k) => [keyId(k), k] as const), [currentKid, current]]);
  return {
    async issue(client, scopes) {
      const iat = Math.floor(now() / 1000);
      const claims = { scope: scopes.join(' '), org: client.organizations, ...(client.regions ? { reg: client.regions } : {}) };
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: currentKid })
        .setIssuer(ISSUER)
        .setSubject(client.clientId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .sign(current);
      return { token, expiresIn: ttlSeconds };
    },
    async verify(token) {
      try {
        const { kid } = decodeProtectedHeader(token);
        const key = typeof kid === 'string' ? keys.get(kid) : undefined;
        if (!key) return undefined;
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'], typ: 'at+jwt', currentDate: new Date(now()) });
        return principalOf(payload);
      } catch {
        return undefined;
      }
    },
  };
}
