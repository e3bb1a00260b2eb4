import { fail } from '../kernel';

/**
 * The write plan's errors, named for what they mean at the call site; the codes and messages
 * are in the catalogue (src/kernel/error-catalogue.ts, STORE-*).
 */
export function unsupportedBundle(expression: string, detail: string): never {
  return fail('STORE-ENTRY-UNSUPPORTED', { detail }, expression);
}

export function unsupportedEntry(index: number, detail: string, element = 'request'): never {
  return unsupportedBundle(`Bundle.entry[${index}].${element}`, `entry ${index}: ${detail}`);
}

/** FHIR R4 http.html#cond-update: several matches → 412 Precondition Failed. */
export function multipleMatches(index: number, url: string): never {
  return fail('STORE-CONDITIONAL-MULTIPLE', { url }, `Bundle.entry[${index}].request.url`);
}

/** FHIR R4 http.html#concurrency: `ifMatch` names another version than the current one → 412. */
export function versionConflict(index: number, target: string, expected: number, current: number | 'none'): never {
  return fail('STORE-VERSION-CONFLICT', { index, target, expected, current }, `Bundle.entry[${index}].request.ifMatch`);
}

/** PostgreSQL stores no U+0000 in text or jsonb. */
export function nulCharacter(expression: string): never {
  return fail('STORE-TEXT-NUL', {}, expression);
}

/** Tenant isolation (docs/decisions/0010): a resource of another organisation is neither overwritten nor referenced. */
export function foreignOwner(reference: string, organizationId: string): never {
  fail('AUTH-OWNER', { reference: reference.slice(0, 140), organizationId: organizationId.slice(0, 64) });
}
