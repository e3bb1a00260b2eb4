import { dataFilter, requireAccess, requireWriter, writingOrganization } from '../auth/access-decision';
import { allows } from '../auth/scopes';
import type { Principal } from '../auth/tokens';
import { fail } from '../kernel';
import type { AccessFilter } from '../store/ports';
import type { FhirPrincipal, FhirRequest } from './types';

/**
 * The FHIR API's side of the one access decision (src/auth/access-decision.ts): the data filter
 * every read, search and export hands to the store, the writing organisation of a transaction,
 * and the scope checks the path gate (src/auth/access-policy.ts) cannot make from the path alone
 * (the types a Bulk export writes, the types _include and _revinclude add to a searchset).
 * No principal (a public route) means no scopes and no data.
 */
export function principalOf(req: FhirRequest): FhirPrincipal {
  return req.principal ?? fail('AUTH-MISSING');
}

function asPrincipal(p: FhirPrincipal): Principal {
  return { clientId: p.clientId, scopes: [...p.scopes], organizations: [...p.organizations], ...(p.regions ? { regions: [...p.regions] } : {}) };
}

/** The rows the caller may see (organisations and regions), for the store to apply in SQL. */
export function readFilter(req: FhirRequest): AccessFilter {
  return requireAccess(asPrincipal(principalOf(req)), 'fhir', 'read');
}

/** The filter a Bulk export job records at kick-off. */
export function exportFilter(req: FhirRequest): AccessFilter {
  return dataFilter(asPrincipal(principalOf(req)));
}

/** The organisation a FHIR write is for; 403 when the content names one that is not the caller's. */
export function writeOrganization(req: FhirRequest, named: readonly string[]): string {
  const p = asPrincipal(principalOf(req));
  requireWriter(p);
  return writingOrganization(p, named);
}

/** 403 unless the caller may read every one of `types` (`system/<T>.read`, or a wildcard covering it). */
export function requireRead(req: FhirRequest, types: Iterable<string>): void {
  const { scopes } = principalOf(req);
  for (const type of new Set(types)) {
    const scope = `system/${type}.read`;
    if (!allows(scopes, scope)) fail('AUTH-SCOPE', { scope });
  }
}
