import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, Encounter } from 'fhir/r4';
import { fail, isInvalidText, payloadHash } from '../kernel';
import { parseEntryRequest } from '../write-plan/entry-request';
import type { SaveTransactionInput, TransactionEntry } from '../store/fhir-ports';
import type { VisitContributions } from '../store/pws-ports';
import { writeOrganization } from './access';
import { isComputedType } from '../fhir/search-parameters';
import { isServedType } from './read';
import type { FhirRequest } from './types';

/**
 * Write entries of a transaction or batch (FHIR R4 http.html#transaction) as the store takes them:
 * `POST Type` (new id; `ifNoneExist: identifier=[system|]value` = conditional create),
 * `PUT Type/id` or `PUT Type?identifier=…` (conditional update), `ifMatch: W/"n"` on a PUT.
 */

const entryError = (index: number, detail: string): never => fail('FHIR-ENTRY-UNSUPPORTED', { index, detail }, `Bundle.entry[${index}].request`);

function parseIfNoneExist(index: number, query: string): { system?: string; value: string } {
  const params = [...new URLSearchParams(query.replace(/^[A-Za-z]+\?/, ''))];
  const [first] = params;
  if (params.length !== 1 || !first || first[0] !== 'identifier' || first[1] === '') {
    return entryError(index, `ifNoneExist must be identifier=[system|]value, not "${query.slice(0, 100)}"`);
  }
  // %00 decodes to NUL here, after the body's own text check: PostgreSQL text cannot hold it (a 500).
  if (isInvalidText(first[1])) return entryError(index, 'ifNoneExist holds a NUL or a lone surrogate after URL decoding');
  const bar = first[1].indexOf('|');
  return bar < 0 ? { value: first[1] } : { system: first[1].slice(0, bar), value: first[1].slice(bar + 1) };
}

/** `W/"3"` (or `"3"`, or a bare `3`, as some clients send) → 3 (http.html#concurrency); anything else is 400. */
export function parseIfMatch(raw: string, index?: number): number {
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!m) return fail('FHIR-IF-MATCH', { value: raw.slice(0, 64) }, index === undefined ? undefined : `Bundle.entry[${index}].request.ifMatch`);
  return Number(m[1]);
}

export function toTransactionEntry(entry: BundleEntry, index: number): TransactionEntry {
  const { request, resource } = entry;
  if (!request || !resource) return entryError(index, 'every write entry needs a request and a resource');
  if (!isServedType(resource.resourceType)) return entryError(index, `${resource.resourceType} is not stored by this gateway`);
  if (isComputedType(resource.resourceType)) return entryError(index, `${resource.resourceType} is computed by the gateway (village monitoring), never written by a client`);
  const url = request.url.replace(/^\//, '');
  const fullUrl = entry.fullUrl ? { fullUrl: entry.fullUrl } : {};
  if (request.method === 'POST') {
    if (url !== resource.resourceType) return entryError(index, `POST must name the resource type ${resource.resourceType}, not "${url}"`);
    if (request.ifMatch !== undefined) return entryError(index, 'ifMatch applies to PUT (an update), not to POST');
    if (!request.ifNoneExist) return { kind: 'create', resourceType: url, resource, ...fullUrl };
    return { kind: 'create-if-none', resourceType: url, resource, ...parseIfNoneExist(index, request.ifNoneExist), ...fullUrl };
  }
  if (request.method === 'PUT') {
    // Parsed as the store parses it (URLSearchParams: a malformed escape never throws): a bad url is this entry's 4xx here.
    parseEntryRequest({ request: { method: 'PUT', url }, resource }, index);
    const ifMatch = request.ifMatch === undefined ? {} : { ifMatch: parseIfMatch(request.ifMatch, index) };
    return { kind: 'put', url, resource, ...fullUrl, ...ifMatch };
  }
  return entryError(index, `${request.method} entries are not supported (POST and PUT are; GET in a batch)`);
}

/**
 * The relay sends a visit, and a visit is its Encounter (RELAY-NO-ENCOUNTER otherwise): stored
 * writes without one would be queued only to fail there, so they are refused now (422).
 */
export function requireRelayable(entries: readonly TransactionEntry[], kind: string): void {
  if (entries.some((e) => e.resource.resourceType === 'Encounter')) return;
  const types = [...new Set(entries.map((e) => e.resource.resourceType))].join(', ');
  fail('FHIR-NOTHING-TO-RELAY', { kind, detail: `it holds ${types || 'no resource'}` });
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

export function submissionKey(bundle: Bundle): { submissionId: string; stableIds: boolean } {
  const id = bundle.identifier;
  if (!id?.value) return { submissionId: `fhir:${randomUUID()}`, stableIds: false };
  return { submissionId: `fhir:${id.system ?? ''}|${id.value}`.slice(0, 512), stableIds: true };
}

export function saveInput(bundle: Bundle, organizationId: string, entries: TransactionEntry[], key = submissionKey(bundle), contributions?: VisitContributions): SaveTransactionInput {
  return { organizationId, ...key, bundle, payloadHash: payloadHash(bundle), entries, ...(contributions ? { contributions } : {}) };
}
