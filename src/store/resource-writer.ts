import type { Resource } from 'fhir/r4';
import { canonicalJson } from '../kernel';
import type { ResourceRef } from './ports';
import { identifiersOf } from './entry-request';
import { deleteIndex, indexResource } from './search-index';
import { after, iso, json, type Sql } from './sql';
import { foreignOwner } from './store-errors';

/**
 * Versioned writes of single resources inside the caller's transaction. Each write locks the
 * resource row first (FOR UPDATE), so concurrent writers of one resource take turns and every
 * version number is used once; `resource` holds the current version, `resource_history` all.
 */

interface CurrentRow {
  organization_id: string | null;
  residence: string | null;
  version_id: number;
  last_updated: string;
  deleted: boolean;
  content: Resource | null;
}

async function lockCurrent(sql: Sql, resourceType: string, id: string): Promise<CurrentRow | undefined> {
  const [row] = await sql.rows<CurrentRow>(
    `SELECT organization_id, residence, version_id, ${iso('last_updated')} AS last_updated, deleted, content FROM resource
      WHERE resource_type = $1 AND id = $2 FOR UPDATE`,
    [resourceType, id],
  );
  return row;
}

/** Who writes a version: the submission's organisation, and where its subject Patient lives (docs/decisions/0010). */
export interface VersionOwner {
  organizationId: string;
  /** 10-digit village code of the subject Patient's address; null when unknown. */
  residence: string | null;
}

/**
 * A resource belongs to the organisation that first wrote it: another organisation's write of the
 * same Type/id is refused (403, the whole transaction rolls back). Rows from before migration 0005
 * with no recorded owner are taken over by their next writer.
 */
function checkOwner(current: CurrentRow | undefined, resourceType: string, id: string, owner: VersionOwner): void {
  if (current?.organization_id && current.organization_id !== owner.organizationId) foreignOwner(`${resourceType}/${id}`, owner.organizationId);
}

/**
 * Stores `resource` as Type/id. Content equal to the current version (meta.versionId and
 * meta.lastUpdated aside) makes no new version: re-sending a visit leaves unchanged resources alone.
 */
export async function writeResource(sql: Sql, resourceType: string, id: string, resource: Resource, now: string, owner: VersionOwner): Promise<ResourceRef> {
  const current = await lockCurrent(sql, resourceType, id);
  checkOwner(current, resourceType, id, owner);
  const candidate: Resource = { ...resource, id };
  if (current && !current.deleted && current.content && sameContent(current.content, candidate)) {
    return { resourceType, id, versionId: current.version_id };
  }
  const versionId = (current?.version_id ?? 0) + 1;
  const lastUpdated = after(current?.last_updated, now);
  const content: Resource = { ...candidate, meta: { ...resource.meta, versionId: String(versionId), lastUpdated } };
  await storeVersion(sql, { resourceType, id, versionId, lastUpdated, content, ...owner }, current !== undefined);
  await indexResource(sql, { ...content, id });
  return { resourceType, id, versionId };
}

/** Marks Type/id deleted with a new version; undefined when it is absent or already deleted. */
export async function deleteResource(sql: Sql, resourceType: string, id: string, now: string, organizationId: string): Promise<ResourceRef | undefined> {
  const current = await lockCurrent(sql, resourceType, id);
  if (!current || current.deleted) return undefined;
  // The deletion keeps the residence of what it deletes: whoever could read the resource sees it gone (410).
  const owner: VersionOwner = { organizationId, residence: current.residence };
  checkOwner(current, resourceType, id, owner);
  const versionId = current.version_id + 1;
  await storeVersion(sql, { resourceType, id, versionId, lastUpdated: after(current.last_updated, now), content: null, ...owner }, true);
  await deleteIndex(sql, resourceType, id);
  return { resourceType, id, versionId };
}

interface Version {
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: string;
  /** null: a deletion. */
  content: Resource | null;
  organizationId: string;
  residence: string | null;
}

/**
 * One statement per version: the current row, its history row and the identifier index that
 * mirrors it (a deleted resource is found by no identifier). Identifiers are replaced by deleting
 * the ones that went and inserting the new ones with ON CONFLICT DO NOTHING, so the order in which
 * PostgreSQL runs the CTEs cannot matter. A plain INSERT for a new id: if another transaction
 * inserts it first, the unique violation makes the caller retry.
 */
async function storeVersion(sql: Sql, v: Version, exists: boolean): Promise<void> {
  const write = exists
    ? `UPDATE resource SET version_id = $3, last_updated = $4::timestamptz, deleted = $5::boolean, content = $6::jsonb,
              organization_id = $8, residence = $9
        WHERE resource_type = $1 AND id = $2 RETURNING *`
    : `INSERT INTO resource (resource_type, id, version_id, last_updated, deleted, content, organization_id, residence)
        VALUES ($1, $2, $3, $4::timestamptz, $5::boolean, $6::jsonb, $8, $9) RETURNING *`;
  const identifiers = v.content ? identifiersOf(v.content) : [];
  await sql.rows(
    `WITH written AS (${write}),
     history AS (
       INSERT INTO resource_history (resource_type, id, version_id, last_updated, deleted, content, organization_id, residence)
       SELECT resource_type, id, version_id, last_updated, deleted, content, organization_id, residence FROM written),
     wanted AS (SELECT x.system, x.value FROM jsonb_to_recordset($7::jsonb) AS x(system text, value text)),
     gone AS (
       DELETE FROM resource_identifier r WHERE r.resource_type = $1 AND r.id = $2
          AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.system = r.system AND w.value = r.value))
     INSERT INTO resource_identifier (resource_type, system, value, id)
     SELECT $1, w.system, w.value, $2 FROM wanted w
     ON CONFLICT DO NOTHING`,
    [v.resourceType, v.id, v.versionId, v.lastUpdated, v.content === null ? 'true' : 'false', v.content === null ? null : json(v.content), json(identifiers), v.organizationId, v.residence],
  );
}

/** Deep equality of two resources, ignoring the meta elements the store itself sets. */
export function sameContent(a: Resource, b: Resource): boolean {
  return canonicalJson(withoutVersionMeta(a)) === canonicalJson(withoutVersionMeta(b));
}

function withoutVersionMeta(resource: Resource): Resource {
  if (!resource.meta) return resource;
  const { versionId: _v, lastUpdated: _l, ...meta } = resource.meta;
  const { meta: _m, ...rest } = resource;
  return Object.keys(meta).length > 0 ? { ...rest, meta } : rest;
}
