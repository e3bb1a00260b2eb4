import { createHash, randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, BundleEntryResponse, Encounter } from 'fhir/r4';
import stringify from 'safe-stable-stringify';
import { fail, hasErrors, issue, operationOutcome, OperationOutcomeError, type Issue } from '../kernel';
import { parseEntryRequest } from '../store/entry-request';
import type { SaveTransactionInput, TransactionEntry, TransactionOutcome } from '../store/fhir-ports';
import { writeOrganization } from './access';
import { allOk, statusLine } from './outcomes';
import { isServedType } from './read';
import type { FhirRequest, FhirRestDeps, Handler } from './types';

/**
 * POST [base] with a transaction or batch Bundle (FHIR R4 http.html#transaction). Entries may be
 * `POST Type` (new id; `ifNoneExist: identifier=[system|]value` = conditional create),
 * `PUT Type/id` or `PUT Type?identifier=…` (conditional update). A transaction is validated
 * whole and stored atomically with its submission and outbox row, so the relay sends it like an
 * ILP visit; a batch stores each entry on its own and answers for each.
 */

const entryError = (index: number, detail: string): never => fail('FHIR-ENTRY-UNSUPPORTED', { index, detail }, `Bundle.entry[${index}].request`);

function parseIfNoneExist(index: number, query: string): { system?: string; value: string } {
  const params = [...new URLSearchParams(query.replace(/^[A-Za-z]+\?/, ''))];
  const [first] = params;
  if (params.length !== 1 || !first || first[0] !== 'identifier' || first[1] === '') {
    return entryError(index, `ifNoneExist must be identifier=[system|]value, not "${query.slice(0, 100)}"`);
  }
  const bar = first[1].indexOf('|');
  return bar < 0 ? { value: first[1] } : { system: first[1].slice(0, bar), value: first[1].slice(bar + 1) };
}

export function toTransactionEntry(entry: BundleEntry, index: number): TransactionEntry {
  const { request, resource } = entry;
  if (!request || !resource) return entryError(index, 'every entry needs a request and a resource');
  if (!isServedType(resource.resourceType)) return entryError(index, `${resource.resourceType} is not stored by this gateway`);
  const url = request.url.replace(/^\//, '');
  const fullUrl = entry.fullUrl ? { fullUrl: entry.fullUrl } : {};
  if (request.method === 'POST') {
    if (url !== resource.resourceType) return entryError(index, `POST must name the resource type ${resource.resourceType}, not "${url}"`);
    if (!request.ifNoneExist) return { kind: 'create', resourceType: url, resource, ...fullUrl };
    return { kind: 'create-if-none', resourceType: url, resource, ...parseIfNoneExist(index, request.ifNoneExist), ...fullUrl };
  }
  if (request.method === 'PUT') {
    // Parsed as the store parses it (URLSearchParams: a malformed escape never throws): a bad url is this entry's 4xx here.
    parseEntryRequest({ request: { method: 'PUT', url }, resource }, index);
    return { kind: 'put', url, resource, ...fullUrl };
  }
  return entryError(index, `${request.method} entries are not supported (POST and PUT are)`);
}

const ORG_REFERENCE = /^Organization\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * Every organisation the request names: each Encounter's serviceProvider (in any entry) and the
 * X-Organization-Id header. A serviceProvider or header that is not a plain organisation id names
 * "something else", which no client may write for (403, never silently ignored).
 */
export function namedOrganizations(bundle: Bundle, header: string | undefined): string[] {
  const named: string[] = [];
  for (const e of bundle.entry ?? []) {
    if (e.resource?.resourceType !== 'Encounter') continue;
    const ref = (e.resource as Encounter).serviceProvider?.reference;
    if (ref === undefined) continue;
    named.push(ORG_REFERENCE.exec(ref)?.[1] ?? String(ref));
  }
  if (header !== undefined && header !== '') named.push(header.trim());
  return named;
}

/**
 * The submitting organisation, decided by the access decision (src/auth/access-decision.ts) for
 * the whole Bundle before anything is stored: every organisation it names must be the caller's and
 * they must agree; a client with one organisation writes as it when the Bundle names none.
 */
export function organizationOf(bundle: Bundle, req: FhirRequest): string {
  return writeOrganization(req, namedOrganizations(bundle, req.headers['x-organization-id']));
}

function submissionKey(bundle: Bundle): { submissionId: string; stableIds: boolean } {
  const id = bundle.identifier;
  if (!id?.value) return { submissionId: `fhir:${randomUUID()}`, stableIds: false };
  return { submissionId: `fhir:${id.system ?? ''}|${id.value}`.slice(0, 512), stableIds: true };
}

export function payloadHash(bundle: Bundle): string {
  return createHash('sha256').update(stringify(bundle) ?? '').digest('hex');
}

function responseOf(outcome: TransactionOutcome['results'][number]): BundleEntryResponse {
  const { ref, status } = outcome;
  return { status: statusLine(status), location: `${ref.resourceType}/${ref.id}/_history/${ref.versionId}`, etag: `W/"${ref.versionId}"` };
}

function input(bundle: Bundle, organizationId: string, entries: TransactionEntry[], key = submissionKey(bundle)): SaveTransactionInput {
  return { organizationId, ...key, bundle, payloadHash: payloadHash(bundle), entries };
}

async function transaction(bundle: Bundle, req: FhirRequest, deps: FhirRestDeps): Promise<Bundle> {
  const organizationId = organizationOf(bundle, req);
  const issues = deps.validate(bundle);
  // Atomic (http.html#trules): one invalid entry and nothing is stored.
  if (hasErrors(issues)) throw new OperationOutcomeError(422, issues);
  const entries = (bundle.entry ?? []).map(toTransactionEntry);
  const saved = await deps.fhir.transactions.saveTransaction(input(bundle, organizationId, entries));
  return { resourceType: 'Bundle', type: 'transaction-response', entry: saved.results.map((r) => ({ response: responseOf(r) })) };
}

function failedEntry(err: unknown): BundleEntry {
  const oo = err instanceof OperationOutcomeError ? err : new OperationOutcomeError(500, [issue('HTTP-INTERNAL', { requestId: 'batch' })]);
  return { response: { status: statusLine(oo.status), outcome: operationOutcome(oo.issues as Issue[]) } };
}

/** Issues of one batch entry: those whose expression points into it. */
function entryIssues(issues: Issue[], index: number): Issue[] {
  const prefix = `Bundle.entry[${index}]`;
  return issues.filter((i) => i.expression?.startsWith(prefix));
}

async function batchEntry(bundle: Bundle, entry: BundleEntry, index: number, issues: Issue[], organizationId: string, deps: FhirRestDeps): Promise<BundleEntry> {
  try {
    const own = entryIssues(issues, index);
    if (hasErrors(own)) throw new OperationOutcomeError(422, own);
    const single: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [entry] };
    const key = submissionKey(bundle);
    const saved = await deps.fhir.transactions.saveTransaction(
      input(single, organizationId, [toTransactionEntry(entry, index)], { submissionId: `${key.submissionId}#${index}`, stableIds: key.stableIds }),
    );
    const [result] = saved.results;
    return result ? { response: responseOf(result) } : failedEntry(undefined);
  } catch (err) {
    return failedEntry(err);
  }
}

/** The entries a batch can store (a malformed one is that entry's own 4xx later), for the ownership pre-check. */
function writableEntries(bundle: Bundle): TransactionEntry[] {
  return (bundle.entry ?? []).flatMap((entry, index) => {
    try {
      return [toTransactionEntry(entry, index)];
    } catch {
      return [];
    }
  });
}

/** Batch entries are independent (http.html#brules): each is stored or refused on its own, in order. */
async function batch(bundle: Bundle, req: FhirRequest, deps: FhirRestDeps): Promise<Bundle> {
  // Decided for the whole batch before any entry is stored: one entry naming another organisation refuses the batch.
  const organizationId = organizationOf(bundle, req);
  const issues = deps.validate(bundle);
  const outside = issues.filter((i) => !/^Bundle\.entry\[\d+\]/.test(i.expression ?? ''));
  if (hasErrors(outside)) throw new OperationOutcomeError(422, outside);
  await deps.fhir.transactions.assertWritable(organizationId, writableEntries(bundle));
  const entries: BundleEntry[] = [];
  for (const [index, entry] of (bundle.entry ?? []).entries()) entries.push(await batchEntry(bundle, entry, index, issues, organizationId, deps));
  return { resourceType: 'Bundle', type: 'batch-response', entry: entries };
}

export const transactionHandler: Handler = async (req, _params, deps) => {
  const body = req.body as Partial<Bundle> | undefined;
  if (body?.resourceType !== 'Bundle' || (body.type !== 'transaction' && body.type !== 'batch')) {
    fail('FHIR-BUNDLE-TYPE', { type: String(body?.resourceType === 'Bundle' ? body.type : (body?.resourceType ?? 'nothing')).slice(0, 64) });
  }
  const bundle = body as Bundle;
  return [allOk, bundle.type === 'transaction' ? await transaction(bundle, req, deps) : await batch(bundle, req, deps)];
};
