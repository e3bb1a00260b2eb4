import { SignJWT, jwtVerify } from 'jose';
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
 * Access tokens are short-lived JWTs (HS256) signed with the gateway's own key, so any replica
 * with the same AUTH_SIGNING_KEY can verify them without a shared session store.
 */
export function createTokenSigner(key: Uint8Array, ttlSeconds: number, now: () => number = Date.now): TokenSigner {
  return {
    async issue(client, scopes) {
      const iat = Math.floor(now() / 1000);
      const claims = { scope: scopes.join(' '), org: client.organizations, ...(client.regions ? { reg: client.regions } : {}) };
      const token = await new SignJWT(claims)
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
        // A `reg` claim that is present but not a list would widen access if ignored: refuse the token.
        if (payload.reg !== undefined && !Array.isArray(payload.reg)) return undefined;
        const principal: Principal = { clientId: payload.sub, scopes: payload.scope.split(' ').filter(Boolean), organizations: payload.org.map(String) };
        if (Array.isArray(payload.reg)) principal.regions = payload.reg.map(String);
        return principal;
      } catch {
        return undefined;
      }
    },
  };
}
