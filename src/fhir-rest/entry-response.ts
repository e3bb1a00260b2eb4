import type { BundleEntry, BundleEntryResponse, FhirResource } from 'fhir/r4';
import { issue, operationOutcome, OperationOutcomeError, type Issue } from '../kernel';
import type { TransactionOutcome } from '../store/fhir-ports';
import { statusLine } from './outcomes';
import type { FhirRequest, FhirRestDeps } from './types';

/**
 * The response part of transaction and batch entries (http.html#transaction-response), shaped by
 * `Prefer: return=` (http.html#ops): `minimal` (the default here: status, location, etag),
 * `representation` (the stored resource as well) or `OperationOutcome` (an outcome per entry).
 */
export type ReturnPreference = 'minimal' | 'representation' | 'OperationOutcome';

export function returnPreference(req: FhirRequest): ReturnPreference {
  const m = /(?:^|[;,\s])return=(minimal|representation|OperationOutcome)\b/.exec(req.headers.prefer ?? '');
  return (m?.[1] as ReturnPreference | undefined) ?? 'minimal';
}

export function failedEntry(err: unknown): BundleEntry {
  const oo = err instanceof OperationOutcomeError ? err : new OperationOutcomeError(500, [issue('HTTP-INTERNAL', { requestId: 'batch' })]);
  return { response: { status: statusLine(oo.status), outcome: operationOutcome(oo.issues as Issue[]) } };
}

type Written = TransactionOutcome['results'][number];

function responseOf({ ref, status }: Written): BundleEntryResponse {
  return { status: statusLine(status), location: `${ref.resourceType}/${ref.id}/_history/${ref.versionId}`, etag: `W/"${ref.versionId}"` };
}

export async function writtenEntry(written: Written, preference: ReturnPreference, deps: FhirRestDeps): Promise<BundleEntry> {
  const response = responseOf(written);
  if (preference === 'OperationOutcome') return { response: { ...response, outcome: operationOutcome([]) } };
  if (preference === 'minimal') return { response };
  const stored = await deps.resources.vread(written.ref.resourceType, written.ref.id, written.ref.versionId);
  if (stored) response.lastModified = stored.lastUpdated;
  return { ...(stored?.resource ? { resource: stored.resource as FhirResource } : {}), response };
}
