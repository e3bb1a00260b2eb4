import type { BundleEntry, FhirResource } from 'fhir/r4';
import { fail, isInvalidText } from '../kernel';
import { requireRead } from './access';
import { failedEntry } from './entry-response';
import { statusLine, statusOf } from './outcomes';
import { historyHandler, readHandler, vreadHandler } from './read';
import { searchHandler } from './search';
import type { FhirRequest, FhirRestDeps, Handler } from './types';

/**
 * A GET entry of a batch (http.html#brules: "GET" entries are reads and searches answered in the
 * entry's response): `Type?query` (search), `Type/id` (read), `Type/id/_history[/vid]`. Medplum's
 * client batches its reads this way. The access policy saw only `POST /fhir`, so the read scope
 * of the type is checked here, as the policy would for the same GET on its own.
 */
interface ReadRoute { pattern: RegExp; handler: Handler; params: (m: RegExpExecArray) => Record<string, string> }

const READS: ReadRoute[] = [
  { pattern: /^([A-Z][A-Za-z]+)$/, handler: searchHandler, params: (m) => ({ type: m[1] ?? '' }) },
  { pattern: /^([A-Z][A-Za-z]+)\/([^/]+)$/, handler: readHandler, params: (m) => ({ type: m[1] ?? '', id: m[2] ?? '' }) },
  { pattern: /^([A-Z][A-Za-z]+)\/([^/]+)\/_history$/, handler: historyHandler, params: (m) => ({ type: m[1] ?? '', id: m[2] ?? '' }) },
  { pattern: /^([A-Z][A-Za-z]+)\/([^/]+)\/_history\/([^/]+)$/, handler: vreadHandler, params: (m) => ({ type: m[1] ?? '', id: m[2] ?? '', vid: m[3] ?? '' }) },
];

function subRequest(req: FhirRequest, path: string, query: string): FhirRequest {
  return { ...req, method: 'GET', path: `/${path}`, query: [...new URLSearchParams(query)], body: undefined };
}

export async function readEntry(entry: BundleEntry, index: number, req: FhirRequest, deps: FhirRestDeps): Promise<BundleEntry> {
  try {
    const url = (entry.request?.url ?? '').replace(/^\//, '');
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const route = READS.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m !== null);
    if (!route?.m) return fail('FHIR-ENTRY-UNSUPPORTED', { index, detail: `GET ${url.slice(0, 100)} is not a read or search` }, `Bundle.entry[${index}].request.url`);
    const params = route.r.params(route.m);
    requireRead(req, [params.type ?? '']);
    // The HTTP guard (api/hardening.ts) saw this URL only as JSON text: refuse NUL and lone surrogates here too, before SQL.
    const sub = subRequest(req, path, q < 0 ? '' : url.slice(q + 1));
    const texts = [...Object.values(params), ...sub.query.flat()];
    if (texts.some((t) => typeof t === 'string' && isInvalidText(t))) fail('HTTP-TEXT-INVALID', { where: `Bundle.entry[${index}].request.url` }, `Bundle.entry[${index}].request.url`);
    const [outcome, resource, options] = await route.r.handler(sub, params, deps);
    const headers = options?.headers ?? {};
    const response: BundleEntry['response'] = { status: statusLine(statusOf(outcome)) };
    if (headers.ETag) response.etag = headers.ETag;
    if (headers['Last-Modified']) response.lastModified = new Date(headers['Last-Modified']).toISOString();
    return { ...(resource ? { resource: resource as FhirResource } : {}), response };
  } catch (err) {
    return failedEntry(err);
  }
}
