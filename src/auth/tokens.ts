import { SignJWT, jwtVerify } from 'jose';
import type { ApiClient } from './clients';

/** What a verified access token says about its bearer. */
export interface Principal {
  clientId: string;
  organizations: string[];
  scopes: string[];
}

const ISSUER = 'ilp-gateway';

export interface TokenSigner {
  issue(client: ApiClient, scopes: string[]): Promise<{ token: string; expiresIn: number }>;
  verify(token: string): Promise<Principal | undefined>;
}

/**
 * Access tokens are short-lived JWTs (HS256) signed with the gateway's own key, so any replica
 * with the same AUTH_SIGNING_KEY can verify them without a shared session store.
 */
export function createTokenSigner(key: Uint8Array, ttlSeconds: number, now: () => number = Date.now): TokenSigner {
  return {
    async issue(client, scopes) {
      const iat = Math.floor(now() / 1000);
      const token = await new SignJWT({ scope: scopes.join(' '), org: client.organizations })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setSubject(client.clientId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .sign(key);
      return { token, expiresIn: ttlSeconds };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'], typ: 'at+jwt', currentDate: new Date(now()) });
        if (typeof payload.sub !== 'string' || typeof payload.scope !== 'string' || !Array.isArray(payload.org)) return undefined;
        return { clientId: payload.sub, scopes: payload.scope.split(' ').filter(Boolean), organizations: payload.org.map(String) };
      } catch {
        return undefined;
      }
    },
  };
}
