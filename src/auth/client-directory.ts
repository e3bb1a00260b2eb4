import type { JSONWebKeySet } from 'jose';
import type { ApiClientRecord, ApiClientStore } from '../store/client-ports';
import type { ApiClient } from './clients';

/**
 * The auth module's view of the client table: active clients for the token endpoint (read fresh
 * every time: one primary-key lookup beside a ~50 ms scrypt check), and whether a token's client is
 * still active for the request guard, cached for `cacheSeconds` so a revocation takes effect on
 * every replica within that time without a database round trip per API request.
 */
export interface ClientDirectory {
  findActive(clientId: string): Promise<ApiClient | undefined>;
  isActive(clientId: string): Promise<boolean>;
  /**
   * Synchronous: whether `clientId` is a registered client (active or revoked) that this replica
   * looked up within the last minute. The token endpoint looks every named id up, so after it
   * answered, this tells a caller-typed string from a real client id (for the audit trail).
   */
  isKnown(clientId: string): boolean;
}

export function toApiClient(r: Pick<ApiClientRecord, 'clientId' | 'name' | 'secretHash' | 'jwks' | 'jwksUri' | 'organizations' | 'regions' | 'scopes'>): ApiClient {
  return {
    clientId: r.clientId,
    ...(r.name !== undefined ? { name: r.name } : {}),
    ...(r.secretHash !== undefined ? { secretHash: r.secretHash } : {}),
    ...(r.jwks !== undefined ? { jwks: r.jwks as JSONWebKeySet } : {}),
    ...(r.jwksUri !== undefined ? { jwksUri: r.jwksUri } : {}),
    organizations: r.organizations,
    ...(r.regions !== undefined ? { regions: r.regions } : {}),
    scopes: r.scopes,
  };
}

export function createClientDirectory(store: Pick<ApiClientStore, 'get' | 'status'>, cacheSeconds: number, now: () => number = Date.now): ClientDirectory {
  const cache = new Map<string, { active: boolean; until: number }>();
  const known = new Map<string, number>();
  const remember = (clientId: string): void => {
    // Only ids found in the table get here, so the map stays as small as the client table.
    if (known.size > 10_000) known.clear();
    known.set(clientId, now() + 60_000);
  };
  return {
    async findActive(clientId) {
      const r = await store.get(clientId);
      if (r) remember(clientId);
      return r?.status === 'active' ? toApiClient(r) : undefined;
    },
    isKnown(clientId) {
      return (known.get(clientId) ?? 0) > now();
    },
    async isActive(clientId) {
      const hit = cache.get(clientId);
      if (hit && hit.until > now()) return hit.active;
      const status = await store.status(clientId);
      if (status) remember(clientId);
      const active = status === 'active';
      if (cacheSeconds > 0) {
        // Only clients with valid tokens get here, so the map stays as small as the client table.
        if (cache.size > 10_000) cache.clear();
        cache.set(clientId, { active, until: now() + cacheSeconds * 1000 });
      }
      return active;
    },
  };
}
