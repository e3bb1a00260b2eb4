import type { OperationOutcome, OperationOutcomeIssue, Resource } from 'fhir/r4';
import type { OutboxRow, ResourceRef, StoredResource, SubmissionRecord, SubmissionStatus } from './ports';
import { iso } from './sql';

/**
 * Row shapes and their mapping to the ports' types. Every SELECT formats timestamps with iso()
 * and casts bigints to text, so PostgreSQL (node-postgres) and PGlite return the same JS values.
 */

export const RESOURCE_COLUMNS = `resource_type, id, version_id, ${iso('last_updated')} AS last_updated, deleted, content`;

export interface ResourceRow {
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: string;
  deleted: boolean;
  content: Resource | null;
}

export function toStoredResource(row: ResourceRow): StoredResource {
  const out: StoredResource = {
    resourceType: row.resource_type,
    id: row.id,
    versionId: row.version_id,
    lastUpdated: row.last_updated,
    deleted: row.deleted,
  };
  if (!row.deleted && row.content) out.resource = row.content;
  return out;
}

/** A ResourceRef as kept in submission_version.resources; `shared` marks identifier matches. */
export interface StoredRef extends ResourceRef {
  shared?: boolean;
}

export function toRef({ resourceType, id, versionId }: StoredRef): ResourceRef {
  return { resourceType, id, versionId };
}

export const SUBMISSION_SELECT = `
  SELECT s.pk, s.organization_id, s.submission_id, s.version, s.status, s.payload_hash,
         ${iso('s.received_at')} AS received_at, ${iso('s.updated_at')} AS updated_at,
         s.warnings, s.national_ids, s.national_outcome, v.resources, v.removed
    FROM submission s
    LEFT JOIN submission_version v ON v.submission_pk = s.pk AND v.version = s.version`;

export interface SubmissionRow {
  pk: string;
  organization_id: string;
  submission_id: string;
  version: number;
  status: SubmissionStatus;
  payload_hash: string;
  received_at: string;
  updated_at: string;
  warnings: OperationOutcomeIssue[];
  national_ids: Record<string, string>;
  national_outcome: OperationOutcome | null;
  resources: StoredRef[] | null;
  removed: StoredRef[] | null;
}

export function toSubmissionRecord(row: SubmissionRow): SubmissionRecord {
  const record: SubmissionRecord = {
    id: row.pk,
    organizationId: row.organization_id,
    submissionId: row.submission_id,
    version: row.version,
    status: row.status,
    payloadHash: row.payload_hash,
    receivedAt: row.received_at,
    updatedAt: row.updated_at,
    resources: (row.resources ?? []).map(toRef),
    removed: (row.removed ?? []).map(toRef),
    warnings: row.warnings,
    nationalIds: row.national_ids,
  };
  if (row.national_outcome) record.nationalOutcome = row.national_outcome;
  return record;
}

export const OUTBOX_COLUMNS = `id::text AS id, submission_pk, submission_version, status, attempts,
  ${iso('available_at')} AS available_at, ${iso('created_at')} AS created_at`;

export interface OutboxDbRow {
  id: string;
  submission_pk: string;
  submission_version: number;
  status: OutboxRow['status'];
  attempts: number;
  available_at: string;
  created_at: string;
}

export function toOutboxRow(row: OutboxDbRow): OutboxRow {
  return {
    id: row.id,
    submissionPk: row.submission_pk,
    submissionVersion: row.submission_version,
    status: row.status,
    attempts: row.attempts,
    availableAt: row.available_at,
    createdAt: row.created_at,
  };
}
