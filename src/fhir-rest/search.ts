import type { Bundle, BundleEntry, BundleLink, FhirResource } from 'fhir/r4';
import { fail, issue, operationOutcome, type Issue } from '../kernel';
import { isSearchable, searchParam } from '../fhir/search-parameters';
import { isKnownParameter, parseSearch, type IncludeSpec, type SearchRequest } from '../fhir/search-request';
import { applyView, parseView, type ElementView } from '../fhir/summary';
import type { StoredResource } from '../store/ports';
import { readFilter, requireRead } from './access';
import { allOk } from './outcomes';
import type { FhirRequest, Handler } from './types';

/** Paging links as absolute URLs that repeat the search with another _offset (search.html#paging, bundle.html#link). */
function pageUrl(req: FhirRequest, type: string, offset: number): string {
  const params = new URLSearchParams(req.query.filter(([k]) => k !== '_offset'));
  if (offset > 0) params.append('_offset', String(offset));
  const query = params.toString();
  return `${req.baseUrl}/${type}${query ? `?${query}` : ''}`;
}

function links(req: FhirRequest, search: SearchRequest, hasMore: boolean): BundleLink[] {
  const out: BundleLink[] = [{ relation: 'self', url: pageUrl(req, search.resourceType, search.offset) }];
  // `_count=0` never pages (its next page would be itself).
  if (hasMore && search.count > 0) out.push({ relation: 'next', url: pageUrl(req, search.resourceType, search.offset + search.count) });
  if (search.offset > 0 && search.count > 0) out.push({ relation: 'previous', url: pageUrl(req, search.resourceType, Math.max(0, search.offset - search.count)) });
  return out;
}

function entry(baseUrl: string, s: StoredResource, mode: 'match' | 'include', view: ElementView | undefined): BundleEntry {
  return { fullUrl: `${baseUrl}/${s.resourceType}/${s.id}`, resource: applyView(s.resource as FhirResource, view), search: { mode } };
}

/**
 * What an _include can add: its target type, else every type its reference parameter may point to
 * (whatever the store holds of them is returned; `:Patient` narrows the include and the scope needed).
 */
function includedTypes(spec: IncludeSpec): string[] {
  if (spec.targetType) return [spec.targetType];
  return searchParam(spec.sourceType, spec.code)?.targets ?? [];
}

/**
 * The access policy checked the read scope of the searched type; _include and _revinclude add
 * resources of other types, whose read scopes are required too (403 otherwise, never a silent drop).
 */
function requireIncludeScopes(req: FhirRequest, search: SearchRequest): void {
  requireRead(req, [search.resourceType, ...search.include.flatMap(includedTypes), ...search.revinclude.map((s) => s.sourceType)]);
}

/**
 * `Prefer: handling=lenient` (search.html#errors): unknown parameters are dropped and reported in an
 * OperationOutcome entry (search.mode = outcome) instead of refusing the search; `strict`, and no
 * preference, refuse them (400): a data team must never receive a silently unfiltered result.
 */
function lenientQuery(req: FhirRequest, type: string): { query: [string, string][]; ignored: Issue[] } {
  if (!/(^|[;,\s])handling=lenient\b/.test(req.headers.prefer ?? '')) return { query: req.query, ignored: [] };
  const query = req.query.filter(([k]) => isKnownParameter(type, k));
  const ignored = req.query.filter(([k]) => !isKnownParameter(type, k)).map(([k]) => issue('FHIR-SEARCH-PARAM-IGNORED', { param: k.slice(0, 64), type }));
  return { query, ignored };
}

function outcomeEntry(issues: Issue[]): BundleEntry[] {
  return issues.length === 0 ? [] : [{ resource: operationOutcome(issues), search: { mode: 'outcome' } }];
}

/** GET [base]/[type]?params → a searchset Bundle (search.html); `_summary` and `_elements` shape each entry. */
export const searchHandler: Handler = async (req, { type = '' }, deps) => {
  if (!isSearchable(type)) fail('FHIR-TYPE-UNSUPPORTED', { type: type.slice(0, 64) });
  const { query, ignored } = lenientQuery(req, type);
  const { view, rest } = parseView(query, true);
  const search = parseSearch(type, rest);
  requireIncludeScopes(req, search);
  // Matches, totals, _include and _revinclude: only what the caller may see (applied in SQL by the store).
  const result = await deps.fhir.search.search(search, readFilter(req));
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset' };
  if (result.total !== undefined) bundle.total = result.total;
  // The links repeat the search as it was run: without the parameters leniency dropped.
  bundle.link = links({ ...req, query }, search, result.hasMore);
  const found = search.summaryCount ? [] : [
    ...result.matches.map((m) => entry(req.baseUrl, m, 'match', view)),
    ...result.included.map((m) => entry(req.baseUrl, m, 'include', view)),
  ];
  const entries = [...found, ...outcomeEntry(ignored)];
  if (entries.length > 0) bundle.entry = entries;
  return [allOk, bundle];
};
