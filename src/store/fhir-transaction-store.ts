import { randomUUID } from 'node:crypto';
import type { BundleEntry, FhirResource } from 'fhir/r4';
import type { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { rewriteReferences } from '../fhir/references';
import type { EntryResult, FhirTransactionStore, SaveTransactionInput, TransactionEntry, TransactionOutcome } from './fhir-ports';
import type { ResourceRef } from './ports';
import { parseEntryRequest } from './entry-request';
import { inTransactionRetryingRace, withConnection, type Sql } from './sql';
import { assertOwned, literalReferences } from './bundle-writer';
import { multipleMatches, versionConflict } from './store-errors';
import { identifierLockKey } from './bundle-plan';
import { save } from './submission-store';

/**
 * A FHIR transaction Bundle from a FHIR-native vendor, stored exactly like an ILP visit: resources,
 * history, search index, the submission (source `fhir`) and its outbox row in ONE database
 * transaction. What this adds to the submission store: POST entries (new ids) and conditional
 * creates (`ifNoneExist`, FHIR R4 http.html#ccreate), turned into the PUT entries it takes.
 */
const ID_NAMESPACE = '8d7c3f0e-5b1a-4c3e-9a57-2f1d6e0b9c41';

export class SqlFhirTransactionStore implements FhirTransactionStore {
  constructor(private readonly ds: DataSource) {}

  async saveTransaction(input: SaveTransactionInput): Promise<TransactionOutcome> {
    return inTransactionRetryingRace(this.ds, (sql) => saveTransaction(sql, input), input.submissionId);
  }

  /**
   * A batch is refused whole, before any entry is stored, when one entry would overwrite or refer
   * to another organisation's resource (docs/decisions/0010). Each write checks again in its own
   * transaction, so a race in between is still refused.
   */
  async assertWritable(organizationId: string, entries: TransactionEntry[]): Promise<void> {
    const refs = new Set<string>();
    for (const e of entries) {
      if (e.kind === 'put' && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(e.url)) refs.add(e.url);
      literalReferences(e.resource, refs);
    }
    await withConnection(this.ds, (sql) => assertOwned(sql, refs, organizationId));
  }
}

/**
 * Conditional keys in sorted order, the same advisory locks the submission store's conditional
 * updates take: PUT urls are parsed by parseEntryRequest, as the submission store parses them, so
 * both decode a key the same way (and a malformed escape is a 422 of that entry, never a URIError).
 */
async function lockKeys(sql: Sql, entries: TransactionEntry[], organizationId: string): Promise<void> {
  const keys = new Set<string>();
  for (const [index, e] of entries.entries()) {
    if (e.kind === 'create-if-none') keys.add(identifierLockKey(organizationId, e.resourceType, e.value));
    if (e.kind === 'put') {
      const r = parseEntryRequest({ request: { method: 'PUT', url: e.url }, resource: e.resource }, index);
      if (r.kind === 'identifier') for (const k of r.any) keys.add(identifierLockKey(organizationId, r.resourceType, k.value));
    }
  }
  for (const key of [...keys].sort()) await sql.rows('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))', [key]);
}

/** Conditional creates match only the writing organisation's resources (docs/decisions/0010). */
async function findMatch(sql: Sql, e: Extract<TransactionEntry, { kind: 'create-if-none' }>, index: number, organizationId: string): Promise<ResourceRef | undefined> {
  const rows = await sql.rows<{ id: string; version_id: number }>(
    `SELECT DISTINCT r.id, r.version_id FROM resource_identifier i JOIN resource r ON r.resource_type = i.resource_type AND r.id = i.id
      WHERE i.resource_type = $1 AND i.value = $2 AND ($3::text IS NULL OR i.system = $3::text) AND r.organization_id = $4 ORDER BY r.id LIMIT 2`,
    [e.resourceType, e.value, e.system ?? null, organizationId],
  );
  if (rows.length > 1) multipleMatches(index, `${e.resourceType}?identifier=${e.system ? `${e.system}|` : ''}${e.value}`);
  const [row] = rows;
  return row ? { resourceType: e.resourceType, id: row.id, versionId: row.version_id } : undefined;
}

interface Planned {
  /** Entries matched by a conditional create: nothing is written for them. */
  matched: Map<number, ResourceRef>;
  /** PUT entries for the submission store, with the original entry index. */
  writes: { index: number; entry: BundleEntry; ifMatch?: number }[];
}

function newId(input: SaveTransactionInput, e: TransactionEntry, index: number): string {
  // With Bundle.identifier a re-sent Bundle maps onto the same resources, as an ILP re-send does.
  // Keyed by entry position and type, not fullUrl: vendors mint fresh urn:uuids for every send.
  const type = e.kind === 'put' ? '' : e.resourceType;
  return input.stableIds ? uuidv5(`${input.organizationId}|${input.submissionId}|${index}|${type}`, ID_NAMESPACE) : randomUUID();
}

async function plan(sql: Sql, input: SaveTransactionInput): Promise<Planned> {
  const matched = new Map<number, ResourceRef>();
  const references = new Map<string, string>();
  for (const [index, e] of input.entries.entries()) {
    if (e.kind !== 'create-if-none') continue;
    const found = await findMatch(sql, e, index, input.organizationId);
    if (!found) continue;
    matched.set(index, found);
    if (e.fullUrl) references.set(e.fullUrl, `${found.resourceType}/${found.id}`);
  }
  const writes: Planned['writes'] = [];
  for (const [index, e] of input.entries.entries()) {
    if (matched.has(index)) continue;
    const resource = rewriteReferences(e.resource, references);
    if (e.kind === 'put') {
      writes.push({ index, entry: { fullUrl: e.fullUrl, resource, request: { method: 'PUT', url: e.url } }, ...(e.ifMatch !== undefined ? { ifMatch: e.ifMatch } : {}) });
      continue;
    }
    const id = newId(input, e, index);
    const { id: _ignored, ...body } = resource;
    writes.push({ index, entry: { fullUrl: e.fullUrl ?? `urn:uuid:${id}`, resource: { ...body, id } as FhirResource, request: { method: 'PUT', url: `${e.resourceType}/${id}` } } });
  }
  return { matched, writes };
}

/**
 * What each write finds before it is written: its current version decides 201 or 200 (http.html#update:
 * "201 Created" only when the resource is new) and is what `ifMatch` is compared with (412 otherwise).
 * An `ifMatch` target's row is locked (FOR UPDATE, in url order so two transactions never wait on
 * each other in a cycle; identifiers are locked by lockKeys already), so no writer moves it between
 * the comparison and the write.
 */
async function checkBefore(sql: Sql, planned: Planned, organizationId: string): Promise<Set<number>> {
  const existing = new Set<number>();
  const byUrl = [...planned.writes].sort((a, b) => ((a.entry.request?.url ?? '') < (b.entry.request?.url ?? '') ? -1 : 1));
  for (const w of byUrl) {
    const current = await currentOf(sql, w.entry, w.index, w.ifMatch !== undefined, organizationId);
    if (current) existing.add(w.index);
    if (w.ifMatch === undefined) continue;
    const target = w.entry.request?.url ?? '';
    if (!current) versionConflict(w.index, target, w.ifMatch, 'none');
    else if (current.versionId !== w.ifMatch) versionConflict(w.index, target, w.ifMatch, current.versionId);
  }
  return existing;
}

async function saveTransaction(sql: Sql, input: SaveTransactionInput): Promise<TransactionOutcome> {
  await lockKeys(sql, input.entries, input.organizationId);
  const planned = await plan(sql, input);
  const existing = await checkBefore(sql, planned, input.organizationId);
  const saved = await save(sql, {
    organizationId: input.organizationId,
    submissionId: input.submissionId,
    payload: input.bundle,
    payloadHash: input.payloadHash,
    bundle: { resourceType: 'Bundle', type: 'transaction', entry: planned.writes.map((w) => w.entry) },
    warnings: [],
    ...(input.contributions ? { contributions: input.contributions } : {}),
  });
  await sql.rows(`UPDATE submission SET source = 'fhir' WHERE pk = $1`, [saved.submission.id]);
  // Unchanged: nothing was written now, so the refs are what the store holds (a conditional create
  // may have matched a resource this very submission created the first time).
  const refs = saved.kind === 'unchanged' ? await currentRefs(sql, planned, input.organizationId) : saved.submission.resources;
  const written = new Map(planned.writes.map((w, k) => [w.index, refs[k]]));
  const results = input.entries.map((e, index): EntryResult => {
    const match = planned.matched.get(index);
    if (match) return { ref: match, status: 200 };
    const ref = written.get(index);
    if (!ref) throw new Error(`entry ${index} was planned but not written`);
    return { ref, status: existing.has(index) ? 200 : 201 };
  });
  return { saved, results };
}

/**
 * The current (not deleted) version of a PUT entry's target: by id, or by the identifier of a
 * conditional update, which matches only the writing organisation's resources (docs/decisions/0010).
 */
async function currentOf(sql: Sql, entry: BundleEntry, index: number, lock: boolean, organizationId: string): Promise<ResourceRef | undefined> {
  const r = parseEntryRequest(entry, index);
  const forUpdate = lock ? ' FOR UPDATE OF r' : '';
  const [row] = r.kind === 'id'
    ? await sql.rows<{ resource_type: string; id: string; version_id: number }>(
        `SELECT resource_type, id, version_id FROM resource r WHERE resource_type = $1 AND id = $2 AND NOT deleted${forUpdate}`, [r.resourceType, r.id])
    : await sql.rows<{ resource_type: string; id: string; version_id: number }>(
        `SELECT r.resource_type, r.id, r.version_id FROM resource_identifier i JOIN resource r USING (resource_type, id)
          WHERE i.resource_type = $1 AND i.value = $3 AND ($2::text IS NULL OR i.system = $2::text) AND r.organization_id = $4 AND NOT r.deleted
          ORDER BY r.id LIMIT 1${forUpdate}`,
        [r.resourceType, r.system ?? null, r.value, organizationId]);
  return row ? { resourceType: row.resource_type, id: row.id, versionId: row.version_id } : undefined;
}

/** The current version of each planned write. */
async function currentRefs(sql: Sql, planned: Planned, organizationId: string): Promise<ResourceRef[]> {
  const refs: ResourceRef[] = [];
  for (const { index, entry } of planned.writes) {
    const ref = await currentOf(sql, entry, index, false, organizationId);
    if (!ref) throw new Error(`${entry.request?.url ?? ''} vanished inside its own transaction`);
    refs.push(ref);
  }
  return refs;
}
