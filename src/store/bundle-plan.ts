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
    writes.push({ index, resourceType: request.resourceType, id, resource: request.resource, shared });
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
  for (const r of requests) if (r.kind === 'identifier') keys.add(identifierLockKey(organizationId, r.resourceType, r.value));
  for (const key of [...keys].sort()) {
    await sql.rows('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [key]);
  }
}

/** Conditional matches see only the writing organisation's resources (docs/decisions/0010): one NIK, one Patient per organisation. */
async function resolveIdentifier(sql: Sql, request: Extract<EntryRequest, { kind: 'identifier' }>, index: number, organizationId: string): Promise<string> {
  const matches = await sql.rows<{ id: string }>(
    `SELECT DISTINCT i.id FROM resource_identifier i JOIN resource r ON r.resource_type = i.resource_type AND r.id = i.id
      WHERE i.resource_type = $1 AND i.value = $2 AND ($3::text IS NULL OR i.system = $3::text) AND r.organization_id = $4
      ORDER BY i.id LIMIT 2`,
    [request.resourceType, request.value, request.system ?? null, organizationId],
  );
  const [first, second] = matches;
  if (second) return multipleMatches(index, request.url);
  return first ? first.id : randomUUID();
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
