import { allows } from '../auth/scopes';
import { fail } from '../kernel';
import type { FhirPrincipal, FhirRequest } from './types';

/**
 * Scope checks the access policy cannot make from the path alone (src/auth/access-policy.ts asks
 * for the read scope of the path's type): the types a Bulk export writes, the types _include and
 * _revinclude add to a searchset. No principal (a public route) means no scopes.
 */
export function principalOf(req: FhirRequest): FhirPrincipal {
  return req.principal ?? fail('AUTH-MISSING');
}

/** 403 unless the caller may read every one of `types` (`system/<T>.read`, or a wildcard covering it). */
export function requireRead(req: FhirRequest, types: Iterable<string>): void {
  const { scopes } = principalOf(req);
  for (const type of new Set(types)) {
    const scope = `system/${type}.read`;
    if (!allows(scopes, scope)) fail('AUTH-SCOPE', { scope });
  }
}
