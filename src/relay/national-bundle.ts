import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';
import { rewriteReferences } from '../fhir/references';
import { forNationalPlatform, isNationallyCoded } from './national-content';
import { UUID } from '../fhir/ids';

/**
 * A stored visit as SATUSEHAT wants it (satusehat-api.md §5.4): one transaction Bundle at the FHIR
 * base; the Patient is not sent (it is resolved in the MPI, §2.2) and its references become
 * `Patient/<IHS>`; resources new to the platform are `POST <Type>` with `urn:uuid` fullUrls that
 * the other entries refer to; resources the platform already holds (an updated visit) are
 * `PUT <Type>/<national id>` (§5.3 "store the returned id and use PUT for updates").
 */
export interface LocalResource {
  /** `Type/id` in the gateway. */
  ref: string;
  resource: Resource;
}

export interface PlannedEntry {
  ref: string;
  method: 'POST' | 'PUT';
  resourceType: string;
  /** The SATUSEHAT identifier (sys-ids) it can be found by after a lost response. */
  identifier?: { system: string; value: string };
}

/** Encounter first: the other entries refer to it (a bundle for a new visit always has one, §5.4). */
const ORDER = ['Encounter', 'Condition', 'Observation', 'CarePlan'];

export function sysIdentifier(r: Resource): { system: string; value: string } | undefined {
  const ids = (r as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  const found = ids.find((i) => typeof i.system === 'string' && i.system.startsWith('http://sys-ids.kemkes.go.id/') && typeof i.value === 'string');
  return found ? { system: found.system ?? '', value: found.value ?? '' } : undefined;
}

const rank = (type: string): number => {
  const i = ORDER.indexOf(type);
  return i < 0 ? ORDER.length : i;
};

/** Strips local bookkeeping (meta) and sets the id the platform knows, if any. */
function outgoing(resource: Resource, nationalId: string | undefined): Resource {
  const { meta: _meta, id: _id, ...rest } = resource;
  return (nationalId ? { ...rest, id: nationalId } : rest) as Resource;
}

export function buildNationalBundle(
  resources: readonly LocalResource[],
  nationalIds: Readonly<Record<string, string>>,
  patient: { ref: string; ihs: string },
): { bundle: Bundle; entries: PlannedEntry[] } {
  const local = resources.filter((r) => r.resource.resourceType !== 'Patient' && !isNationallyCoded(r.resource)).map((r) => r.ref);
  const unsent = new Set(local);
  const sendable = resources
    .filter((r) => r.resource.resourceType !== 'Patient' && !unsent.has(r.ref))
    .map((r) => ({ ...r, resource: forNationalPlatform(r.resource, unsent) }))
    .sort((a, b) => rank(a.resource.resourceType) - rank(b.resource.resourceType));
  const fullUrls = new Map<string, string>();
  const refs = new Map<string, string>([[patient.ref, `Patient/${patient.ihs}`]]);
  for (const r of sendable) {
    const id = r.ref.slice(r.ref.indexOf('/') + 1);
    const fullUrl = `urn:uuid:${UUID.test(id) ? id.toLowerCase() : randomUUID()}`;
    fullUrls.set(r.ref, fullUrl);
    const national = nationalIds[r.ref];
    refs.set(r.ref, national ? `${r.resource.resourceType}/${national}` : fullUrl);
  }
  const entries: PlannedEntry[] = [];
  const bundleEntries: BundleEntry[] = sendable.map((r) => {
    const type = r.resource.resourceType;
    const national = nationalIds[r.ref];
    const identifier = sysIdentifier(r.resource);
    entries.push({ ref: r.ref, method: national ? 'PUT' : 'POST', resourceType: type, ...(identifier ? { identifier } : {}) });
    return {
      fullUrl: fullUrls.get(r.ref) ?? '',
      resource: rewriteReferences(outgoing(r.resource, national), refs) as BundleEntry['resource'],
      request: national ? { method: 'PUT', url: `${type}/${national}` } : { method: 'POST', url: type },
    };
  });
  return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: bundleEntries }, entries };
}

/** National ids by local ref from a transaction-response (entries in request order; `resourceID`, or the id in `location`). */
export function idsFromResponse(entries: readonly PlannedEntry[], body: unknown): Record<string, string> | undefined {
  const answered = (body as { entry?: { response?: { resourceID?: string; location?: string } }[] } | undefined)?.entry ?? [];
  if (answered.length !== entries.length) return undefined;
  const ids: Record<string, string> = {};
  for (const [i, e] of entries.entries()) {
    const response = answered[i]?.response;
    const id = response?.resourceID ?? /\/[A-Za-z]+\/([^/]+)(\/_history\/.*)?$/.exec(response?.location ?? '')?.[1];
    if (!id) return undefined;
    ids[e.ref] = id;
  }
  return ids;
}
