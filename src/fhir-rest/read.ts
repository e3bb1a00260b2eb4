import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import { fail } from '../kernel';
import { isSearchable } from '../fhir/search-parameters';
import { applyView, parseView } from '../fhir/summary';
import type { StoredResource } from '../store/ports';
import { readFilter } from './access';
import { allOk } from './outcomes';
import type { FhirRequest, FhirResponseOptions, FhirResult, Handler } from './types';

/** Types served by read/vread/_history: the searchable ones, and Group (the target of Group-level $export). */
export function isServedType(type: string): boolean {
  return isSearchable(type) || type === 'Group';
}

export function requireType(type: string): void {
  if (!isServedType(type)) fail('FHIR-TYPE-UNSUPPORTED', { type: type.slice(0, 64) });
}

/** ETag and Last-Modified of a version (http.html#versioning, http.html#read). */
export function versionHeaders(s: StoredResource): FhirResponseOptions {
  return { headers: { ETag: `W/"${s.versionId}"`, 'Last-Modified': new Date(s.lastUpdated).toUTCString() } };
}

/** `_summary` / `_elements` on a read (http.html#read: "servers SHOULD support _summary and _elements"). */
function found(req: FhirRequest, s: StoredResource | undefined, type: string, id: string): FhirResult {
  const { view } = parseView(req.query, false);
  if (!s) fail('FHIR-RESOURCE-NOT-FOUND', { type, id: id.slice(0, 64) });
  // A deleted resource answers 410 Gone (http.html#read).
  if (s.deleted || !s.resource) fail('FHIR-RESOURCE-GONE', { type, id });
  return [allOk, applyView(s.resource, view), versionHeaders(s)];
}

/** Another organisation's (or region's) resource is answered exactly like a missing one: ids do not leak. */
export const readHandler: Handler = async (req, { type = '', id = '' }, deps) => {
  requireType(type);
  return found(req, await deps.resources.read(type, id, readFilter(req)), type, id);
};

export const vreadHandler: Handler = async (req, { type = '', id = '', vid = '' }, deps) => {
  requireType(type);
  const version = /^\d{1,9}$/.test(vid) ? Number(vid) : NaN;
  return found(req, Number.isNaN(version) ? undefined : await deps.resources.vread(type, id, version, readFilter(req)), type, `${id}/_history/${vid}`);
};

function historyEntry(baseUrl: string, s: StoredResource): BundleEntry {
  const url = `${s.resourceType}/${s.id}`;
  const entry: BundleEntry = {
    fullUrl: `${baseUrl}/${url}`,
    request: { method: s.deleted ? 'DELETE' : s.versionId === 1 ? 'POST' : 'PUT', url: s.versionId === 1 ? s.resourceType : url },
    response: { status: s.deleted ? '204' : s.versionId === 1 ? '201' : '200', etag: `W/"${s.versionId}"`, lastModified: s.lastUpdated },
  };
  if (s.resource) entry.resource = s.resource as FhirResource;
  return entry;
}

/** Instance history, newest first (http.html#history); deletions appear as entries without a resource. */
export const historyHandler: Handler = async (req, { type = '', id = '' }, deps) => {
  requireType(type);
  const versions = await deps.resources.history(type, id, readFilter(req));
  if (versions.length === 0) fail('FHIR-RESOURCE-NOT-FOUND', { type, id: id.slice(0, 64) });
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'history',
    total: versions.length,
    link: [{ relation: 'self', url: `${req.baseUrl}/${type}/${id}/_history` }],
    entry: versions.map((v) => historyEntry(req.baseUrl, v)),
  };
  return [allOk, bundle];
};
