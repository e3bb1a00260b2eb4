import type { BundleEntry, Resource } from 'fhir/r4';
import { FHIR_ID } from '../fhir/ids';
import { unsupportedEntry } from './errors';

/**
 * The two kinds of transaction entry the store accepts (see SaveSubmissionInput.bundle):
 * `PUT Type/id` (update-as-create, FHIR R4 http.html#update) and
 * `PUT Type?identifier=[system|]value` (conditional update, http.html#cond-update).
 */
export type EntryRequest =
  | { kind: 'id'; resourceType: string; id: string; resource: Resource }
  | {
    kind: 'identifier'; resourceType: string; url: string; system: string | undefined; value: string; resource: Resource;
    /**
     * Every identifier the entry matches on: `identifier=a|1,b|2` matches a resource carrying
     * either (FHIR search.html#combining: a comma is OR). `system`/`value` are the first of them.
     */
    any: { system: string | undefined; value: string }[];
  };

export interface IdentifierKey {
  /** '' when the identifier has no system. */
  system: string;
  value: string;
}

const BY_ID = /^([A-Z][A-Za-z]+)\/([^/?]+)$/;
const BY_QUERY = /^([A-Z][A-Za-z]+)\?(.+)$/;

export function parseEntryRequest(entry: BundleEntry, index: number): EntryRequest {
  const { request, resource } = entry;
  if (!request) return unsupportedEntry(index, 'the entry has no request');
  if (request.method !== 'PUT') return unsupportedEntry(index, `only PUT is supported, not ${request.method}`);
  if (!resource) return unsupportedEntry(index, 'the entry has no resource', 'resource');
  const url = request.url.replace(/^\//, '');
  const byId = BY_ID.exec(url);
  if (byId) return idRequest(byId[1] ?? '', byId[2] ?? '', resource, index);
  const byQuery = BY_QUERY.exec(url);
  if (byQuery) return identifierRequest(byQuery[1] ?? '', byQuery[2] ?? '', url, resource, index);
  return unsupportedEntry(index, `request.url must be Type/id or Type?identifier=system|value, not "${request.url}"`);
}

function checkType(resourceType: string, resource: Resource, index: number): void {
  if (resource.resourceType !== resourceType) {
    unsupportedEntry(index, `request.url names ${resourceType} but the resource is a ${resource.resourceType}`);
  }
}

function idRequest(resourceType: string, id: string, resource: Resource, index: number): EntryRequest {
  checkType(resourceType, resource, index);
  if (!FHIR_ID.test(id)) unsupportedEntry(index, `"${id}" is not a valid FHIR id`);
  if (resource.id !== undefined && resource.id !== id) {
    unsupportedEntry(index, `resource.id "${resource.id}" differs from the id in request.url "${id}"`, 'resource.id');
  }
  return { kind: 'id', resourceType, id, resource };
}

function identifierRequest(resourceType: string, query: string, url: string, resource: Resource, index: number): EntryRequest {
  checkType(resourceType, resource, index);
  const params = [...new URLSearchParams(query)];
  const [param] = params;
  if (params.length !== 1 || param === undefined || param[0] !== 'identifier') {
    return unsupportedEntry(index, `a conditional update must use exactly one identifier parameter: "${url}"`);
  }
  const any = param[1].split(',').map((token) => {
    const bar = token.indexOf('|');
    return { system: bar < 0 ? undefined : token.slice(0, bar), value: bar < 0 ? token : token.slice(bar + 1), token };
  });
  for (const { system, value, token } of any) {
    if (value === '') return unsupportedEntry(index, `the identifier in "${url}" has no value`);
    const carried = identifiersOf(resource).some((i) => i.value === value && (system === undefined || i.system === system));
    // Otherwise the next identical request would not find what this one creates.
    if (!carried) unsupportedEntry(index, `the resource does not carry the identifier it is matched on (${token})`, 'resource.identifier');
  }
  const [{ system, value }] = any as [(typeof any)[number]];
  return { kind: 'identifier', resourceType, url, system, value, resource, any: any.map((k) => ({ system: k.system, value: k.value })) };
}

/** Every identifier with a value, once each (Identifier is a list in most resources, single in a few). */
export function identifiersOf(resource: Resource): IdentifierKey[] {
  const raw: unknown = (resource as { identifier?: unknown }).identifier;
  const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const seen = new Map<string, IdentifierKey>();
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const { system, value } = item as { system?: unknown; value?: unknown };
    if (typeof value !== 'string' || value === '') continue;
    const key: IdentifierKey = { system: typeof system === 'string' ? system : '', value };
    seen.set(`${key.system}|${key.value}`, key);
  }
  return [...seen.values()];
}
