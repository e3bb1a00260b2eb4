import { fail, OperationOutcomeError, type Issue } from '../kernel';

/**
 * Errors the store raises for Bundles it cannot process. They belong in the kernel's error
 * catalogue (src/kernel/error-catalogue.ts, which the store does not own); until they are added
 * there they are built here in the same shape, with the same stable codes.
 */
export function unsupportedBundle(expression: string, detail: string): never {
  throw new OperationOutcomeError(422, [
    {
      severity: 'error',
      code: 'not-supported',
      errorCode: 'STORE-ENTRY-UNSUPPORTED',
      expression,
      message: { en: `The Bundle cannot be stored: ${detail}`, id: `Bundle tidak dapat disimpan: ${detail}` },
    } satisfies Issue,
  ]);
}

export function unsupportedEntry(index: number, detail: string, element = 'request'): never {
  return unsupportedBundle(`Bundle.entry[${index}].${element}`, `entry ${index}: ${detail}`);
}

/** FHIR R4 http.html#cond-update: several matches → 412 Precondition Failed. */
export function multipleMatches(index: number, url: string): never {
  throw new OperationOutcomeError(412, [
    {
      severity: 'error',
      code: 'duplicate',
      errorCode: 'STORE-CONDITIONAL-MULTIPLE',
      expression: `Bundle.entry[${index}].request.url`,
      message: {
        en: `The conditional update ${url} matches more than one resource`,
        id: `Pembaruan bersyarat ${url} cocok dengan lebih dari satu sumber daya`,
      },
    },
  ]);
}

/** PostgreSQL stores no U+0000 in text or jsonb. */
export function nulCharacter(expression: string): never {
  throw new OperationOutcomeError(422, [
    {
      severity: 'error',
      code: 'value',
      errorCode: 'STORE-TEXT-NUL',
      expression,
      message: {
        en: 'Text may not contain the NUL character (U+0000)',
        id: 'Teks tidak boleh mengandung karakter NUL (U+0000)',
      },
    },
  ]);
}

/** Tenant isolation (docs/decisions/0010): a resource of another organisation is neither overwritten nor referenced. */
export function foreignOwner(reference: string, organizationId: string): never {
  fail('AUTH-OWNER', { reference: reference.slice(0, 140), organizationId: organizationId.slice(0, 64) });
}
