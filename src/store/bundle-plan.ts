import { randomUUID } from 'node:crypto';
import type { Bundle, Resource } from 'fhir/r4';
import { parseEntryRequest, type EntryRequest } from './entry-request';
import type { Sql } from './sql';
import { multipleMatches, unsupportedBundle, unsupportedEntry } from './store-errors';

/** One resource the Bundle writes, with its final id. */
export interface PlannedWrite {
  index: number;
  resourceType: string;
  id: string;
  resource: Resource;
  /**
   * Found by identifier, or a Patient (the organisation's local Patient of a NIK, docs/decisions/0010):
   * other submissions use it too, so it is never deleted on their behalf.
   */
  shared: boolean;
}

export interface BundlePlan {
  /** In Bundle order. */
  writes: PlannedWrite[];
  /** `urn:uuid:<x>` fullUrl → `Type/id`. */
  references: Map<string, string>;
}

/**
 * Decides the id of every entry before anything is written, so that references between entries
 * can be rewritten. Runs inside the saving transaction: conditional matches take a transaction
 * lock on the identifier first, so two requests creating the same new Patient wait for each other
 * and the second one finds (and updates) the Patient the first one created.
 */
export async function planBundle(sql: Sql, bundle: Bundle, organizationId: string): Promise<BundlePlan> {
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'transaction') {
    unsupportedBundle('Bundle.type', `the store takes a transaction Bundle, not ${bundle.type}`);
  }
  const entries = bundle.entry ?? [];
  const requests = entries.map((entry, index) => parseEntryRequest(entry, index));
  await lockIdentifiers(sql, requests, organizationId);
  const writes: PlannedWrite[] = [];
  for (const [index, request] of requests.entries()) {
    const id = request.kind === 'id' ? request.id : await resolveIdentifier(sql, request, index, organizationId);
    const shared = request.kind === 'identifier' || request.resourceType === 'Patient';
    const resource = request.kind === 'identifier' ? await keepIdentifiers(sql, request.resourceType, id, request.resource) : request.resource;
    writes.push({ index, resourceType: request.resourceType, id, resource, shared });
  }
  checkDistinctTargets(writes, requests);
  return { writes, references: referenceMap(bundle, writes) };
}

/**
 * The advisory-lock key of a conditional match: matches are per organisation, so two
 * organisations creating their own Patient for one NIK do not wait for each other.
 */
export function identifierLockKey(organizationId: string, resourceType: string, value: string): string {
  return `${organizationId}|${resourceType}|${value}`;
}

/** In sorted order, so that two transactions never wait for each other's locks in a cycle. */
async function lockIdentifiers(sql: Sql, requests: EntryRequest[], organizationId: string): Promise<void> {
  const keys = new Set<string>();
  for (const r of requests) if (r.kind === 'identifier') for (const k of r.any) keys.add(identifierLockKey(organizationId, r.resourceType, k.value));
  for (const key of [...keys].sort()) {
    await sql.rows('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [key]);
  }
}

/**
 * Conditional matches see only the writing organisation's resources (docs/decisions/0010): one NIK, one Patient per
 * organisation. Any of the identifiers matches (a newborn's NIK or its mother's-NIK key, docs/decisions/0014): two
 * different resources matching means two records of one person, which the store must not guess between. With no
 * match the resource's own id is used when it carries one (the organisation's derived Patient id), else a new one.
 */
async function resolveIdentifier(sql: Sql, request: Extract<EntryRequest, { kind: 'identifier' }>, index: number, organizationId: string): Promise<string> {
  const matches = await sql.rows<{ id: string }>(
    `SELECT DISTINCT i.id FROM resource_identifier i
       JOIN resource r ON r.resource_type = i.resource_type AND r.id = i.id
       JOIN unnest($2::text[], $3::text[]) AS k(value, system) ON i.value = k.value AND (k.system IS NULL OR i.system = k.system)
      WHERE i.resource_type = $1 AND r.organization_id = $4
      ORDER BY i.id LIMIT 2`,
    [request.resourceType, request.any.map((k) => k.value), request.any.map((k) => k.system ?? null), organizationId],
  );
  const [first, second] = matches;
  if (second) return multipleMatches(index, request.url);
  return first ? first.id : (request.resource.id ?? randomUUID());
}

/**
 * A resource found by identifier is shared by other submissions, which find it by their own
 * identifiers: an update keeps the identifiers it already carries (a newborn's mother's-NIK key
 * stays when a later visit sends only the child's NIK), so the records stay linked.
 */
async function keepIdentifiers(sql: Sql, resourceType: string, id: string, resource: Resource): Promise<Resource> {
  const [row] = await sql.rows<{ identifier: unknown }>(
    `SELECT content->'identifier' AS identifier FROM resource WHERE resource_type = $1 AND id = $2 AND NOT deleted`, [resourceType, id]);
  const stored = Array.isArray(row?.identifier) ? (row.identifier as { system?: string; value?: string }[]) : [];
  const incoming = (resource as { identifier?: { system?: string; value?: string }[] }).identifier;
  if (stored.length === 0 || !Array.isArray(incoming)) return resource;
  const key = (i: { system?: string; value?: string }): string => `${i.system ?? ''}|${i.value ?? ''}`;
  const have = new Set(incoming.map(key));
  const kept = stored.filter((i) => !have.has(key(i)));
  return kept.length === 0 ? resource : ({ ...resource, identifier: [...incoming, ...kept] } as Resource);
}

/** Two entries for one resource (same id, or the same identifier match) would make two versions of it, or two copies. */
function checkDistinctTargets(writes: PlannedWrite[], requests: EntryRequest[]): void {
  const byTarget = new Map<string, number>();
  for (const w of writes) {
    const request = requests[w.index];
    const targets = [`${w.resourceType}/${w.id}`];
    if (request?.kind === 'identifier') targets.push(`${w.resourceType}?identifier=${JSON.stringify([request.system ?? null, request.value])}`);
    for (const target of targets) {
      const earlier = byTarget.get(target);
      if (earlier !== undefined) unsupportedEntry(w.index, `${target} is already written by entry ${earlier}`);
      byTarget.set(target, w.index);
    }
  }
}

function referenceMap(bundle: Bundle, writes: PlannedWrite[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const w of writes) {
    const fullUrl = bundle.entry?.[w.index]?.fullUrl;
    if (fullUrl === undefined || !fullUrl.startsWith('urn:uuid:')) continue;
    if (map.has(fullUrl)) unsupportedEntry(w.index, `fullUrl ${fullUrl} is used by two entries`, 'fullUrl');
    map.set(fullUrl, `${w.resourceType}/${w.id}`);
  }
  return map;
}
